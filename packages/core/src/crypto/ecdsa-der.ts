/**
 * ECDSA P-256 signature encodings: WebCrypto speaks raw `r‖s` (64 bytes), CloudFront and KMS
 * speak ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }`.
 * @module
 */
import { CfsignError, unreadable } from '../errors.js';

function trimInteger(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.subarray(i);
  if (v[0]! & 0x80) {
    const out = new Uint8Array(v.length + 1);
    out.set(v, 1);
    return out;
  }
  return v;
}

/**
 * Converts a raw `r‖s` signature to DER.
 *
 * @example
 * ```ts
 * const der = rawToDer(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data)));
 * ```
 */
export function rawToDer(raw: Uint8Array): Uint8Array {
  try {
    if (!(raw instanceof Uint8Array) || raw.length === 0 || raw.length % 2 !== 0 || raw.length > 120)
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        'rawToDer takes a raw ECDSA signature r‖s: a Uint8Array of even length (64 bytes for P-256).',
      );
    const half = raw.length / 2;
    const r = trimInteger(raw.subarray(0, half));
    const s = trimInteger(raw.subarray(half));
    const body = 2 + r.length + 2 + s.length;
    const out = new Uint8Array(2 + body);
    out.set([0x30, body, 0x02, r.length], 0);
    out.set(r, 4);
    out.set([0x02, s.length], 4 + r.length);
    out.set(s, 6 + r.length);
    return out;
  } catch (err) {
    throw unreadable(err, 'rawToDer');
  }
}

/**
 * Converts a strict DER signature to raw `r‖s` of `size` bytes per integer; `null` when the DER is
 * not canonical (long-form lengths, extra bytes, negative or non-minimal integers, too large values).
 *
 * @example
 * ```ts
 * const raw = derToRaw(derSignature); // 64 bytes for P-256, ready for crypto.subtle.verify
 * ```
 */
export function derToRaw(der: Uint8Array, size = 32): Uint8Array | null {
  try {
    if (!(der instanceof Uint8Array) || !Number.isInteger(size) || size < 1 || size > 66) return null;
    if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2 || der[1]! >= 128) return null;
    const out = new Uint8Array(size * 2);
    let pos = 2;
    for (let k = 0; k < 2; k++) {
      if (der[pos] !== 0x02) return null;
      const len = der[pos + 1]!;
      const start = pos + 2;
      if (len === 0 || len >= 128 || start + len > der.length) return null;
      if (der[start]! & 0x80) return null;
      if (len > 1 && der[start] === 0 && !(der[start + 1]! & 0x80)) return null;
      let v = der.subarray(start, start + len);
      if (v.length === size + 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return null;
      out.set(v, size * (k + 1) - v.length);
      pos = start + len;
    }
    return pos === der.length ? out : null;
  } catch (err) {
    throw unreadable(err, 'derToRaw');
  }
}
