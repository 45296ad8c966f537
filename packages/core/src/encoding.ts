/**
 * CloudFront's base64 variant: standard base64 with padding, then `+`→`-`, `=`→`_`, `/`→`~`.
 * @module
 */
import { show } from './args.js';
import { CfsignError, unreadable } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~';
const PAD_CODE = 95; // '_'
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** ASCII bytes to a string (every code written is ASCII, which windows-1252 maps to itself). */
const ascii = new TextDecoder('latin1');
/** The encoder's output codes; reused (decoding copies them into the string). */
let scratch = new Uint8Array(512);
/** Views of `scratch` by length, one slot per length modulo 64 (see {@link viewOf}). */
let scratchViews: (Uint8Array | undefined)[] = new Array(64);
const encoder = new TextEncoder();
/** Sextet of each byte value; -1 for every byte outside the alphabet (padding included). */
const DECODE = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
/** The text being decoded, as bytes (one native copy; reading bytes beats `charCodeAt` per character). */
let codes = new Uint8Array(1024);

/**
 * Encodes bytes as CF-base64 (URL-safe as is; never pass it through URLSearchParams).
 *
 * @example
 * ```ts
 * cfBase64Encode(new TextEncoder().encode('{"a":1}')) // 'eyJhIjoxfQ__'
 * ```
 */
export function cfBase64Encode(bytes: Uint8Array): string {
  try {
    if (!(bytes instanceof Uint8Array))
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        `cfBase64Encode takes bytes (a Uint8Array); got ${show(bytes)}. Encode text with new TextEncoder().encode(text).`,
      );
    const n = bytes.length;
    const size = Math.ceil(n / 3) * 4;
    if (scratch.length < size) {
      scratch = new Uint8Array(Math.max(size, scratch.length * 2));
      scratchViews = new Array(64);
    }
    const out = scratch;
    let o = 0;
    let i = 0;
    for (; i + 2 < n; i += 3) {
      const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out[o] = CODES[v >>> 18]!;
      out[o + 1] = CODES[(v >>> 12) & 63]!;
      out[o + 2] = CODES[(v >>> 6) & 63]!;
      out[o + 3] = CODES[v & 63]!;
      o += 4;
    }
    const rest = n - i;
    if (rest !== 0) {
      const v = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
      out[o] = CODES[v >>> 18]!;
      out[o + 1] = CODES[(v >>> 12) & 63]!;
      out[o + 2] = rest === 2 ? CODES[(v >>> 6) & 63]! : PAD_CODE;
      out[o + 3] = PAD_CODE;
      o += 4;
    }
    // One native decode of ASCII codes: no string concatenation per character (then a flatten).
    return ascii.decode(viewOf(scratchViews, out, o));
  } catch (err) {
    throw unreadable(err, 'cfBase64Encode');
  }
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
  return decode(text, fresh);
}

/**
 * {@link cfBase64Decode} into a view of the shared slab (see {@link carve}): for bytes that only go
 * to a verify call, never to a caller.
 */
export function cfBase64DecodeView(text: string): Uint8Array | null {
  return decode(text, carve);
}

/**
 * {@link cfBase64Decode} into a buffer the next call of the same length overwrites: for bytes checked
 * at once by a synchronous verify and then dropped (a Node signature check). No view or allocation
 * per call, which in place between two signature checks costs more than the decoding.
 */
export function cfBase64DecodeNow(text: string): Uint8Array | null {
  return decode(text, reused);
}

function decode(text: string, alloc: (n: number) => Uint8Array): Uint8Array | null {
  if (typeof text !== 'string') return null;
  const len = text.length;
  if (len === 0 || len % 4 !== 0) return null;
  if (codes.length < len) codes = new Uint8Array(Math.max(len, codes.length * 2));
  const c = codes;
  // A non-ASCII character becomes bytes of 0x80 and up at or before its own index, all outside the
  // alphabet, so reading the first `len` bytes refuses it.
  encoder.encodeInto(text, c);
  let pad = 0;
  if (c[len - 1] === PAD_CODE) pad = c[len - 2] === PAD_CODE ? 2 : 1;
  const out = alloc((len / 4) * 3 - pad);
  const full = pad === 0 ? len : len - 4;
  let o = 0;
  let bad = 0;
  for (let i = 0; i < full; i += 4) {
    const a = DECODE[c[i]!]!;
    const b = DECODE[c[i + 1]!]!;
    const d = DECODE[c[i + 2]!]!;
    const e = DECODE[c[i + 3]!]!;
    bad |= a | b | d | e;
    out[o] = (a << 2) | (b >>> 4);
    out[o + 1] = ((b & 15) << 4) | (d >>> 2);
    out[o + 2] = ((d & 3) << 6) | e;
    o += 3;
  }
  if (pad !== 0) {
    const a = DECODE[c[full]!]!;
    const b = DECODE[c[full + 1]!]!;
    const d = pad === 2 ? 0 : DECODE[c[full + 2]!]!;
    bad |= a | b | d;
    if ((pad === 2 && (b & 15) !== 0) || (pad === 1 && (d & 3) !== 0)) return null;
    const v = (a << 18) | (b << 12) | (d << 6);
    out[o] = v >>> 16;
    if (pad === 1) out[o + 1] = (v >>> 8) & 255;
  }
  return bad < 0 ? null : out;
}

const SLAB_SIZE = 16 * 1024;
let slab = new Uint8Array(SLAB_SIZE);
let used = 0;

/**
 * The first `n` bytes of `buffer`, as a view kept in `views` (one slot per length modulo 64) while
 * `buffer` stays: a new view on every call costs more, in place between two signatures, than
 * writing the bytes. Whoever replaces `buffer` replaces `views`.
 */
export function viewOf(views: (Uint8Array | undefined)[], buffer: Uint8Array, n: number): Uint8Array {
  const slot = n & 63;
  const view = views[slot];
  if (view !== undefined && view.length === n) return view;
  const made = buffer.subarray(0, n);
  views[slot] = made;
  return made;
}

/** Reused buffers by length, one slot per length modulo 64 (signatures come in a few lengths). */
const byLength: (Uint8Array | undefined)[] = new Array(64);

function reused(n: number): Uint8Array {
  const slot = n & 63;
  const held = byLength[slot];
  if (held !== undefined && held.length === n) return held;
  const made = new Uint8Array(n);
  byLength[slot] = made;
  return made;
}

function fresh(n: number): Uint8Array {
  return new Uint8Array(n);
}

/**
 * `n` bytes carved from a shared slab, as Node's `Buffer` pool does: a view instead of an allocation
 * of its own, which costs more than the rest of building a policy. Views never overlap, and a full
 * slab is replaced, never reused, so bytes handed out stay as written. Callers outside the package
 * never receive one (its `.buffer` is the whole slab).
 */
function carve(n: number): Uint8Array {
  if (n > SLAB_SIZE >>> 3) return new Uint8Array(n);
  if (used + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    used = 0;
  }
  const view = slab.subarray(used, used + n);
  used = (used + n + 7) & ~7;
  return view;
}

/**
 * UTF-8 bytes of a string (the exact bytes that get signed); the usual ASCII policy is encoded
 * natively into the shared slab. The result may be a view of the slab: copy it before handing it out.
 */
export function utf8(text: string): Uint8Array {
  const n = text.length;
  if (n > 1024) return encoder.encode(text);
  const out = carve(n);
  // `encodeInto` flattens a concatenated string once, where a `charCodeAt` loop pays per character.
  // All of the text fits in `n` bytes only when every character is ASCII; anything else is encoded whole.
  return encoder.encodeInto(text, out).read === n ? out : encoder.encode(text);
}
