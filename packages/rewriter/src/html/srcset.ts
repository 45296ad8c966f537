/**
 * Finds the URL of every candidate of a `srcset` (WHATWG "parse a srcset attribute": URLs are
 * runs of non-whitespace; trailing commas separate; descriptors run to a comma outside parens).
 * @module
 */

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

/**
 * Pushes `[start, end]` pairs of the candidate URLs in `buf[s, e)` onto `out`.
 *
 * @example
 * ```ts
 * const spans: number[] = [];
 * srcsetUrls(new TextEncoder().encode('a.jpg 1x, b.jpg 2x'), 0, 18, spans); // spans: [0, 5, 10, 15]
 * ```
 */
export function srcsetUrls(buf: Uint8Array, s: number, e: number, out: number[]): void {
  let i = s;
  while (i < e) {
    while (i < e && (isWs(buf[i]!) || buf[i] === 0x2c)) i++;
    if (i >= e) break;
    const start = i;
    while (i < e && !isWs(buf[i]!)) i++;
    let end = i;
    if (buf[end - 1] === 0x2c) {
      while (end > start && buf[end - 1] === 0x2c) end--;
      if (end > start) out.push(start, end);
      continue;
    }
    out.push(start, end);
    let parens = false;
    while (i < e) {
      const c = buf[i++]!;
      if (c === 0x28) parens = true;
      else if (c === 0x29) parens = false;
      else if (c === 0x2c && !parens) break;
    }
  }
}
