/**
 * Escaping a replacement value for the attribute quote it is written inside: shared by the
 * format scanners and the chunk engine (which escapes while it writes the output).
 * @module
 */

/**
 * Escapes a value for an attribute quoted with `quote` (`"` or `'`): `&` as `&amp;` and the quote
 * as `&quot;` / `&#39;`; with `asciiOnly` (non-UTF-8 documents) non-ASCII as numeric references.
 *
 * @example
 * ```ts
 * escapeAttr('/a?x=1&y=2', '"'); // '/a?x=1&amp;y=2'
 * ```
 */
export function escapeAttr(v: string, quote: '"' | "'", asciiOnly = false): string {
  let out = v;
  const hasQuote = v.includes(quote);
  let i = v.indexOf('&');
  if (i >= 0) {
    // indexOf + slices: cheaper than a global regex replace for the few `&` of a signed URL
    out = '';
    let p = 0;
    while (i >= 0) {
      out += `${v.slice(p, i)}&amp;`;
      p = i + 1;
      i = v.indexOf('&', p);
    }
    out += v.slice(p);
  }
  if (hasQuote) out = quote === '"' ? out.replace(/"/g, '&quot;') : out.replace(/'/g, '&#39;');
  if (asciiOnly && NON_ASCII.test(out))
    out = out.replace(/[^\x00-\x7f]/gu, (ch) => `&#x${ch.codePointAt(0)!.toString(16)};`);
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;
