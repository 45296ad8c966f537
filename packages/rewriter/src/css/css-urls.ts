/**
 * Finds `url(...)` and `@import "..."` URLs in CSS bytes, for `<style>`, `style=""` and CSS
 * responses. Like every engine of the benchmark it does not parse CSS comments or strings: a
 * `url()` inside a comment is rewritten too (harmless). URLs with CSS escapes are left alone.
 * @module
 */

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
const isName = (c: number) =>
  (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a
    ? true
    : (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f || c >= 0x80 || c === 0x5c;

/** Result of {@link cssUrls}: where scanning may resume, and whether a URL had escapes. */
export interface CssScan {
  /** Absolute index (in `buf` terms) before which everything is final. */
  safe: number;
  escaped: number;
}

/** A token that needs more bytes. */
const MORE = -1;
/** Not a URL token. */
const NONE = -2;

/** Parses the token after `(` at `p`; returns its end (after `)`) or MORE/NONE, filling `span`. */
function urlToken(buf: Uint8Array, p: number, e: number, span: number[]): number {
  let q = p + 1;
  while (q < e && isWs(buf[q]!)) q++;
  if (q >= e) return MORE;
  const c = buf[q]!;
  let start: number;
  let end: number;
  let quote = 0;
  let escaped = false;
  if (c === 0x22 || c === 0x27) {
    quote = c;
    start = ++q;
    for (;;) {
      if (q >= e) return MORE;
      const d = buf[q]!;
      if (d === quote) break;
      if (d === 0x0a || d === 0x0d || d === 0x0c) return NONE;
      if (d === 0x5c) {
        escaped = true;
        q++;
      }
      q++;
    }
    end = q++;
    while (q < e && isWs(buf[q]!)) q++;
    if (q >= e) return MORE;
    if (buf[q] !== 0x29) return NONE;
  } else {
    start = q;
    for (;;) {
      if (q >= e) return MORE;
      const d = buf[q]!;
      if (d === 0x29 || isWs(d)) break;
      if (d === 0x22 || d === 0x27 || d === 0x28 || d < 0x20 || d === 0x7f) return NONE;
      if (d === 0x5c) {
        escaped = true;
        q++;
      }
      q++;
    }
    end = q;
    while (q < e && isWs(buf[q]!)) q++;
    if (q >= e) return MORE;
    if (buf[q] !== 0x29) return NONE;
  }
  if (end === start) return q + 1;
  span.push(start, end, escaped ? -1 : quote);
  return q + 1;
}

/** Parses `@import` + string at `p` (the `@`). */
function importToken(buf: Uint8Array, p: number, e: number, span: number[]): number {
  const word = 'import';
  let q = p + 1;
  for (let k = 0; k < 6; k++, q++) {
    if (q >= e) return MORE;
    if ((buf[q]! | 0x20) !== word.charCodeAt(k)) return NONE;
  }
  while (q < e && isWs(buf[q]!)) q++;
  if (q >= e) return MORE;
  const quote = buf[q]!;
  if (quote !== 0x22 && quote !== 0x27) return NONE;
  const start = ++q;
  let escaped = false;
  for (;;) {
    if (q >= e) return MORE;
    const d = buf[q]!;
    if (d === quote) break;
    if (d === 0x0a || d === 0x0d || d === 0x0c) return NONE;
    if (d === 0x5c) {
      escaped = true;
      q++;
    }
    q++;
  }
  if (q > start) span.push(start, q, escaped ? -1 : quote);
  return q + 1;
}

/**
 * Scans `buf[s, e)` and pushes `[start, end, quote]` triples (quote: 0 unquoted, 0x22/0x27, or -1
 * when the URL holds a CSS escape and must be left alone). `url(` is recognised by looking back
 * from `(` as far as `lo`. When not `final`, stops before a token that may continue in the next
 * chunk and returns where to resume; tokens longer than `maxToken` are given up on.
 *
 * @example
 * ```ts
 * const spans: number[] = [];
 * cssUrls(new TextEncoder().encode('a{background:url("/x.png")}'), 0, 27, true, spans, 1 << 16); // spans: [18, 24, 34]
 * ```
 */
export function cssUrls(
  buf: Uint8Array,
  s: number,
  e: number,
  final: boolean,
  out: number[],
  maxToken: number,
  lo = s,
): number {
  let i = s;
  let lastEnd = s;
  while (i < e) {
    const c = buf[i]!;
    let r: number;
    let tokenStart: number;
    if (c === 0x28) {
      if (
        i - 3 < lo ||
        (buf[i - 1]! | 0x20) !== 0x6c ||
        (buf[i - 2]! | 0x20) !== 0x72 ||
        (buf[i - 3]! | 0x20) !== 0x75 ||
        (i - 4 >= lo && isName(buf[i - 4]!))
      ) {
        i++;
        continue;
      }
      tokenStart = i - 3;
      r = urlToken(buf, i, e, out);
    } else if (c === 0x40) {
      tokenStart = i;
      r = importToken(buf, i, e, out);
    } else {
      i++;
      continue;
    }
    if (r === MORE) {
      if (final || e - tokenStart > maxToken) {
        i++;
        continue;
      }
      return Math.max(s, tokenStart);
    }
    if (r === NONE) i++;
    else i = lastEnd = r;
  }
  return final ? e : Math.max(s, lastEnd, e - 3);
}

/**
 * Escapes a URL for a CSS `url()` (unquoted when `quote` is 0) or a CSS string.
 *
 * @example
 * ```ts
 * cssEscapeUrl('/a(1).png', 0); // '/a\\(1\\).png'
 * ```
 */
export function cssEscapeUrl(url: string, quote: number): string {
  if (quote === 0)
    return /[\s()'"\\\x00-\x1f\x7f]/.test(url)
      ? url.replace(/[\s()'"\\\x00-\x1f\x7f]/g, (ch) =>
          /[\s\x00-\x1f\x7f]/.test(ch) ? `\\${ch.charCodeAt(0).toString(16)} ` : `\\${ch}`,
        )
      : url;
  const q = String.fromCharCode(quote);
  return url.includes(q) || url.includes('\\') || /[\n\r\f]/.test(url)
    ? url
        .replace(/[\\\n\r\f]/g, (ch) => (ch === '\\' ? '\\\\' : `\\${ch.charCodeAt(0).toString(16)} `))
        .split(q)
        .join(`\\${q}`)
    : url;
}
