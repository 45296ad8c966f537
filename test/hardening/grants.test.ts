// No URL is signed more broadly than its rule: a `*` that comes from the link (not from the rule)
// must never end up as a wildcard in a custom policy, whatever path a page links to.
import {
  cfBase64Decode,
  createKeyGroup,
  createSigner,
  isCfsignError,
  parsePolicy,
  verifySignedUrl,
} from '@cfsign/core';
import { compileRules, createLinkSigner } from '@cfsign/rewriter';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { caught, rawParam, referenceWildcard, runs, seed, testKey } from './helpers.js';

const NOW = Date.UTC(2027, 2, 1, 12, 0, 0);
const ec = testKey('ec');
const keys = createKeyGroup({ [ec.id]: ec.publicPem });
const signer = createSigner({ keyPairId: ec.id, privateKey: ec.privatePem });
const CDN = 'https://cdn.example.com';
const policyOf = (url: string) =>
  parsePolicy(new TextDecoder().decode(cfBase64Decode(rawParam(url, 'Policy')!)!));

describe('core: a custom policy built from the URL itself (ipAddress / startsIn)', () => {
  // Defect found by this suite (fixed in packages/core/src/signer.ts): `signUrl(url, { ipAddress })`
  // put the URL verbatim into the policy Resource, so a link with a literal `*` in its path signed
  // a wildcard grant for every URL the `*` covers.
  test.each([[{ ipAddress: '198.51.100.7' }], [{ startsIn: 0 }]])(
    'a URL with a literal "*" is refused, not signed as a wildcard (%o)',
    async (extra) => {
      for (const url of [`${CDN}/media/*`, `${CDN}/media/*/x.mp4`, `${CDN}/media/a.mp4?v=*`]) {
        const err = await caught(() => signer.signUrl(url, { expiresIn: '10m', now: NOW, ...extra }));
        expect(isCfsignError(err, 'ERR_INVALID_RESOURCE'), String(err)).toBe(true);
      }
      // A canned policy is rebuilt from the request by CloudFront: a `*` there is just a character.
      const canned = await signer.signUrl(`${CDN}/media/*`, { expiresIn: '10m', now: NOW });
      const other = canned.replace('/media/*', '/media/secret.mp4');
      expect((await verifySignedUrl(other, { keys, now: NOW })).ok).toBe(false);
    },
  );

  test('property: every URL accepted by a URL-derived custom policy has the signed path and query', async () => {
    const seg = fc.string({ unit: fc.constantFrom('a', 'b', '*', '.', '-', '%2A'), maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(fc.array(seg, { minLength: 1, maxLength: 3 }), async (segs) => {
        const url = `${CDN}/m/${segs.join('/')}`;
        let signed: string;
        try {
          signed = await signer.signUrl(url, { expiresIn: '10m', now: NOW, ipAddress: '198.51.100.7' });
        } catch (err) {
          expect(isCfsignError(err, 'ERR_INVALID_RESOURCE')).toBe(true);
          return;
        }
        const p = policyOf(signed);
        expect(p.ok).toBe(true);
        if (!p.ok) return;
        // The grant covers the signed URL only (`?` stays the one CloudFront quirk: see docs/signing.md §8).
        expect(referenceWildcard(p.conditions.resource, `${CDN}/m/other`)).toBe(false);
        expect(p.conditions.resource.includes('*')).toBe(false);
      }),
      { numRuns: runs(300), ...seed(8500) },
    );
  });
});

describe('rewriter: wildcard rules with :params', () => {
  const rules = compileRules({
    cdn: CDN,
    origins: ['https://www.example.com'],
    rules: [
      { match: '/video/:id/**', mode: 'wildcard', resource: '/video/:id/*', authorize: 'any-viewer' },
      { match: '/hls/:id/**', mode: 'wildcard', authorize: 'any-viewer' },
      { match: '/ip/**', expiresIn: '10m', ipAddress: '198.51.100.0/24' },
    ],
  });
  const resolve = createLinkSigner({
    rules,
    signer,
    request: { url: 'https://www.example.com/' },
    now: () => NOW,
  });

  // Defect found by this suite (fixed in packages/rewriter/src/rules/link-signer.ts): the captured
  // `:id` was substituted into the policy resource as is, so a page linking to `/video/*/x.ts`
  // (user content can do that) received a policy for `/video/*/*`: every video of every user.
  test.each(['/video/*/x.ts', '/video/a*/x.ts', '/hls/*/index.m3u8', '/ip/*'])(
    'a "*" in the link never widens the policy (%s)',
    async (link) => {
      const err = await caught(() => resolve(link, { kind: 'html' }));
      expect(isCfsignError(err, 'ERR_INVALID_RESOURCE'), String(err)).toBe(true);
    },
  );

  test('property: a signed wildcard link grants only URLs under its own :id', async () => {
    const idSeg = fc.string({
      unit: fc.constantFrom('a', '1', '*', '-', '.', '%2A'),
      minLength: 1,
      maxLength: 4,
    });
    await fc.assert(
      fc.asyncProperty(idSeg, idSeg, async (id, other) => {
        let out: string | null;
        try {
          out = await resolve(`/video/${id}/seg.ts`, { kind: 'html' });
        } catch (err) {
          // A "*" in the id is refused; a link the policy would not cover is refused as well.
          expect(
            isCfsignError(err, 'ERR_INVALID_RESOURCE') || isCfsignError(err, 'ERR_RESOURCE_MISMATCH'),
          ).toBe(true);
          return;
        }
        if (out === null || id === other || id === '.' || other === '.') return;
        const p = policyOf(out);
        if (!p.ok) throw new Error('unreadable policy');
        const foreign = `${CDN}/video/${other}/seg.ts`;
        if (other !== id && !`/video/${other}/`.startsWith(`/video/${id}/`))
          expect(referenceWildcard(p.conditions.resource, foreign), `${id} grants ${other}`).toBe(false);
      }),
      { numRuns: runs(500), ...seed(8501) },
    );
  });
});
