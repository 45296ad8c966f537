/**
 * The strict DER reader and writer behind key recognition (src/keys/asn1.ts): X.690 DER, definite
 * lengths in their shortest form (§8.1.3, §10.1). Hostile bytes give `null`, never an exception.
 */
import { describe, expect, test } from 'vitest';
import { bytesEqual, children, derElement, OID, readDer } from '../src/keys/asn1.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
/** An OCTET STRING header with the given length bytes, followed by `size` content bytes. */
const octets = (lengthBytes: number[], size: number) => {
  const out = new Uint8Array(2 + lengthBytes.length - 1 + size);
  out.set([0x04, ...lengthBytes]);
  return out;
};

describe('readDer', () => {
  test('reads short and long definite lengths (one to three length bytes)', () => {
    expect(readDer(bytes(0x04, 0x02, 0xaa, 0xbb), 0)).toEqual({ tag: 0x04, start: 2, end: 4, next: 4 });
    expect(readDer(bytes(0x05, 0x00), 0)).toEqual({ tag: 0x05, start: 2, end: 2, next: 2 });
    expect(readDer(octets([0x81, 0x80], 128), 0)).toEqual({ tag: 0x04, start: 3, end: 131, next: 131 });
    expect(readDer(octets([0x82, 0x01, 0x00], 256), 0)).toEqual({ tag: 0x04, start: 4, end: 260, next: 260 });
    expect(readDer(octets([0x83, 0x01, 0x00, 0x00], 65536), 0)).toEqual({
      tag: 0x04,
      start: 5,
      end: 65541,
      next: 65541,
    });
    // At an offset, and the element after it.
    const two = bytes(0x02, 0x01, 0x07, 0x02, 0x01, 0x09);
    expect(readDer(two, 3)).toEqual({ tag: 0x02, start: 5, end: 6, next: 6 });
  });

  test('refuses a header cut short: fewer than two bytes left, or length bytes past the end', () => {
    expect(readDer(bytes(), 0)).toBeNull();
    expect(readDer(bytes(0x30), 0)).toBeNull();
    expect(readDer(bytes(0x02, 0x01, 0x07, 0x30), 3)).toBeNull();
    expect(readDer(bytes(0x04, 0x82, 0x01), 0)).toBeNull();
  });

  test('refuses contents that run past the end or past the given limit', () => {
    expect(readDer(bytes(0x04, 0x05, 0x01, 0x02), 0)).toBeNull();
    expect(readDer(bytes(0x04, 0x02, 0x01, 0x02), 0, 3)).toBeNull();
    expect(readDer(octets([0x81, 0x80], 127), 0)).toBeNull();
  });

  test('refuses what BER allows and DER does not: the indefinite form, long form for short lengths, leading zero length bytes', () => {
    expect(readDer(bytes(0x30, 0x80, 0x05, 0x00, 0x00, 0x00), 0)).toBeNull();
    expect(readDer(octets([0x81, 0x05], 5), 0)).toBeNull();
    expect(readDer(octets([0x81, 0x7f], 127), 0)).toBeNull();
    expect(readDer(octets([0x82, 0x00, 0x80], 128), 0)).toBeNull();
    expect(readDer(octets([0x82, 0x00, 0xff], 255), 0)).toBeNull();
    expect(readDer(octets([0x83, 0x00, 0x01, 0x00], 256), 0)).toBeNull();
    expect(readDer(octets([0x83, 0x00, 0xff, 0xff], 65535), 0)).toBeNull();
  });

  test('refuses lengths of four or more bytes, even when the contents are there (no key is 16 MiB)', () => {
    expect(readDer(octets([0x84, 0x01, 0x00, 0x00, 0x00], 1 << 24), 0)).toBeNull();
    expect(readDer(octets([0x84, 0x00, 0x00, 0x00, 0x80], 128), 0)).toBeNull();
  });
});

describe('children', () => {
  test('lists the elements inside a constructed one', () => {
    const seq = bytes(0x30, 0x06, 0x02, 0x01, 0x07, 0x04, 0x01, 0x09, 0xff);
    const node = readDer(seq, 0)!;
    expect(children(seq, node)).toEqual([
      { tag: 0x02, start: 4, end: 5, next: 5 },
      { tag: 0x04, start: 7, end: 8, next: 8 },
    ]);
    expect(children(bytes(0x30, 0x00), readDer(bytes(0x30, 0x00), 0)!)).toEqual([]);
  });

  test('gives null, not an exception, when a child is malformed or overruns its parent', () => {
    const cut = bytes(0x30, 0x04, 0x02, 0x01, 0x07, 0x04);
    expect(children(cut, readDer(cut, 0)!)).toBeNull();
    // The second child's contents lie outside the SEQUENCE (the buffer goes on).
    const over = bytes(0x30, 0x05, 0x02, 0x01, 0x07, 0x04, 0x02, 0x09, 0x09);
    expect(children(over, readDer(over, 0)!)).toBeNull();
  });
});

describe('derElement', () => {
  test('writes the shortest length form: one byte up to 127, then 0x81 0x80, 0x82 …', () => {
    expect(Array.from(derElement(0x05))).toEqual([0x05, 0x00]);
    expect(Array.from(derElement(0x04, bytes(1, 2), bytes(3)))).toEqual([0x04, 0x03, 1, 2, 3]);
    expect(Array.from(derElement(0x04, new Uint8Array(127)).subarray(0, 2))).toEqual([0x04, 0x7f]);
    expect(Array.from(derElement(0x04, new Uint8Array(128)).subarray(0, 3))).toEqual([0x04, 0x81, 0x80]);
    expect(Array.from(derElement(0x04, new Uint8Array(255)).subarray(0, 3))).toEqual([0x04, 0x81, 0xff]);
    expect(Array.from(derElement(0x04, new Uint8Array(256)).subarray(0, 4))).toEqual([
      0x04, 0x82, 0x01, 0x00,
    ]);
  });

  test('what it writes, readDer reads back', () => {
    for (const size of [0, 1, 127, 128, 255, 256, 65535, 65536]) {
      const el = derElement(0x30, new Uint8Array(size).fill(7));
      const node = readDer(el, 0);
      expect(node?.end, `size ${size}`).toBe(el.length);
      expect(node!.end - node!.start).toBe(size);
    }
  });
});

describe('bytesEqual', () => {
  test('compares a byte range with an OID: same length and same bytes', () => {
    const der = derElement(0x06, OID.rsaEncryption);
    expect(bytesEqual(der, 2, der.length, OID.rsaEncryption)).toBe(true);
    // Same length, last byte differs (sha1WithRSAEncryption would end in 0x05).
    const other = Uint8Array.from(OID.rsaEncryption);
    other[8] = 0x05;
    expect(bytesEqual(other, 0, 9, OID.rsaEncryption)).toBe(false);
    // First byte differs.
    expect(bytesEqual(OID.ecPublicKey, 0, 7, Uint8Array.of(0x2b, ...OID.ecPublicKey.subarray(1)))).toBe(
      false,
    );
    // A longer or shorter range is not equal, even when one is a prefix of the other.
    expect(bytesEqual(der, 2, der.length - 1, OID.rsaEncryption)).toBe(false);
    expect(bytesEqual(Uint8Array.of(...OID.rsaEncryption, 0), 0, 10, OID.rsaEncryption)).toBe(false);
  });
});
