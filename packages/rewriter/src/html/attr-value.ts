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

export { escapeAttr } from '../stream/escape-attr.js';
