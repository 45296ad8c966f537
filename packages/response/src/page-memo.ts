/**
 * The page memo: rewritten pages kept a few seconds, adaptive so that it costs nothing on pages
 * that differ per request. Runtime-neutral: pages are told apart by comparing their bytes (or
 * text) exactly, not by a hash, so it needs no `node:crypto` and never confuses two pages.
 * @module
 */
import type { RewriteFormat } from '@cfsign/rewriter';
import type { MemoSettings, PreparedOptions } from './options.js';

/** After this many misses in a row at one URL, the URL rests (no comparing). */
const MISSES_TO_REST = 2;
/** Requests a resting URL skips before the memo probes it again. */
const REST_REQUESTS = 256;
/** Largest body the memo keeps (1 MiB). */
const MAX_MEMO_BODY = 1 << 20;

interface UrlState {
  misses: number;
  rest: number;
}

/** A page as the memo keeps it: text as it is (immutable), bytes as a private copy. */
type Input = string | Uint8Array;

interface Entry {
  input: Input;
  out: Uint8Array;
  /** The output's length when kept: a runtime that transferred its buffer would leave it empty. */
  length: number;
  until: number;
}

/** True when two pages are the same text, or the same bytes. */
function samePage(kept: Input, body: Input): boolean {
  if (typeof kept === 'string' || typeof body === 'string') return kept === body;
  const n = kept.length;
  if (body.length !== n) return false;
  let i = 0;
  // Four bytes at a time where both are aligned (a kept copy always is).
  if (body.byteOffset % 4 === 0 && kept.byteOffset % 4 === 0) {
    const a = new Uint32Array(kept.buffer, kept.byteOffset, n >>> 2);
    const b = new Uint32Array(body.buffer, body.byteOffset, n >>> 2);
    for (let w = 0; w < a.length; w++) if (a[w] !== b[w]) return false;
    i = a.length * 4;
  }
  for (; i < n; i++) if (kept[i] !== body[i]) return false;
  return true;
}

/**
 * A small time-bounded memo of rewritten pages (key: format, charset, URL and length; the page
 * itself is compared exactly), with per-URL adaptation: a URL whose page changed on the last two
 * lookups is not compared for its next 256 requests, so a page that differs per request pays one
 * lookup per 256 requests instead of one per request.
 *
 * @example
 * ```ts
 * const memo = new PageMemo({ ttlMs: 5000, maxEntries: 64 });
 * const out = memo.rewrite('/a', 'html', undefined, page, () => rewriteBytes('html', page, options));
 * ```
 */
export class PageMemo {
  private readonly pages = new Map<string, Entry>();
  private readonly urls = new Map<string, UrlState>();
  constructor(private readonly settings: MemoSettings) {}

  /**
   * The rewritten page: from the memo when this URL served the same page (same format and
   * charset) within `ttl`, else `run(kept)`, whose output the memo keeps when `kept` is true. An
   * output the memo keeps is shared by every response it serves: nothing may write into it.
   */
  rewrite(
    url: string,
    format: RewriteFormat,
    charset: string | undefined,
    body: string | Uint8Array,
    run: (kept: boolean) => Uint8Array | Promise<Uint8Array>,
  ): Uint8Array | Promise<Uint8Array> {
    if (body.length > MAX_MEMO_BODY || !this.wants(url)) return run(false);
    const key = `${format}|${charset}|${url}|${typeof body === 'string' ? 't' : 'b'}${body.length}`;
    const now = Date.now();
    const hit = this.get(url, key, body, now);
    if (hit !== undefined) return hit;
    // Bytes are copied before the rewrite: the caller's buffer may be reused once it is sent.
    const input = typeof body === 'string' ? body : new Uint8Array(body);
    const out = run(true);
    if (out instanceof Promise)
      return out.then((bytes) => {
        this.set(key, input, bytes, now);
        return bytes;
      });
    this.set(key, input, out, now);
    return out;
  }

  /** False while `url` rests after repeated misses (counts the request). */
  private wants(url: string): boolean {
    const s = this.urls.get(url);
    if (s === undefined || s.rest === 0) return true;
    s.rest--;
    return false;
  }

  private get(url: string, key: string, body: Input, now: number): Uint8Array | undefined {
    const e = this.pages.get(key);
    if (e !== undefined && e.until > now && e.out.length === e.length && samePage(e.input, body)) {
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

  private set(key: string, input: Input, out: Uint8Array, now: number): void {
    if (this.pages.size >= this.settings.maxEntries) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, { input, out, length: out.length, until: now + this.settings.ttlMs });
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
 * const out = memo ? memo.rewrite(url, 'html', undefined, page, run) : run(false);
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
