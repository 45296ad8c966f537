/**
 * The contract between the format scanners and whatever decides a link's replacement (the rules
 * and signer of `rules/link-signer.ts` (createLinkSigner), or your own hook).
 * @module
 */

/** Where a link was found. */
export interface LinkContext {
  kind: 'html' | 'srcset' | 'css' | 'hls' | 'dash';
  /** The document's `<base href>` value in force, as written (resolved against the page URL). */
  base?: string;
  tag?: string;
  attr?: string;
}

/** Maps a link to its replacement text (`null`: leave it unchanged). May be async. */
export type LinkResolver = (value: string, ctx: LinkContext) => string | null | Promise<string | null>;
