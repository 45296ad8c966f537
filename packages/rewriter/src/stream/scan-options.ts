/**
 * Options every format scanner shares, resolved once per response.
 * @module
 */
import { asciiString, needsDecoding } from '../html/attr-value.js';

/** Why the rewriter left something as it was (reported through `onSkip`). */
export type RewriteSkipReason =
  | 'token-too-large'
  | 'css-escape'
  | 'charset'
  | 'dash-base-directory'
  | 'base-after-links'
  | 'untrusted-region'
  | 'untrusted-region-unclosed'
  | 'base-in-untrusted-region';

/** Resolved scanner options. */
export interface ScanOptions {
  /** Decoder of the document charset (URL text only; other bytes are never decoded). */
  decoder: TextDecoder;
  /** True for non-UTF-8 documents: non-ASCII in rewritten attribute values is written as references. */
  asciiOnly: boolean;
  /** Extra URL attributes (lower-case). */
  attributes: readonly string[];
  /** Largest tag / `<style>` / CSS token / line rewritten; larger ones pass through. */
  maxTokenBytes: number;
  /** `url()` inside CSS comments: reported like any other (false, the default) or left alone (true). */
  skipCssComments: boolean;
  onSkip?: ((reason: RewriteSkipReason, detail: string) => void) | undefined;
}

/**
 * The text of raw bytes (a URL inside CSS, srcset or a playlist): ASCII directly, else decoded.
 *
 * @example
 * ```ts
 * spanText(new TextEncoder().encode('/caf\u00e9.jpg'), 0, 10, new TextDecoder()); // '/café.jpg'
 * ```
 */
export function spanText(buf: Uint8Array, s: number, e: number, decoder: TextDecoder): string {
  return needsDecoding(buf, s, e) ? decoder.decode(buf.subarray(s, e)) : asciiString(buf, s, e);
}
