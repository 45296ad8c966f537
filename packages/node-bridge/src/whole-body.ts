/**
 * Bodies handed over in one piece (`res.send`, `res.end(buffer)`, `ctx.body = string`): rewritten
 * in one pass, and memoized briefly when the signatures do not depend on the client.
 * @module
 */
import { keepLatestOutput, type PageMemo, type SigningSession } from '@cfsign/response';
import { type RewriteFormat, rewriteBytes } from '@cfsign/rewriter';

/**
 * Rewrites a whole body; through the memo when there is one (see {@link PageMemo}), which keeps an
 * output at most `ttl` seconds, far below any signature lifetime. A string body is best passed as
 * it is: the rewriter encodes it into a reused buffer, where `Buffer.from` would allocate a fresh
 * one for every page. `allocate` (see the rewriter's option) is used only for an output the memo
 * does not keep.
 *
 * @example
 * ```ts
 * const out = await rewriteWhole(session, memo, 'html', undefined, body);
 * ```
 */
export function rewriteWhole(
  session: SigningSession,
  memo: PageMemo | null,
  format: RewriteFormat,
  charset: string | undefined,
  body: Uint8Array | string,
  allocate?: (size: number) => Uint8Array,
): Uint8Array | Promise<Uint8Array> {
  const run = (kept: boolean) => {
    const options = session.streamOptions(charset);
    // Kept by the memo, or written into reused memory: else the newest output is held (see keepLatestOutput).
    if (kept) return rewriteBytes(format, body, options);
    if (allocate !== undefined) return rewriteBytes(format, body, { ...options, allocate });
    return keepLatestOutput(rewriteBytes(format, body, options));
  };
  return memo === null ? run(false) : memo.rewrite(session.url, format, charset, body, run);
}
