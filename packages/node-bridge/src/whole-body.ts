/**
 * Bodies handed over in one piece (`res.send`, `res.end(buffer)`): rewritten in one pass, and
 * memoized briefly when the signatures do not depend on the client.
 * @module
 */
import { createHash } from 'node:crypto';
import { type RewriteFormat, rewriteBytes } from '@cfsign/rewriter';
import type { PreparedOptions } from './options.js';
import type { SigningSession } from './session.js';

const MAX_MEMO_BODY = 1 << 20;

/** A small time-bounded memo of rewritten pages: key → bytes. */
export class PageMemo {
  private readonly map = new Map<string, { out: Uint8Array; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}
  get(key: string, now: number): Uint8Array | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (e.until <= now) {
      this.map.delete(key);
      return undefined;
    }
    return e.out;
  }
  set(key: string, out: Uint8Array, now: number): void {
    if (this.map.size >= this.maxEntries) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, { out, until: now + this.ttlMs });
  }
}

/**
 * Rewrites a whole body; uses (and fills) the memo when the page does not depend on the client.
 * The memo keeps an output at most `ttl` seconds, far below any signature lifetime.
 *
 * @example
 * ```ts
 * const out = await rewriteWhole(prepared, session, memo, 'http://www.example.com/', 'html', undefined, body);
 * ```
 */
export function rewriteWhole(
  o: PreparedOptions<unknown>,
  session: SigningSession,
  memo: PageMemo | null,
  pageUrl: string,
  format: RewriteFormat,
  charset: string | undefined,
  body: Uint8Array,
): Uint8Array | Promise<Uint8Array> {
  const run = () =>
    rewriteBytes(format, body, {
      resolve: session.rewriter.resolve,
      attributes: o.rules.attributes,
      ...(charset !== undefined && { charset }),
    });
  if (memo === null || o.perClient || body.length > MAX_MEMO_BODY) return run();
  const key = `${format}|${charset}|${pageUrl}|${createHash('sha256').update(body).digest('base64')}`;
  const now = Date.now();
  const hit = memo.get(key, now);
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
