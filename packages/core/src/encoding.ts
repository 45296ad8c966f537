/**
 * CloudFront's base64 variant: standard base64 with padding, then `+`→`-`, `=`→`_`, `/`→`~`.
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~';
const PAD = '_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes as CF-base64 (URL-safe as is; never pass it through URLSearchParams).
 *
 * @example
 * ```ts
 * cfBase64Encode(new TextEncoder().encode('{"a":1}')) // 'eyJhIjoxfQ__'
 * ```
 */
export function cfBase64Encode(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const rest = n - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + PAD + PAD;
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + PAD;
  }
  return out;
}

/**
 * Decodes CF-base64 strictly (length a multiple of 4, padding only at the end, canonical
 * trailing bits). Returns `null` for anything else, so hostile input never throws.
 *
 * @example
 * ```ts
 * cfBase64Decode('eyJhIjoxfQ__') // Uint8Array of '{"a":1}'
 * cfBase64Decode('not base64!') // null
 * ```
 */
export function cfBase64Decode(text: string): Uint8Array | null {
  const len = text.length;
  if (len === 0 || len % 4 !== 0) return null;
  let pad = 0;
  if (text.charCodeAt(len - 1) === 95) pad = text.charCodeAt(len - 2) === 95 ? 2 : 1;
  const out = new Uint8Array((len / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const last = i + 4 === len;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = last && pad === 2 ? 0 : sextet(text, i + 2);
    const d = last && pad >= 1 ? 0 : sextet(text, i + 3);
    if ((a | b | c | d) < 0) return null;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
    if (last && ((pad === 2 && (b & 15) !== 0) || (pad === 1 && (c & 3) !== 0))) return null;
  }
  return out;
}

function sextet(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? DECODE[code]! : -1;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (the exact bytes that get signed). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
