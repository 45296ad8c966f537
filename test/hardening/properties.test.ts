// Property tests at scale (fast-check, fixed seeds in CI, >= 100,000 runs per property with
// HARDENING_LONG=1): what is signed is what is emitted, every algorithm and policy kind verifies,
// every single-byte tamper is refused, wildcards never grant outside their pattern.
import { verify as cryptoVerify } from 'node:crypto';
import {
  cannedPolicy,
  canonicalizeUrl,
  cfBase64Decode,
  createKeyGroup,
  createSigner,
  matchWildcard,
  paramsFromUrl,
  type Signer,
  stripSigningParams,
  verifyRequest,
  verifySignedUrl,
} from '@cfsign/core';
import { compileGlob } from '@cfsign/rewriter';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { rawParam, referenceWildcard, runs, seed, testKey } from './helpers.js';

const NOW = Date.UTC(2027, 2, 1, 12, 0, 0);
const CLIENT = '198.51.100.23';
const rsa = testKey('rsa');
const ec = testKey('ec');
const keys = createKeyGroup({ [rsa.id]: rsa.publicPem, [ec.id]: ec.publicPem });

const algorithms = {
  'RSA SHA-1': () => createSigner({ keyPairId: rsa.id, privateKey: rsa.privatePem, cache: false }),
  'RSA SHA-256': () =>
    createSigner({ keyPairId: rsa.id, privateKey: rsa.privatePem, hashAlgorithm: 'SHA256', cache: false }),
  'ECDSA P-256': () => createSigner({ keyPairId: ec.id, privateKey: ec.privatePem, cache: false }),
} satisfies Record<string, () => Signer>;

const segment = fc.string({
  unit: fc.constantFrom(...'abcXYZ019-._~%2e7E +\'"<>\\|{}^`!$&()*,;=@é文\u{1F600}'.split(/(?:)/u)),
  maxLength: 10,
});
/** Links as they appear in pages: odd hosts, ports, dot segments, escapes, non-ASCII, fragments. */
const link = fc
  .record({
    scheme: fc.constantFrom('https', 'http', 'HTTPS'),
    host: fc.constantFrom(
      'cdn.example.com',
      'CDN.Example.COM',
      'bücher.example',
      'd111111abcdef8.cloudfront.net',
    ),
    port: fc.constantFrom('', ':443', ':80', ':8443'),
    path: fc.array(fc.oneof(segment, fc.constantFrom('.', '..', '%2e%2e', '%7Euser')), { maxLength: 5 }),
    query: fc.option(
      fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/), segment), { minLength: 1, maxLength: 3 }),
    ),
    fragment: fc.option(segment),
  })
  .map(({ scheme, host, port, path, query, fragment }) => {
    let u = `${scheme}://${host}${port}/${path.join('/')}`;
    if (query) u += `?${query.map(([k, v]) => `${k}=${v.replace(/#/g, '')}`).join('&')}`;
    if (fragment !== null) u += `#${fragment}`;
    return u;
  });

const b64 = (s: string) => Buffer.from(cfBase64Decode(s)!);

describe('signed URL == signed resource', () => {
  const signer = algorithms['RSA SHA-1']();
  test('emitted URL minus signing params == canonical resource; new URL(x).href === x; independent verify', () => {
    fc.assert(
      fc.property(link, (input) => {
        const out = signer.signUrlSync(input, { dateLessThan: new Date(NOW + 3600_000), now: NOW });
        expect(new URL(out).href).toBe(out);
        const noFragment = out.split('#')[0]!;
        const { resource, fragment } = canonicalizeUrl(input);
        expect(stripSigningParams(noFragment)).toBe(resource);
        expect(out.endsWith(fragment)).toBe(true);
        // What was signed is the canned policy of exactly that resource (checked with node:crypto).
        const expires = Number(rawParam(noFragment, 'Expires'));
        const ok = cryptoVerify(
          'sha1',
          Buffer.from(cannedPolicy(resource, expires)),
          rsa.publicKey,
          b64(rawParam(noFragment, 'Signature')!),
        );
        expect(ok).toBe(true);
      }),
      { numRuns: runs(300), ...seed(8001) },
    );
  });
});

type Kind = 'canned' | 'custom (start + IP)' | 'wildcard';
const kindOptions = (kind: Kind, resource: string) => {
  const base = { expiresIn: '10m', now: NOW } as const;
  if (kind === 'canned') return base;
  if (kind === 'custom (start + IP)') return { ...base, startsIn: 0, ipAddress: '198.51.100.0/24' };
  return { ...base, resource: `${resource.slice(0, resource.lastIndexOf('/') + 1)}*` };
};
const kinds: Kind[] = ['canned', 'custom (start + IP)', 'wildcard'];

describe.each(Object.entries(algorithms))('verify(sign(u)) with %s', (_name, make) => {
  const signer = make();
  test.each(kinds)('signed URLs, %s policy', async (kind) => {
    await fc.assert(
      fc.asyncProperty(
        link.filter((u) => !u.includes('*')),
        async (input) => {
          const { resource } = canonicalizeUrl(input);
          const out = await signer.signUrl(input, kindOptions(kind, resource));
          const v = await verifySignedUrl(out, { keys, now: NOW + 1000, clientIp: CLIENT });
          expect(v.reason ?? 'ok').toBe('ok');
          expect(v.resource).toBe(resource);
        },
      ),
      { numRuns: runs(60), ...seed(8100 + kinds.indexOf(kind)) },
    );
  });
  test.each(['canned', 'custom wildcard'] as const)('signed cookies, %s', async (kind) => {
    await fc.assert(
      fc.asyncProperty(
        link.filter((u) => !u.includes('*')),
        async (input) => {
          const { resource } = canonicalizeUrl(input);
          const target =
            kind === 'canned' ? resource : `${resource.slice(0, resource.lastIndexOf('/') + 1)}*`;
          const set = await signer.signCookies(target, {
            expiresIn: '10m',
            now: NOW,
            canned: kind === 'canned',
            path: '/',
            ...(kind !== 'canned' && { ipAddress: '198.51.100.0/24' }),
          });
          const header = Object.entries(set.values)
            .map(([k, v]) => `${k}=${v}`)
            .join('; ');
          const v = await verifyRequest(resource, header, { keys, now: NOW + 1000, clientIp: CLIENT });
          expect(v.reason ?? 'ok').toBe('ok');
          expect(v.source).toBe('cookie');
        },
      ),
      { numRuns: runs(30), ...seed(8200) },
    );
  });
});

/** Every single-byte change: 7 bit flips plus a few structural characters, at every position. */
function tampers(s: string): Iterable<[number, string]> {
  const specials = ['A', 'z', '0', '-', '_', '~', '%', '&', '=', '?', '#', '/', '.'];
  return (function* () {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const subs = new Set<string>();
      for (let b = 0; b < 7; b++) subs.add(String.fromCharCode(c ^ (1 << b)));
      for (const x of specials) subs.add(x);
      subs.delete(s[i]!);
      for (const x of subs) yield [i, s.slice(0, i) + x + s.slice(i + 1)];
    }
  })();
}

describe('every single-byte tamper is refused (exhaustive over positions)', () => {
  const inputs = [
    'https://cdn.example.com/media/cat.jpg',
    'https://cdn.example.com/a/b%20c.mp4?x=1&y=it%27s',
    'https://d111111abcdef8.cloudfront.net/video/7/index.m3u8?q=%7e',
  ];
  test.each(Object.entries(algorithms))('signed URLs, %s, every policy kind', async (_name, make) => {
    const signer = make();
    let checked = 0;
    for (const input of inputs)
      for (const kind of kinds) {
        const opts = kindOptions(kind, canonicalizeUrl(input).resource);
        const good = await signer.signUrl(input, opts);
        const base = await verifySignedUrl(good, { keys, now: NOW + 1000, clientIp: CLIENT });
        expect(base.ok).toBe(true);
        const paramsAt = good.search(/[?&](Expires|Policy)=/);
        for (const [i, bad] of tampers(good)) {
          const v = await verifySignedUrl(bad, { keys, now: NOW + 1000, clientIp: CLIENT });
          // A wildcard grant legitimately covers other URLs inside its pattern: a change before the
          // signing params may pass only if the changed URL still matches the policy resource.
          const allowed =
            kind === 'wildcard' &&
            i < paramsAt &&
            bad.slice(paramsAt) === good.slice(paramsAt) &&
            !bad.includes('#') &&
            JSON.stringify(paramsFromUrl(bad)) === JSON.stringify(paramsFromUrl(good)) &&
            referenceWildcard(base.policy!.resource, stripSigningParams(bad));
          if (v.ok !== allowed)
            throw new Error(`tamper at ${i} (${JSON.stringify(bad[i])}) of ${good} gave ok=${v.ok}`);
          checked++;
        }
      }
    expect(checked).toBeGreaterThan(3 * 3 * 300 * 10);
  });

  test.each(Object.entries(algorithms))('signed cookies, %s, canned and custom', async (_name, make) => {
    const signer = make();
    let checked = 0;
    for (const canned of [true, false]) {
      const target = canned ? 'https://cdn.example.com/media/cat.jpg' : 'https://cdn.example.com/media/*';
      const set = await signer.signCookies(target, {
        expiresIn: '10m',
        now: NOW,
        canned,
        ...(!canned && { ipAddress: '198.51.100.0/24' }),
      });
      const url = 'https://cdn.example.com/media/cat.jpg';
      const header = (vals: Record<string, string>) =>
        Object.entries(vals)
          .map(([k, v]) => `${k}=${v}`)
          .join('; ');
      expect(
        (await verifyRequest(url, header(set.values), { keys, now: NOW + 1000, clientIp: CLIENT })).ok,
      ).toBe(true);
      for (const [name, value] of Object.entries(set.values))
        for (const [i, bad] of tampers(value)) {
          // `;` would split the header; every other single-byte change must be refused.
          const v = await verifyRequest(url, header({ ...set.values, [name]: bad }), {
            keys,
            now: NOW + 1000,
            clientIp: CLIENT,
          });
          if (v.ok)
            throw new Error(`cookie ${name} tampered at ${i} (${JSON.stringify(bad[i])}) still verifies`);
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(2 * 300 * 10);
  });
});

describe('wildcards never grant outside their pattern', () => {
  const alpha = (chars: string, maxLength: number) =>
    fc.string({ unit: fc.constantFrom(...chars), maxLength });
  test('matchWildcard == the docs/signing.md §8 reference regex matcher (short inputs)', () => {
    fc.assert(
      fc.property(alpha('ab*?/', 8), alpha('ab/?*', 10), (pattern, text) => {
        expect(matchWildcard(pattern, text)).toBe(referenceWildcard(pattern, text));
      }),
      { numRuns: runs(50_000, 1_000_000), ...seed(8300) },
    );
  });
  test('matchWildcard == reference on pattern/URL pairs built to nearly match', () => {
    const pair = alpha('ab/.?*', 12).chain((p) =>
      fc.tuple(
        fc.constant(p),
        fc.array(fc.constantFrom('a', 'b', '/', '.', 'ab', ''), { maxLength: 6 }).map((fill) =>
          p
            .split('')
            .map((c, i) => (c === '*' || c === '?' ? (fill[i % Math.max(1, fill.length)] ?? '') : c))
            .join(''),
        ),
      ),
    );
    fc.assert(
      fc.property(pair, ([p, t]) => {
        expect(matchWildcard(p, t)).toBe(referenceWildcard(p, t));
      }),
      { numRuns: runs(50_000, 1_000_000), ...seed(8301) },
    );
  });
  test('a signed wildcard grant verifies exactly for the URLs the reference matcher accepts', async () => {
    const signer = algorithms['ECDSA P-256']();
    const host = 'https://cdn.example.com/';
    await fc.assert(
      fc.asyncProperty(
        alpha('ab*?/', 7).filter((p) => p !== '*' && p.length > 0),
        fc.array(alpha('ab/', 8), { minLength: 1, maxLength: 8 }),
        async (pattern, paths) => {
          const grant = await signer.signPolicy({ resource: host + pattern, expiresIn: '10m', now: NOW });
          for (const path of paths) {
            const url = `${host}${path}?${grant.query}`;
            const v = await verifySignedUrl(url, { keys, now: NOW + 1000 });
            expect(v.ok).toBe(referenceWildcard(host + pattern, host + path));
          }
        },
      ),
      { numRuns: runs(2_000), ...seed(8302) },
    );
  });
});

describe('rule globs agree with a reference segment matcher', () => {
  const segRef = (pat: string, seg: string) =>
    pat.startsWith(':')
      ? seg.length > 0
      : new RegExp(
          `^${pat
            .split('')
            .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
            .join('')}$`,
          's',
        ).test(seg);
  const ref = (pat: string[], segs: string[], pi = 0, si = 0): boolean => {
    if (pi === pat.length) return si === segs.length;
    if (pat[pi] === '**')
      return ref(pat, segs, pi + 1, si) || (si < segs.length && ref(pat, segs, pi, si + 1));
    return si < segs.length && segRef(pat[pi]!, segs[si]!) && ref(pat, segs, pi + 1, si + 1);
  };
  test('compileGlob(p).match(path) !== null  <=>  reference(p, path)', () => {
    const patSeg = fc.constantFrom('**', '*', 'a', 'b', 'a*', '*b', '?', 'a?', '*a*', ':p', '');
    const pathSeg = fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'aa', 'aba');
    fc.assert(
      fc.property(fc.array(patSeg, { maxLength: 6 }), fc.array(pathSeg, { maxLength: 7 }), (pat, segs) => {
        const named = pat.map((s, i) => (s === ':p' ? `:p${i}` : s));
        const pattern = `/${named.join('/')}`;
        const path = `/${segs.join('/')}`;
        const g = compileGlob(pattern);
        expect(g.match(path) !== null, `${pattern} vs ${path}`).toBe(
          ref(pattern.split('/'), path.split('/')),
        );
      }),
      { numRuns: runs(50_000, 1_000_000), ...seed(8400) },
    );
  });
});
