/**
 * Attribute values: decode the raw bytes the way the tokenizer does (CR/LF normalization, NUL,
 * character references with attribute semantics) and escape a new value for writing back.
 * @module
 */
import { decodeHTMLAttribute } from 'entities/decode';

/** True when the raw bytes need more than a byte-to-char copy: `&`, CR, NUL or non-ASCII. */
export function needsDecoding(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    if (c === 0x26 || c === 0x0d || c === 0 || c >= 0x80) return true;
  }
  return false;
}

/** True when the raw bytes hold a character reference, CR or NUL (decoded text != raw text). */
export function hasReferences(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    if (c === 0x26 || c === 0x0d || c === 0) return true;
  }
  return false;
}

const ascii = new TextDecoder();
/** Node's native latin1 reader: no subarray per call, about twice as fast as `TextDecoder`. */
const latin1Slice = ((): ((this: Uint8Array, s: number, e: number) => string) | undefined => {
  const f = (
    globalThis as {
      Buffer?: { prototype?: { latin1Slice?: (this: Uint8Array, s: number, e: number) => string } };
    }
  ).Buffer?.prototype?.latin1Slice;
  if (typeof f !== 'function') return undefined;
  try {
    // only if it reads a plain Uint8Array, as Node's does
    return f.call(new Uint8Array([0x61, 0x62, 0x63]), 1, 3) === 'bc' ? f : undefined;
  } catch {
    return undefined;
  }
})();

/** ASCII bytes to a string (a native reader is the fastest way for short runs). */
export function asciiString(buf: Uint8Array, s: number, e: number): string {
  return latin1Slice !== undefined ? latin1Slice.call(buf, s, e) : ascii.decode(buf.subarray(s, e));
}

/**
 * Decodes a raw attribute value as the HTML tokenizer would.
 *
 * @example
 * ```ts
 * decodeAttr(new TextEncoder().encode('/a?x=1&amp;y=2'), 0, 14, new TextDecoder()); // '/a?x=1&y=2'
 * ```
 */
export function decodeAttr(buf: Uint8Array, s: number, e: number, decoder: TextDecoder): string {
  if (!needsDecoding(buf, s, e)) return asciiString(buf, s, e);
  let v = decoder.decode(buf.subarray(s, e));
  if (v.includes('\r')) v = v.replace(/\r\n?/g, '\n');
  if (v.includes('\0')) v = v.replace(/\0/g, '\uFFFD');
  if (v.includes('&')) v = decodeHTMLAttribute(v);
  return v;
}

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
