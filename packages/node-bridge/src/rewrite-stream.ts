/**
 * The Node rewrite stream of one body, shared by the Express and the Koa paths.
 * @module
 */
import type { Transform } from 'node:stream';
import type { SigningSession } from '@cfsign/response';
import type { RewriteFormat } from '@cfsign/rewriter';
import { createNodeRewriteStream } from '@cfsign/rewriter/node';

/** Room for a few 16 KiB writes before the stream reports backpressure. */
const WRITE_HWM = 64 * 1024;

/**
 * A Node `Transform` rewriting a body of `format`, with every stream option of the session. Its
 * writable side holds 64 KiB: a producer writing 16 KiB chunks (the usual size) would otherwise
 * wait for a `drain` after every chunk, since the rewriter adds a tick between it and the socket.
 *
 * @example
 * ```ts
 * source.pipe(rewriteStream(session, 'html', 'utf-8')).pipe(res);
 * ```
 */
export function rewriteStream(
  session: SigningSession,
  format: RewriteFormat,
  charset: string | undefined,
): Transform {
  const out = createNodeRewriteStream({ format, ...session.streamOptions(charset) });
  (out as unknown as { _writableState: { highWaterMark: number } })._writableState.highWaterMark = WRITE_HWM;
  return out;
}
