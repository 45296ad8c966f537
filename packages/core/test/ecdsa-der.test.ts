/**
 * ECDSA signature encodings (src/crypto/ecdsa-der.ts): raw `r‖s` as WebCrypto speaks it, strict DER
 * `SEQUENCE { INTEGER r, INTEGER s }` as CloudFront and KMS speak it.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { derToRaw, rawToDer } from '../src/crypto/ecdsa-der.js';

const hex = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('hex') : null);
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));
/** A raw P-256 signature with the given 32-byte halves (hex, left-padded with zeros). */
const raw = (r: string, s: string) => bytes(r.padStart(64, '0') + s.padStart(64, '0'));

describe('rawToDer', () => {
  test('writes minimal integers: leading zeros dropped, a 0x00 before a high bit, zero as one byte', () => {
    expect(hex(rawToDer(raw('01', '00')))).toBe('3006020101020100');
    expect(hex(rawToDer(raw('0102', '7f')))).toBe('30070202010202017f');
    const high = rawToDer(raw('80'.padEnd(64, '0'), '01'))!;
    expect(hex(high.subarray(0, 5))).toBe('3026022100');
    expect(high[5]).toBe(0x80);
  });

  test('takes an even number of bytes, 2 to 120; refuses anything else with ERR_INVALID_ARGUMENT', () => {
    expect(hex(rawToDer(bytes('0102')))).toBe('3006020101020102');
    expect(rawToDer(new Uint8Array(120).fill(1))).toHaveLength(2 + 2 * (2 + 60));
    for (const bad of [new Uint8Array(0), new Uint8Array(63), new Uint8Array(122), [1, 2], 'ab'])
      expect(() => rawToDer(bad as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('derToRaw', () => {
  test('round-trips every raw signature, for P-256 and the other sizes up to P-521', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 255 })),
        (n, s) => {
          const it = s[Symbol.iterator]();
          const r = new Uint8Array(2 * n).map(() => it.next().value as number);
          expect(hex(derToRaw(rawToDer(r), n))).toBe(hex(r));
        },
      ),
      { numRuns: 300 },
    );
    const full = new Uint8Array(132).fill(0xff);
    expect(hex(derToRaw(rawToDer(full.subarray(0, 64)), 32))).toBe(hex(full.subarray(0, 64)));
  });

  test('reads zero and one-byte integers into the right place', () => {
    expect(hex(derToRaw(bytes('3006020100020101')))).toBe(hex(raw('00', '01')));
    expect(hex(derToRaw(bytes('3006020101020100'), 1))).toBe('0100');
  });

  test('refuses non-canonical DER: wrong tags, lengths, empty, negative or padded integers, extra bytes', () => {
    for (const der of [
      '3106020101020101', // not a SEQUENCE
      '3006030101020101', // not an INTEGER
      '3007020101020101', // sequence length off
      '3006020002020101', // an empty INTEGER
      '3007020200010201 01', // 0x00 before a byte without the high bit
      '3006020181020101', // a negative integer
      '300602010102010100', // a byte after the sequence
      '30050201010201', // too short
    ])
      expect(derToRaw(bytes(der))).toBeNull();
    // A one-byte length of 0x80 is the long form, which canonical DER never uses below 128.
    const longForm = bytes(`3080023e${'11'.repeat(62)}023e${'22'.repeat(62)}`);
    expect(longForm).toHaveLength(130);
    expect(derToRaw(longForm, 66)).toBeNull();
  });

  test('refuses a value too large for the size, and sizes outside 1 to 66 or not integers', () => {
    const der = rawToDer(raw('01', '01'))!;
    expect(derToRaw(rawToDer(new Uint8Array(66).fill(1))!, 32)).toBeNull();
    expect(derToRaw(der, 1)).not.toBeNull();
    expect(derToRaw(der, 66)).toHaveLength(132);
    for (const size of [0, -1, 67, 1.5, Number.NaN]) expect(derToRaw(der, size)).toBeNull();
    expect(derToRaw([...der] as never)).toBeNull();
  });
});
