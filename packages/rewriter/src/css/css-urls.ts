/**
 * Finds `url(...)` and `@import "..."` URLs in CSS bytes, for `<style>`, `style=""` and CSS
 * responses. It follows the CSS Syntax tokenizer far enough to know where strings, comments and
 * bad URLs are: a `url(` inside a string (`content:"url(/x)"`) is text, not a URL, and is never
 * reported. A `url()` inside a comment is reported by default (see {@link CssCursor.skipComments})
 * because the benchmark's ideal output signs it; quotes and `*\/` inside comments are handled
 * correctly either way. URLs with CSS escapes are left alone. All state survives chunk boundaries.
 * @module
 */

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
const isName = (c: number) =>
  (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a
    ? true
    : (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f || c >= 0x80 || c === 0x5c;

/** Scanner modes (the CSS tokenizer context at a byte offset). */
const NORMAL = 0;
const COMMENT = 1;
/** Inside the remnants of a bad url token: everything up to an unescaped `)` is skipped. */
const BAD_URL = 2;
const DQ = 0x22;
const SQ = 0x27;

/**
 * Where a resumable CSS scan stands between calls: the tokenizer context (normal, comment, string,
 * bad url) at the offset {@link cssUrls} returned, and whether comments are skipped.
 */
export class CssCursor {
  /** 0 normal, 1 comment, 2 bad-url remnants, 0x22/0x27 inside a string with that quote. */
  mode = NORMAL;
  /**
   * @param skipComments - `true` leaves `url()` inside CSS comments alone; `false` (the rewriter's
   *   default) reports them like any other URL.
   */
  constructor(readonly skipComments = false) {}
}

/** A token that needs more bytes. */
const MORE = -1;
/** Not a URL token (`url(` is a function whose argument is not a single string). */
const NONE = -2;
/** A bad url token: skip its remnants up to `)`. */
const BAD = -3;

/** Bytes the normal-mode loop must look at (everything else is skipped). */
const SPECIAL = new Uint8Array(256);
for (const c of [0x28, 0x40, 0x2f, DQ, SQ, 0x5c]) SPECIAL[c] = 1;

/**
 * Skips a backslash escape at `q` (the backslash): returns the index after it, or MORE when the
 * escape may continue past `e`. An escaped CRLF counts as one newline (CSS preprocessing).
 */
function skipEscape(buf: Uint8Array, q: number, e: number): number {
  if (q + 1 >= e) return MORE;
  if (buf[q + 1] !== 0x0d) return q + 2;
  if (q + 2 >= e) return MORE;
  return buf[q + 2] === 0x0a ? q + 3 : q + 2;
}

/** Parses the token after `(` at `p`; returns its end (after `)`) or MORE/NONE/BAD, filling `span`. */
function urlToken(buf: Uint8Array, p: number, e: number, span: number[]): number {
  let q = p + 1;
  while (q < e && isWs(buf[q]!)) q++;
  if (q >= e) return MORE;
  const c = buf[q]!;
  let start: number;
  let end: number;
  let quote = 0;
  let escaped = false;
  if (c === DQ || c === SQ) {
    quote = c;
    start = ++q;
    for (;;) {
      if (q >= e) return MORE;
      const d = buf[q]!;
      if (d === quote) break;
      if (d === 0x0a || d === 0x0d || d === 0x0c) return NONE;
      if (d === 0x5c) {
        escaped = true;
        q = skipEscape(buf, q, e);
        if (q === MORE) return MORE;
      } else q++;
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
      if (d === DQ || d === SQ || d === 0x28 || d < 0x20 || d === 0x7f) return BAD;
      if (d === 0x5c) {
        escaped = true;
        q = skipEscape(buf, q, e);
        if (q === MORE) return MORE;
      } else q++;
    }
    end = q;
    while (q < e && isWs(buf[q]!)) q++;
    if (q >= e) return MORE;
    if (buf[q] !== 0x29) return BAD;
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
  if (quote !== DQ && quote !== SQ) return NONE;
  const start = ++q;
  let escaped = false;
  for (;;) {
    if (q >= e) return MORE;
    const d = buf[q]!;
    if (d === quote) break;
    if (d === 0x0a || d === 0x0d || d === 0x0c) return NONE;
    if (d === 0x5c) {
      escaped = true;
      q = skipEscape(buf, q, e);
      if (q === MORE) return MORE;
    } else q++;
  }
  if (q > start) span.push(start, q, escaped ? -1 : quote);
  return q + 1;
}

/** True when `buf[a, b)` holds `*` followed by `/` (a token found in a comment ran past its end). */
function hasCommentEnd(buf: Uint8Array, a: number, b: number): boolean {
  for (let k = a; k + 1 < b; k++) if (buf[k] === 0x2a && buf[k + 1] === 0x2f) return true;
  return false;
}

const ONE_SHOT = new CssCursor(false);
const ONE_SHOT_SKIP = new CssCursor(true);

/** A fresh cursor for a whole CSS text scanned in one call (shared: one-shot scans reset it). */
export function oneShotCursor(skipComments: boolean): CssCursor {
  const c = skipComments ? ONE_SHOT_SKIP : ONE_SHOT;
  c.mode = NORMAL;
  return c;
}

/**
 * Scans `buf[s, e)` and pushes `[start, end, quote]` triples (quote: 0 unquoted, 0x22/0x27, or -1
 * when the URL holds a CSS escape and must be left alone). `url(` is recognised by looking back
 * from `(` as far as `lo`. Strings are skipped; comments are skipped or scanned as `cur` says.
 * When not `final`, stops before a token (or a two-byte sequence such as `/*`, `*\/` or an
 * escape) that may continue in the next chunk and returns where to resume; `cur.mode` is then the
 * context at that offset. Tokens longer than `maxToken` are given up on.
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
  cur: CssCursor = oneShotCursor(false),
): number {
  let i = s;
  let mode = cur.mode;
  const scanComments = !cur.skipComments;
  let stop = -1; // where a non-final scan must resume, with `mode` as the context there
  while (i < e) {
    if (mode === NORMAL || (mode === COMMENT && scanComments)) {
      // Normal text (or a comment whose url()s are reported): look for tokens.
      let c = 0;
      if (mode === NORMAL) {
        while (i < e) {
          c = buf[i]!;
          if (SPECIAL[c] !== 0) break;
          i++;
        }
      } else {
        while (i < e) {
          c = buf[i]!;
          if (c === 0x28 || c === 0x2a) break;
          i++;
        }
      }
      if (i >= e) break;
      if (c === 0x2a) {
        // in a comment: `*/` ends it
        if (i + 1 >= e) {
          if (final) break;
          stop = i;
          break;
        }
        if (buf[i + 1] === 0x2f) {
          mode = NORMAL;
          i += 2;
        } else i++;
        continue;
      }
      if (c === 0x2f) {
        if (i + 1 >= e) {
          if (final) break;
          stop = i;
          break;
        }
        if (buf[i + 1] === 0x2a) {
          mode = COMMENT;
          i += 2;
        } else i++;
        continue;
      }
      if (c === DQ || c === SQ) {
        mode = c;
        i++;
        continue;
      }
      if (c === 0x5c) {
        // an escape in an identifier: the next code point is not special
        const r = skipEscape(buf, i, e);
        if (r === MORE) {
          if (final) break;
          stop = i;
          break;
        }
        i = r;
        continue;
      }
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
        const n = out.length;
        r = urlToken(buf, i, e, out);
        if (r >= 0 && mode === COMMENT && hasCommentEnd(buf, i, r)) {
          out.length = n;
          r = NONE;
        }
      } else {
        tokenStart = i;
        r = importToken(buf, i, e, out);
      }
      if (r === MORE) {
        if (final || e - tokenStart > maxToken) {
          i++;
          continue;
        }
        stop = Math.max(s, tokenStart);
        break;
      }
      if (r === NONE) i++;
      else if (r === BAD) {
        i++;
        if (mode === NORMAL) mode = BAD_URL;
      } else i = r;
    } else if (mode === COMMENT) {
      // skipped comment: find `*/`
      while (i < e && buf[i] !== 0x2a) i++;
      if (i >= e) break;
      if (i + 1 >= e) {
        if (final) break;
        stop = i;
        break;
      }
      if (buf[i + 1] === 0x2f) {
        mode = NORMAL;
        i += 2;
      } else i++;
    } else if (mode === BAD_URL) {
      // remnants of a bad url: up to `)`, escapes skipped
      let c = 0;
      while (i < e) {
        c = buf[i]!;
        if (c === 0x29 || c === 0x5c) break;
        i++;
      }
      if (i >= e) break;
      if (c === 0x29) {
        mode = NORMAL;
        i++;
        continue;
      }
      const r = skipEscape(buf, i, e);
      if (r === MORE) {
        if (final) break;
        stop = i;
        break;
      }
      i = r;
    } else {
      // inside a string quoted with `mode`: ends at that quote or a newline (a bad string)
      let c = 0;
      while (i < e) {
        c = buf[i]!;
        if (c === mode || c === 0x5c || c === 0x0a || c === 0x0d || c === 0x0c) break;
        i++;
      }
      if (i >= e) break;
      if (c === 0x5c) {
        const r = skipEscape(buf, i, e);
        if (r === MORE) {
          if (final) break;
          stop = i;
          break;
        }
        i = r;
        continue;
      }
      if (c === mode) i++;
      mode = NORMAL;
    }
  }
  cur.mode = final ? NORMAL : mode;
  return final ? e : stop >= 0 ? stop : e;
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
