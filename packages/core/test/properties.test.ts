import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isCfsignError } from '../src/errors.js';
import * as api from '../src/index.node.js';
import { stripSigningParams } from '../src/verify/signed-params.js';
import { E2030, KEY_ID, key, NOW } from './helpers.js';

const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('ec-pkcs8.pem'), cache: false });
const keys = api.createKeyGroup({ [KEY_ID]: key('ec-public.pem') });

const segment = fc.stringMatching(/^[\w .~'"<>\\%é文-]{0,12}$/);
const link = fc
  .record({
    host: fc.constantFrom(
      'cdn.example.com',
      'CDN.Example.COM:443',
      'd111111abcdef8.cloudfront.net',
      'bücher.example',
    ),
    path: fc.array(segment, { maxLength: 4 }),
    query: fc.option(fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,5}$/), segment), { maxLength: 3 })),
    fragment: fc.option(segment),
  })
  .map(({ host, path, query, fragment }) => {
    let u = `https://${host}/${path.join('/')}`;
    if (query) u += `?${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
    if (fragment !== null) u += `#${fragment}`;
    return u;
  });

describe('signer properties (fast-check, fixed seed)', () => {
  test('emitted URL minus the signing params == the signed resource; new URL(x).href === x; it verifies', async () => {
    await fc.assert(
      fc.asyncProperty(link, async (input) => {
        const url = await signer.signUrl(input, { dateLessThan: E2030, now: NOW });
        expect(new URL(url).href).toBe(url);
        const noFragment = url.split('#')[0]!;
        expect(stripSigningParams(noFragment)).toBe(api.canonicalizeUrl(input).resource);
        const verdict = await api.verifySignedUrl(noFragment, { keys, now: NOW });
        expect(verdict.ok).toBe(true);
      }),
      { seed: 1337, numRuns: 150 },
    );
  });

  test('any single-character change to a signed URL is refused', async () => {
    const url = await signer.signUrl('https://cdn.example.com/private/a.jpg?w=1', {
      resource: 'https://cdn.example.com/private/*',
      dateLessThan: E2030,
      now: NOW,
    });
    await fc.assert(
      fc.asyncProperty(fc.nat(url.length - 1), fc.constantFrom(...'aZ09-_~%&=?/.'), async (i, ch) => {
        fc.pre(url[i] !== ch);
        const tampered = url.slice(0, i) + ch + url.slice(i + 1);
        const verdict = await api.verifySignedUrl(tampered, { keys, now: NOW });
        // the only harmless edits are inside the wildcard-covered path or the app's own query value
        if (verdict.ok) expect(tampered.startsWith('https://cdn.example.com/private/')).toBe(true);
        if (verdict.ok) expect(stripSigningParams(tampered)).not.toContain('Signature');
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  test('any single-character change to a canned signed URL is refused', async () => {
    const url = await signer.signUrl('https://cdn.example.com/private/a.jpg?w=1', {
      dateLessThan: E2030,
      now: NOW,
    });
    await fc.assert(
      fc.asyncProperty(fc.nat(url.length - 1), fc.constantFrom(...'aZ09-_~%&=?/.'), async (i, ch) => {
        fc.pre(url[i] !== ch);
        const tampered = url.slice(0, i) + ch + url.slice(i + 1);
        expect((await api.verifySignedUrl(tampered, { keys, now: NOW })).ok).toBe(false);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  test('bad input always raises a coded CfsignError or a TypeError, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40, size: 'max' }), fc.anything(), async (url, expiresIn) => {
        try {
          await signer.signUrl(url, { expiresIn: expiresIn as never, now: NOW });
        } catch (err) {
          expect(isCfsignError(err) || err instanceof TypeError).toBe(true);
        }
      }),
      { seed: 99, numRuns: 300 },
    );
  });
});
