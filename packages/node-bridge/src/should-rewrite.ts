/**
 * `shouldRewrite`: the one named predicate deciding whether a response body is rewritten, with a
 * reason for every skip. Exported from `'@cfsign/node-bridge'`.
 * @module
 */
import type { RewriteFormat } from '@cfsign/rewriter';
import { rewriterFor } from '@cfsign/rewriter';

/** Why a response passes through unchanged. */
export type SkipReason =
  | 'opted-out'
  | 'head-request'
  | 'no-body-status'
  | 'partial-content'
  | 'not-ok-status'
  | 'no-content-type'
  | 'not-rewritable-type'
  | 'unsupported-charset'
  | 'already-encoded'
  | 'no-transform';

/** The decision of {@link shouldRewrite}. */
export type RewriteDecision =
  | { rewrite: true; format: RewriteFormat; charset: string | undefined }
  | { rewrite: false; reason: SkipReason };

/** The bits of a Node request `shouldRewrite` reads. */
export interface RequestLike {
  method?: string | undefined;
}

/** The bits of a Node response `shouldRewrite` reads (a `ServerResponse` fits). */
export interface ResponseLike {
  statusCode: number;
  getHeader(name: string): number | string | string[] | undefined;
}

const header = (res: ResponseLike, name: string): string => {
  const v = res.getHeader(name);
  return Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v);
};

/**
 * Decides whether a response is rewritten, from its request method, status and headers. Call it
 * once the headers are final. Each skip carries a reason your `onSkip` hook can log.
 *
 * @example
 * ```ts
 * const d = shouldRewrite(req, res, { optedOut: res.locals.signedUrls === false });
 * if (!d.rewrite) console.debug('cfsign skipped', d.reason); // e.g. 'head-request'
 * ```
 */
export function shouldRewrite(
  req: RequestLike,
  res: ResponseLike,
  flags: { optedOut?: boolean } = {},
): RewriteDecision {
  const skip = (reason: SkipReason): RewriteDecision => ({ rewrite: false, reason });
  // The app said no for this request (res.locals.signedUrls / ctx.state.signedUrls = false).
  if (flags.optedOut === true) return skip('opted-out');
  // HEAD has no body to rewrite; its headers stay those of the unsigned page.
  if (req.method === 'HEAD') return skip('head-request');
  // 204 and 304 never carry a body.
  if (res.statusCode === 204 || res.statusCode === 304) return skip('no-body-status');
  // A byte range of the page: rewriting would change the offsets the client asked for.
  if (res.statusCode === 206) return skip('partial-content');
  // 1xx and other statuses without a page: leave them alone (errors pages are still rewritten).
  if (res.statusCode < 200) return skip('not-ok-status');
  // Only HTML, CSS, HLS and DASH carry links the rewriter understands.
  const choice = rewriterFor(header(res, 'content-type'));
  if (choice.format === null) return skip(choice.reason);
  // Bytes already compressed (or otherwise encoded) by something else: we cannot see the links.
  const encoding = header(res, 'content-encoding').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') return skip('already-encoded');
  // The origin forbids intermediaries from changing the body (RFC 9111 §5.2.2.6).
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(header(res, 'cache-control'))) return skip('no-transform');
  return { rewrite: true, format: choice.format, charset: choice.charset };
}
