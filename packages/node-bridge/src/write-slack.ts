/**
 * Letting a response hold a few rewritten chunks before its `write` reports backpressure.
 * @module
 */
import type { ServerResponse } from 'node:http';
import { PUMP_SLACK } from './pump.js';

/**
 * Makes `res.write` report backpressure (`false`) only once the response holds at least
 * {@link PUMP_SLACK} bytes, for a body piped by someone else (Koa pipes `ctx.body` itself). A
 * socket reports `false` as soon as it holds one 16 KiB chunk, and a rewritten chunk is a little
 * larger than the one written, so the pipe would pause and resume the rewrite once per chunk. The
 * `'drain'` that follows a real `false` still comes, and memory stays bounded by the slack. Only
 * this response's `write` is replaced; `end` and every listener are untouched.
 *
 * @example
 * ```ts
 * allowWriteSlack(ctx.res);
 * ctx.body = rewritten; // Koa pipes it into ctx.res
 * ```
 */
export function allowWriteSlack(res: ServerResponse): void {
  const write = res.write;
  res.write = function writeWithSlack(this: ServerResponse, ...args: unknown[]): boolean {
    const ok = (write as (...a: unknown[]) => boolean).apply(this, args);
    return ok || this.writableLength < PUMP_SLACK;
  } as ServerResponse['write'];
}
