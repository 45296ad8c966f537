import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import {
  cfBase64Decode,
  cfBase64DecodeNow,
  cfBase64DecodeView,
  cfBase64Encode,
  utf8,
  viewOf,
} from '../src/encoding.js';

describe('CF-base64 (docs/signing.md §3)', () => {
  test('is standard base64 with + → -, = → _, / → ~ and padding kept', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00]);
    expect(Buffer.from(bytes).toString('base64')).toBe('+/+/AA==');
    expect(cfBase64Encode(bytes)).toBe('-~-~AA__');
  });

  test('encodes the docs/signing.md §13 C policy exactly', () => {
    const policy =
      '{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/images/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"},"DateGreaterThan":{"AWS:EpochTime":1893452400}}}]}';
    expect(cfBase64Encode(new TextEncoder().encode(policy))).toBe(
      'eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9kMTExMTExYWJjZGVmOC5jbG91ZGZyb250Lm5ldC9pbWFnZXMvKiIsIkNvbmRpdGlvbiI6eyJEYXRlTGVzc1RoYW4iOnsiQVdTOkVwb2NoVGltZSI6MTg5MzQ1NjAwMH0sIklwQWRkcmVzcyI6eyJBV1M6U291cmNlSXAiOiIxOTIuMC4yLjAvMjQifSwiRGF0ZUdyZWF0ZXJUaGFuIjp7IkFXUzpFcG9jaFRpbWUiOjE4OTM0NTI0MDB9fX1dfQ__',
    );
  });

  test('round-trips any bytes and matches Node base64 after the swaps', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300, size: 'max' }), (bytes) => {
        const enc = cfBase64Encode(bytes);
        expect(enc).toMatch(/^[A-Za-z0-9_~-]*$/);
        expect(enc).toBe(
          Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~'),
        );
        if (bytes.length > 0) expect(cfBase64Decode(enc)).toEqual(bytes);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  test('after its output buffer grows, an output length seen before is written into the new buffer', async () => {
    vi.resetModules();
    const encode = (await import('../src/encoding.js')).cfBase64Encode;
    const reference = (b: Uint8Array) =>
      Buffer.from(b).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
    const a = Uint8Array.from({ length: 71 }, (_, i) => i);
    const big = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
    const b = Uint8Array.from({ length: 71 }, (_, i) => 255 - i);
    expect(encode(a)).toBe(reference(a));
    expect(encode(big)).toBe(reference(big));
    expect(encode(b)).toBe(reference(b));
  });

  test("the decoder for an at-once check gives the strict decoder's bytes call after call, one buffer per length", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        (list) => {
          for (const bytes of list) {
            const text = cfBase64Encode(bytes);
            expect(cfBase64DecodeNow(text)).toEqual(bytes);
            // Lengths n and n + 64 share a slot, but never a buffer.
            expect(cfBase64DecodeNow(cfBase64Encode(new Uint8Array(bytes.length + 64)))).toEqual(
              new Uint8Array(bytes.length + 64),
            );
          }
        },
      ),
      { seed: 13, numRuns: 300 },
    );
    expect(cfBase64DecodeNow('AAECAwQF')).toBe(cfBase64DecodeNow('BQQDAgEA'));
    expect([...cfBase64DecodeNow('AAECAwQF')!]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(cfBase64DecodeNow('AAEC*wQF')).toBeNull();
  });

  test('a reused buffer hands out one kept view per length, and lengths that share a slot get their own', () => {
    const buffer = Uint8Array.from({ length: 300 }, (_, i) => i & 255);
    const views: (Uint8Array | undefined)[] = new Array(64);
    const first = viewOf(views, buffer, 100);
    expect(viewOf(views, buffer, 100)).toBe(first);
    expect(first.buffer).toBe(buffer.buffer);
    // 164 = 100 + 64: the same slot, so it replaces the kept view; each has its own length.
    expect([...viewOf(views, buffer, 164)]).toEqual([...buffer.subarray(0, 164)]);
    expect(viewOf(views, buffer, 100)).toHaveLength(100);
  });

  test('bytes handed out from the shared slab stay as written while later calls fill it', () => {
    const first = utf8('{"a":"first"}');
    const firstSig = cfBase64DecodeView('AAECAwQF');
    const later = Array.from({ length: 3000 }, (_, i) => utf8(`{"i":${i}}`));
    expect(new TextDecoder().decode(first)).toBe('{"a":"first"}');
    expect([...firstSig!]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new TextDecoder().decode(later[2999])).toBe('{"i":2999}');
    // Views never overlap: each one's bytes are its own.
    const buffers = new Map<ArrayBufferLike, number>();
    const seen = new Set<string>();
    for (const v of later) {
      if (!buffers.has(v.buffer)) buffers.set(v.buffer, buffers.size);
      seen.add(`${buffers.get(v.buffer)}:${v.byteOffset}`);
    }
    expect(seen.size).toBe(later.length);
  });

  test.each([
    ['', 'empty'],
    ['abc', 'length not a multiple of 4'],
    ['ab+c', 'standard base64 "+"'],
    ['ab/c', 'standard base64 "/"'],
    ['ab=_', 'standard padding'],
    ['a___', 'too much padding'],
    ['ab_c', 'padding in the middle'],
    ['AB__', 'non-canonical trailing bits'],
    ['abcé', 'non-ASCII'],
    ['AAAAA_', 'padded, but the length is not a multiple of 4'],
    ['AAAAAAA__', 'padded twice, but the length is not a multiple of 4'],
    ['!A__', 'a character outside the alphabet in the padded block'],
    ['A!A_', 'a character outside the alphabet in the padded block (second)'],
    ['\u0080\u0080AA', 'U+0080 twice, the first code past the ASCII table'],
    ['\u0080\u0000AA', 'U+0080 then NUL'],
    ['\u0080A__', 'U+0080 in the padded block'],
    ['éA__', 'non-ASCII in the padded block'],
    ['AA\u0100_', 'U+0100 in the padded block'],
    ['\ud800AAA', 'a lone high surrogate'],
    ['AAA\udfff', 'a lone low surrogate'],
    ['\u{1F600}AA', 'an astral character (two UTF-16 units, four UTF-8 bytes)'],
  ])('refuses %j (%s) without throwing', (input) => {
    expect(cfBase64Decode(input)).toBeNull();
  });

  test('decodes exactly what a strict reference decoder accepts, for any text of the alphabet and beyond', () => {
    // The reference: the whole text in the alphabet with at most two `_` at the end, a length that is a
    // multiple of 4, and the bits past the last byte zero (the encoding of the bytes gives the text back).
    const reference = (text: string): Uint8Array | null => {
      if (text === '' || text.length % 4 !== 0 || !/^[A-Za-z0-9~-]*_{0,2}$/.test(text)) return null;
      const std = text.replaceAll('-', '+').replaceAll('~', '/').replaceAll('_', '=');
      const bytes = new Uint8Array(Buffer.from(std, 'base64'));
      return Buffer.from(bytes).toString('base64') === std ? bytes : null;
    };
    const char = fc.constantFrom(...'AQgw-~_09az=+/é\u0080\ud800\u0000 ');
    // Both decoders (the view one writes into the shared slab); most texts are an encoding with one
    // character changed, so the change lands anywhere in long texts as well as short ones.
    const changed = fc
      .tuple(fc.uint8Array({ maxLength: 60, size: 'max' }), fc.nat(), char)
      .map(([bytes, at, c]) => {
        const text = cfBase64Encode(bytes);
        const i = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, i) + c + text.slice(i + 1);
      });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(char, { maxLength: 40, size: 'max' }).map((c) => c.join('')),
          changed,
        ),
        (text) => {
          const want = reference(text);
          expect(cfBase64Decode(text)).toEqual(want);
          const view = cfBase64DecodeView(text);
          expect(view === null ? null : new Uint8Array(view)).toEqual(want);
        },
      ),
      { seed: 9, numRuns: 5000 },
    );
  });

  test('decodes into the shared slab exactly, at every length and slab position', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400, size: 'max' }), fc.nat({ max: 40 }), (bytes, before) => {
        // Move the slab's next free place, so views start at varied offsets (and slabs get replaced).
        utf8('x'.repeat(before));
        const view = cfBase64DecodeView(cfBase64Encode(bytes));
        if (bytes.length === 0) expect(view).toBeNull();
        else expect(new Uint8Array(view!)).toEqual(bytes);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  test('decodes text longer than its reusable byte buffer, and text after it', () => {
    const big = Uint8Array.from({ length: 6000 }, (_, i) => (i * 31) & 255);
    expect(cfBase64Decode(cfBase64Encode(big))).toEqual(big);
    expect(cfBase64Decode(`${cfBase64Encode(big).slice(0, 7996)}é___`)).toBeNull();
    expect([...cfBase64Decode('AAECAwQF')!]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('utf8 gives the UTF-8 bytes of any text, ASCII or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200, size: 'max' }), (text) => {
        expect(utf8(text)).toEqual(new TextEncoder().encode(text));
      }),
      { seed: 10, numRuns: 1000 },
    );
    const long = 'x'.repeat(2000);
    expect(utf8(long)).toEqual(new TextEncoder().encode(long));
  });
});
