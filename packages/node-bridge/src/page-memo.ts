/**
 * The page memo: rewritten pages kept a few seconds, adaptive so that it costs nothing on pages
 * that differ per request.
 * @module
 */
import type { MemoSettings, PreparedOptions } from '@cfsign/response';

/** After this many misses in a row at one URL, the URL rests (no hashing). */
const MISSES_TO_REST = 2;
/** Requests a resting URL skips before the memo probes it again. */
const REST_REQUESTS = 256;

interface UrlState {
  misses: number;
  rest: number;
}

/**
 * A small time-bounded memo of rewritten pages (key: URL, format and a hash of the bytes), with
 * per-URL adaptation: a URL whose bytes changed on the last two lookups is not hashed for its next
 * 256 requests, so a page that differs per request pays one hash per 256 requests instead of one
 * per request.
 *
 * @example
 * ```ts
 * const memo = new PageMemo({ ttlMs: 5000, maxEntries: 64 });
 * if (memo.wants(url)) memo.get(key, Date.now());
 * ```
 */
export class PageMemo {
  private readonly pages = new Map<string, { out: Uint8Array; until: number }>();
  private readonly urls = new Map<string, UrlState>();
  constructor(private readonly settings: MemoSettings) {}

  /** False while `url` rests after repeated misses (counts the request). */
  wants(url: string): boolean {
    const s = this.urls.get(url);
    if (s === undefined || s.rest === 0) return true;
    s.rest--;
    return false;
  }

  get(url: string, key: string, now: number): Uint8Array | undefined {
    const e = this.pages.get(key);
    if (e !== undefined && e.until > now) {
      const s = this.urls.get(url);
      if (s !== undefined) s.misses = 0;
      return e.out;
    }
    if (e !== undefined) this.pages.delete(key);
    let s = this.urls.get(url);
    if (s === undefined) {
      if (this.urls.size >= this.settings.maxEntries * 4) this.urls.delete(this.urls.keys().next().value!);
      s = { misses: 0, rest: 0 };
      this.urls.set(url, s);
    }
    if (++s.misses >= MISSES_TO_REST) {
      s.misses = 0;
      s.rest = REST_REQUESTS;
    }
    return undefined;
  }

  set(key: string, out: Uint8Array, now: number): void {
    if (this.pages.size >= this.settings.maxEntries) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, { out, until: now + this.settings.ttlMs });
  }
}

const memos = new WeakMap<PreparedOptions, PageMemo | null>();

/**
 * The one page memo of a set of prepared options (`null` when the memo is off, or when signatures
 * depend on the client): every request and every adapter built on those options shares it.
 *
 * @example
 * ```ts
 * const memo = pageMemoFor(prepared);
 * const out = await rewriteWhole(session, memo, 'html', undefined, body);
 * ```
 */
export function pageMemoFor(prepared: PreparedOptions): PageMemo | null {
  let memo = memos.get(prepared);
  if (memo === undefined) {
    memo = prepared.memo === null ? null : new PageMemo(prepared.memo);
    memos.set(prepared, memo);
  }
  return memo;
}
