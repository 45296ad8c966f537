/**
 * The canned policy written straight into a reused buffer must be byte for byte the template's UTF-8,
 * whatever came before it in the buffer, and must never reach a signature made later.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { cannedBytesNow } from '../src/canned-bytes.js';
import { cannedTemplate } from '../src/policy.js';
import { backends, E2030, KEY_ID, key, NOW } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('cannedBytesNow', () => {
  test('writes the canned policy of docs/signing.md §5 exactly', () => {
    const resource = `${CDN}/images/photo.jpg`;
    expect(new TextDecoder().decode(cannedBytesNow(resource, 1893456000))).toBe(
      '{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/images/photo.jpg","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}',
    );
  });

  test('equals the template bytes call after call: longer, shorter, new expiry, non-ASCII, past the buffer size and its cap', () => {
    const resource = fc.oneof(
      fc.stringMatching(/^https:\/\/[a-z.]{1,20}\/[!-~]{0,80}$/),
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${CDN}/${s}`),
      fc.integer({ min: 400, max: 20_000 }).map((n) => `${CDN}/${'x'.repeat(n)}`),
    );
    const expires = fc.constantFrom(1, 999, 1893456000, 1893456001, 2147483647);
    fc.assert(
      fc.property(fc.array(fc.tuple(resource, expires), { minLength: 1, maxLength: 12 }), (calls) => {
        for (const [r, e] of calls)
          expect(Buffer.compare(cannedBytesNow(r, e), bytesOf(cannedTemplate(r, e))), r).toBe(0);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  test('a huge resource gets bytes of its own: the shared buffer stays at most 16 KiB', () => {
    const huge = `${CDN}/${'x'.repeat(50_000)}`;
    const bytes = cannedBytesNow(huge, 1893456000);
    expect(Buffer.compare(bytes, bytesOf(cannedTemplate(huge, 1893456000)))).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
    for (const n of [10, 9000, 16_000])
      expect(cannedBytesNow(`${CDN}/${'y'.repeat(n)}`, 1893456000).buffer.byteLength).toBeLessThanOrEqual(
        16 * 1024,
      );
  });

  test('ordinary resources are written into one shared buffer, which doubles as it grows', async () => {
    vi.resetModules();
    const fresh = (await import('../src/canned-bytes.js')).cannedBytesNow;
    const a = fresh(`${CDN}/a.jpg`, 1893456000);
    const b = fresh(`${CDN}/b.jpg`, 1893456001);
    // The fast path was taken (no bytes of their own), in a first buffer of 512 bytes.
    expect(b.buffer).toBe(a.buffer);
    expect(a.buffer.byteLength).toBe(512);
    // A policy of 600 bytes doubles it; later short ones keep using the grown buffer.
    const c = fresh(`${CDN}/${'z'.repeat(600 - 27 - 38 - 62)}`, 1893456000);
    expect(c.length).toBe(600);
    expect(c.buffer.byteLength).toBe(1024);
    const d = fresh(`${CDN}/d.jpg`, 1893456000);
    expect(d.buffer).toBe(c.buffer);
    expect(Buffer.compare(d, bytesOf(cannedTemplate(`${CDN}/d.jpg`, 1893456000)))).toBe(0);
  });

  test('lengths that share a kept view (n and n + 64) each read their own bytes', () => {
    const of = (n: number) => `${CDN}/${'q'.repeat(n - 27 - 38 - 62)}`;
    for (const n of [200, 264, 200, 328, 264]) {
      const bytes = cannedBytesNow(of(n), 1893456000);
      expect(bytes.length).toBe(n);
      expect(Buffer.compare(bytes, bytesOf(cannedTemplate(of(n), 1893456000)))).toBe(0);
    }
  });

  test('after the buffer grows, a length seen before reads the new buffer, not a view of the old one', async () => {
    vi.resetModules();
    const fresh = (await import('../src/canned-bytes.js')).cannedBytesNow;
    const before = fresh(`${CDN}/a.jpg`, 1893456000);
    fresh(`${CDN}/${'g'.repeat(700)}`, 1893456000);
    const after = fresh(`${CDN}/b.jpg`, 1893456000);
    expect(after.length).toBe(before.length);
    expect(after.buffer).not.toBe(before.buffer);
    expect(Buffer.compare(after, bytesOf(cannedTemplate(`${CDN}/b.jpg`, 1893456000)))).toBe(0);
  });

  test('the very first call writes its own tail, whatever its expiry', async () => {
    for (const e of [1, 0]) {
      vi.resetModules();
      const fresh = (await import('../src/canned-bytes.js')).cannedBytesNow;
      expect(Buffer.compare(fresh(`${CDN}/a.jpg`, e), bytesOf(cannedTemplate(`${CDN}/a.jpg`, e)))).toBe(0);
    }
  });

  test('a lone surrogate is encoded as the template encodes it (U+FFFD), not as one byte', () => {
    const r = `${CDN}/\uD800.jpg`;
    expect(cannedBytesNow(r, 1893456000)).toEqual(bytesOf(cannedTemplate(r, 1893456000)));
  });
});

describe.each(backends)('signatures made later never read a reused buffer (%s)', (_name, api) => {
  test('a KMS-style signer that reads the policy after other calls ran still signs its own URL', async () => {
    const pem = key('ec-pkcs8.pem');
    const signer = api.createSigner({
      keyPairId: KEY_ID,
      cache: false,
      // Reads `data` only after every other call has prepared its policy.
      sign: async (data) => {
        await new Promise((r) => setTimeout(r, 5));
        return nodeSign('sha256', data, createPrivateKey(pem));
      },
    });
    const urls = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signer.signUrl(`${CDN}/media/${i}.jpg`, { dateLessThan: E2030, now: NOW }),
      ),
    );
    const keys = { [KEY_ID]: key('ec-public.pem') };
    for (const url of urls) expect((await api.verifySignedUrl(url, { keys, now: NOW })).ok).toBe(true);
  });

  test('URLs signed and verified at once each get their own signature and verdict (WebCrypto signs later)', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('ec-pkcs8.pem'), cache: false });
    const keys = api.createKeyGroup({ [KEY_ID]: key('ec-public.pem') });
    const good = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signer.signUrl(`${CDN}/v/${i}.jpg`, { dateLessThan: E2030, now: NOW }),
      ),
    );
    // Every other URL asks for another object under the same signature: those must fail.
    const mixed = good.map((u, i) => (i % 2 ? u.replace(`/v/${i}.jpg`, `/v/${i}x.jpg`) : u));
    const verdicts = await Promise.all(mixed.map((u) => api.verifySignedUrl(u, { keys, now: NOW })));
    expect(verdicts.map((v) => v.ok)).toEqual(mixed.map((_, i) => i % 2 === 0));
  });

  test('RSA signatures checked concurrently before the key is ready each get their own verdict', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem'), cache: false });
    const good = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        signer.signUrl(`${CDN}/r/${i}.jpg`, { dateLessThan: E2030, now: NOW }),
      ),
    );
    // A new key group per run: on WebCrypto the first checks wait for the key import, reading their
    // signature (every one 256 bytes long) only after all the others were decoded.
    const keys = api.createKeyGroup({ [KEY_ID]: key('rsa-public.pem') });
    const mixed = good.map((u, i) => (i % 3 === 1 ? u.replace(`/r/${i}.jpg`, `/r/${i}x.jpg`) : u));
    const verdicts = await Promise.all(mixed.map((u) => api.verifySignedUrl(u, { keys, now: NOW })));
    expect(verdicts.map((v) => v.ok)).toEqual(mixed.map((_, i) => i % 3 !== 1));
  });
});
