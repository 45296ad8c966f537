/**
 * One-off signing of a single link by the rules (for links built in code, e.g. Next.js props).
 * @module
 */
import type { Signer } from '@cfsign/core';
import { createLinkSigner, type LinkContext } from './link-signer.js';
import type { CompiledRules, RewriteRequest } from './types.js';

/**
 * Signs `url` the way the rewriter would sign it in a page: the signed CDN URL, the `onDeny`
 * replacement, or `null` when no rule applies (or it is a cookie-mode rule).
 *
 * @example
 * ```ts
 * const src = await signLink('/media/poster.jpg', { rules, signer, request: { url: 'https://www.example.com/' } });
 * ```
 */
export async function signLink(
  url: string,
  options: { rules: CompiledRules; signer: Signer; request: RewriteRequest; context?: LinkContext },
): Promise<string | null> {
  const resolve = createLinkSigner({
    rules: options.rules,
    signer: options.signer,
    request: options.request,
  });
  return resolve(url, options.context ?? { kind: 'html' });
}
