/**
 * Cookie attributes of cookie-mode rules: validated at start-up (the domain must reach both the CDN
 * and the site), and carried by every `Set-Cookie` with a lifetime equal to the policy's.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSigner, isCfsignError, verifySignedCookies } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { createRewriter } from '../src/rewriter.js';
import { compileRules } from '../src/rules/compile-rules.js';
import type { RuleConfig } from '../src/rules/types.js';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = createSigner({
  keyPairId: 'K2COOKIERULES',
  privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const keys = { K2COOKIERULES: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };

const config = (rule: Partial<RuleConfig>, cdn = 'https://cdn.example.com') => ({
  cdn,
  origins: ['https://www.example.com'],
  rules: [{ match: '/hls/**', mode: 'cookie' as const, authorize: 'any-viewer' as const, ...rule }],
});

function codeOf(fn: () => unknown): { code: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: isCfsignError(err) ? err.code : undefined, message: String((err as Error).message) };
  }
  throw new Error('expected a throw');
}

describe('cookie attributes of a rule', () => {
  it('a domain shared by the CDN and the site is accepted and normalized', () => {
    const rules = compileRules(config({ cookie: { domain: '.Example.COM', sameSite: 'Strict' } }));
    expect(rules.list[0]!.cookie).toEqual({ domain: 'example.com', sameSite: 'Strict' });
  });

  it('a domain the CDN is not under fails at start-up and explains the alternate domain name', () => {
    const e = codeOf(() =>
      compileRules(config({ cookie: { domain: 'example.com' } }, 'https://d111111abcdef8.cloudfront.net')),
    );
    expect(e.code).toBe('ERR_INVALID_COOKIE_OPTIONS');
    expect(e.message).toMatch(/rules\[0\]\.cookie\.domain/);
    expect(e.message).toMatch(/public suffix cloudfront\.net/);
    expect(e.message).toMatch(/alternate domain name under "example\.com" \(e\.g\. cdn\.example\.com/);
  });

  it('a domain the site is not under fails too', () => {
    const e = codeOf(() => compileRules(config({ cookie: { domain: 'cdn.example.com' } })));
    expect(e.code).toBe('ERR_INVALID_COOKIE_OPTIONS');
    expect(e.message).toMatch(/site host www\.example\.com \(in origins\) is not under "cdn\.example\.com"/);
  });

  it('bad attributes name the rule and the fix', () => {
    const cases: [Partial<RuleConfig>, RegExp][] = [
      [{ mode: 'url', cookie: { domain: 'example.com' } }, /only applies to rules with mode: "cookie"/],
      [{ cookie: { domain: '127.0.0.1' } }, /not a parent domain/],
      [{ cookie: { domain: 'com' } }, /not a parent domain/],
      [{ cookie: { path: '/other/' } }, /does not cover the rule's resource \/hls\/\*/],
      [{ cookie: { path: '/hls/*' } }, /literal path prefix/],
      [{ cookie: { sameSite: 'lax' as 'Lax' } }, /"Strict", "Lax" or "None"/],
      [{ cookie: { sameSite: 'None', secure: false } }, /must be Secure/],
      [{ cookie: { expires: 3 } as never }, /unknown attribute "expires"/],
    ];
    for (const [rule, message] of cases) {
      const e = codeOf(() => compileRules(config(rule)));
      expect(e.code, JSON.stringify(rule)).toBe('ERR_INVALID_COOKIE_OPTIONS');
      expect(e.message).toMatch(message);
    }
  });

  it('every attribute is type-checked: the cookie object, domain, path, secure and httpOnly', () => {
    const cases: Partial<RuleConfig>[] = [
      { cookie: null as never },
      { cookie: 42 as never },
      { cookie: { domain: 42 as never } },
      { cookie: { path: 42 as never } },
      { cookie: { path: 'hls/' } },
      { cookie: { path: ['/'] as never } },
      { cookie: { secure: 'yes' as never } },
      { cookie: { httpOnly: 1 as never } },
    ];
    for (const rule of cases)
      expect(codeOf(() => compileRules(config(rule))).code, JSON.stringify(rule)).toBe(
        'ERR_INVALID_COOKIE_OPTIONS',
      );
  });

  it('accepted attributes come back as given: any SameSite, a shorter path, Secure off without None', () => {
    // The site on the CDN's own host, so host-only cookies (no domain) reach it (cookie-reach.test.ts).
    const cookie = (c: object, rule: Partial<RuleConfig> = {}) =>
      compileRules({ ...config({ ...rule, cookie: c as never }), origins: ['https://cdn.example.com'] })
        .list[0]!.cookie;
    for (const sameSite of ['Strict', 'Lax', 'None'] as const)
      expect(cookie({ sameSite })).toEqual({ sameSite });
    expect(cookie({ secure: false, httpOnly: false })).toEqual({ secure: false, httpOnly: false });
    expect(cookie({ sameSite: 'Lax', secure: false })).toEqual({ sameSite: 'Lax', secure: false });
    expect(cookie({ path: '/a/' }, { match: '/a/b/**' })).toEqual({ path: '/a/' });
    expect(cookie({ domain: '  Example.com ' })).toEqual({ domain: 'example.com' });
  });

  it('the cookies carry the attributes, and live exactly as long as the policy', async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 30);
    const rules = compileRules(
      config({ expiresIn: '20m', cookie: { domain: 'example.com', path: '/hls/', secure: true } }),
    );
    const rw = createRewriter({
      rules,
      signer,
      request: { url: 'https://www.example.com/watch' },
      now: () => now,
    });
    const set = await rw.cookies();
    const live = set.filter((c) => !/Max-Age=0/.test(c));
    expect(live.map((c) => c.split('=')[0])).toEqual([
      'CloudFront-Policy',
      'CloudFront-Signature',
      'CloudFront-Key-Pair-Id',
      'CloudFront-Hash-Algorithm', // ECDSA keys sign with SHA-256
    ]);
    const maxAge = Number(/; Max-Age=(\d+);/.exec(live[0]!)![1]);
    // The policy's expiry is now + 20 min, rounded up to the signer's 60 s bucket.
    expect(maxAge).toBeGreaterThanOrEqual(1200);
    expect(maxAge).toBeLessThanOrEqual(1260);
    for (const c of live) {
      expect(c).toMatch(/; Domain=example\.com; Path=\/hls\/; /);
      expect(c).toContain(`; Max-Age=${maxAge}; `);
      expect(c).toMatch(/; Secure; HttpOnly; SameSite=Lax$/);
    }
    const jar = live.map((c) => c.split(';')[0]!).join('; ');
    const at = (s: number) =>
      verifySignedCookies('https://cdn.example.com/hls/a.ts', jar, { keys, now: now + s * 1000 });
    // Valid up to the second the cookie goes away, refused after.
    expect((await at(maxAge - 1)).ok).toBe(true);
    expect((await at(maxAge + 1)).ok).toBe(false);
  });
  it('without attributes the cookies stay host-only (no Domain), still tied to the policy', async () => {
    // Host-only cookies count only when the site is on the CDN's host (see cookie-reach.test.ts).
    const rules = compileRules(config({}, 'https://www.example.com'));
    const rw = createRewriter({ rules, signer, request: { url: 'https://www.example.com/' } });
    const set = await rw.cookies();
    expect(set.some((c) => /Domain=/.test(c))).toBe(false);
    expect(set.filter((c) => !/Max-Age=0/.test(c)).every((c) => /; Max-Age=\d{3}; /.test(c))).toBe(true);
  });
});
