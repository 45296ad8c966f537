/**
 * The canonical-URL fast path may only accept links the WHATWG parser serializes unchanged:
 * for every accepted string, `new URL(x).href === x` (so skipping the parser changes no byte).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isCanonicalHttpUrl } from '../src/canonical-fast.js';
import { canonicalizeUrl, isPrintableResource } from '../src/canonical-url.js';

const piece = fc.constantFrom(
  ...'aZ09-._~!$&()*+,;=:@%/?#\'"<>\\ `{}|^[]\t\n'.split(''),
  '.',
  '..',
  '%2e',
  '%2E',
  '%41',
  '%zz',
  'xn--',
  'é',
  '\u0000',
  '//',
  '/./',
  '/../',
  ':443',
  ':80',
  ':8080',
  '@',
  'user:pw@',
  'A',
  'WWW',
);
const host = fc.oneof(
  fc.constantFrom(
    'cdn.example.com',
    'd111111abcdef8.cloudfront.net',
    'a',
    'a-b.c',
    '1.2.3',
    '0x1.a',
    'x.0x1',
    'EXAMPLE.com',
    'a..b',
    'a.',
    '-a.com',
    'xn--nxasmq6b.com',
    '[::1]',
    '127.0.0.1',
    'a.b1',
  ),
  fc.stringMatching(/^[a-z0-9.-]{1,12}$/),
);
const candidate = fc
  .tuple(
    fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'https:/', 'https:\\\\'),
    host,
    fc.array(piece, { maxLength: 12, size: 'max' }),
    fc.array(fc.stringMatching(/^[\w.~%-]{0,6}$/), { maxLength: 4 }),
  )
  .map(([scheme, h, pieces, words]) => `${scheme}${h}/${words.join('/')}${pieces.join('')}`);

describe('the canonical-URL fast path', () => {
  test('accepts only what new URL() leaves unchanged', () => {
    let accepted = 0;
    const numRuns = Number(process.env.FAST_RUNS ?? 20_000);
    fc.assert(
      fc.property(fc.oneof(candidate, fc.webUrl({ withQueryParameters: true, withFragments: true })), (x) => {
        if (!isCanonicalHttpUrl(x)) return;
        accepted++;
        expect(new URL(x).href).toBe(x);
        // canonicalizeUrl skips its printable-resource check for these: it must hold by construction.
        expect(isPrintableResource(x.split('#')[0]!)).toBe(true);
      }),
      { numRuns, seed: Number(process.env.FAST_SEED ?? 4242) },
    );
    // The fast path is exercised, not vacuous: more than 1 in 40 candidates (500 of the default 20,000;
    // FAST_RUNS lowers the count for mutation runs).
    expect(accepted).toBeGreaterThan(numRuns / 40);
  });

  test('the usual CDN links take it; links the parser would change do not', () => {
    for (const x of [
      'https://cdn.example.com/a.jpg',
      'https://d111111abcdef8.cloudfront.net/media/photo-1.jpg?size=large&v=2',
      'https://cdn.example.com/v/seg_001.ts#t=10',
      'http://cdn.example.com/a%20b/c',
    ])
      expect(isCanonicalHttpUrl(x), x).toBe(true);
    for (const x of [
      'HTTPS://cdn.example.com/a',
      'https://CDN.example.com/a',
      'https://cdn.example.com',
      'https://cdn.example.com:443/a',
      'https://cdn.example.com/a/../b',
      'https://cdn.example.com/a/%2e%2e/b',
      'https://cdn.example.com/a b',
      "https://cdn.example.com/a?x=it's",
      'https://cdn.example.com/a\\b',
      'https://1.2.3/a',
      'https://xn--nxasmq6b.com/a',
      'https://u:p@cdn.example.com/a',
    ])
      expect(isCanonicalHttpUrl(x), x).toBe(false);
  });

  test('canonicalizeUrl gives the same resource with and without it', () => {
    fc.assert(
      fc.property(candidate, (x) => {
        if (!isCanonicalHttpUrl(x)) return;
        const u = new URL(x);
        const expected = u.href.split('#')[0]!;
        try {
          expect(canonicalizeUrl(x).resource).toBe(expected);
        } catch (err) {
          // Refusals (reserved params, credentials) are the same either way: the parser path refuses too.
          expect(() => canonicalizeUrl(`${x.replace(/^http/, 'HTTP')}`)).toThrow(
            (err as Error).constructor as never,
          );
        }
      }),
      { numRuns: 3000, seed: 77 },
    );
  });
});
