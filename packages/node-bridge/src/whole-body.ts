/**
 * Bodies handed over in one piece (`res.send`, `res.end(buffer)`, `ctx.body = string`): rewritten
 * in one pass, and memoized briefly when the signatures do not depend on the client.
 * @module
 */
import { createHash } from 'node:crypto';
import type { SigningSession } from '@cfsign/response';
import { type RewriteFormat, rewriteBytes } from '@cfsign/rewriter';
import type { PageMemo } from './page-memo.js';

const MAX_MEMO_BODY = 1 << 20;

/**
 * Rewrites a whole body; uses (and fills) the memo when there is one and the page's URL is not
 * resting (see {@link PageMemo}). The memo keeps an output at most `ttl` seconds, far below any
 * signature lifetime. A string body is best passed as it is: the rewriter encodes it into a
 * reused buffer, where `Buffer.from` would allocate a fresh one for every page. `allocate` (see the
 * rewriter's option) is used only for an output the memo does not keep.
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
  const run = () => rewriteBytes(format, body, session.streamOptions(charset));
  const url = session.url;
  if (memo === null || body.length > MAX_MEMO_BODY || !memo.wants(url))
    return allocate === undefined
      ? run()
      : rewriteBytes(format, body, { ...session.streamOptions(charset), allocate });
  const key = `${format}|${charset}|${url}|${createHash('sha256').update(body).digest('base64')}`;
  const now = Date.now();
  const hit = memo.get(url, key, now);
  if (hit !== undefined) return hit;
  const out = run();
  if (out instanceof Promise)
    return out.then((bytes) => {
      memo.set(key, bytes, now);
      return bytes;
    });
  memo.set(key, out, now);
  return out;
}
