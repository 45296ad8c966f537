/**
 * Cookie issuance: the cookies of cookie-mode rules carry the rule's attributes and live as long as
 * the policy, on GET and HEAD alike, and a cookie domain that misses the CDN fails at start-up.
 * Host-only cookies (no `cookie.domain`) that cannot reach the CDN fail at start-up when `origins`
 * is listed, else on the page: the response is refused whole, no cookie added.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSigner, isCfsignError, verifySignedCookies } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { createSession, issueCookies, prepareOptions, signWebResponse } from '../src/index.js';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY = 'K2RESPONSECOOKIES';
const signer = createSigner({
  keyPairId: KEY,
  privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const keys = { [KEY]: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
const rules = (domain: string, cdn = 'https://cdn.example.com') => ({
  cdn,
  origins: ['https://www.example.com'],
  rules: [
    {
      match: '/hls/**',
      mode: 'cookie' as const,
      authorize: 'any-viewer' as const,
      expiresIn: '15m',
      cookie: { domain, sameSite: 'Strict' as const },
    },
    { match: '/media/**' },
  ],
});
const prepared = prepareOptions({ rules: rules('example.com'), signer });
const session = () =>
  createSession(prepared, { url: 'https://www.example.com/watch', clientIp: undefined, req: null });

describe('cookie issuance', () => {
  it("issueCookies adds the rule's cookies: Domain, Path, Max-Age of the policy, Secure, HttpOnly, SameSite", async () => {
    const h = new Headers({ 'set-cookie': 'app=1; Path=/' });
    await issueCookies(h, session());
    const set = h.getSetCookie();
    expect(set[0]).toBe('app=1; Path=/');
    const live = set.slice(1).filter((c) => !/Max-Age=0;/.test(c));
    expect(live).toHaveLength(4);
    for (const c of live)
      expect(c).toMatch(
        /; Domain=example\.com; Path=\/hls\/; Max-Age=(9\d\d|1000); Secure; HttpOnly; SameSite=Strict$/,
      );
    const jar = live.map((c) => c.split(';')[0]!).join('; ');
    expect((await verifySignedCookies('https://cdn.example.com/hls/seg1.ts', jar, { keys })).ok).toBe(true);
  });

  it('GET and HEAD of a rewritten page carry the same cookies', async () => {
    const ctx = { begin: () => ({ prepared, session: session() }) };
    const page = () => new Response('<img src="/media/a.jpg">', { headers: { 'content-type': 'text/html' } });
    const get = await signWebResponse(new Request('https://www.example.com/p'), page(), ctx);
    const head = await signWebResponse(
      new Request('https://www.example.com/p', { method: 'HEAD' }),
      page(),
      ctx,
    );
    const names = (r: Response) =>
      r.headers.getSetCookie().map((c) => c.replace(/=[^;]*/, '').replace(/Max-Age=\d+/, ''));
    expect(names(head)).toEqual(names(get));
    expect(get.headers.getSetCookie().some((c) => c.includes('Domain=example.com'))).toBe(true);
  });

  it('a cookie domain the CDN is not under fails when the options are prepared', () => {
    expect(() =>
      prepareOptions({ rules: rules('example.com', 'https://d111111abcdef8.cloudfront.net'), signer }),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_COOKIE_OPTIONS',
        message: expect.stringMatching(/alternate domain name/),
      }),
    );
  });
});

describe('host-only cookies that cannot reach the CDN', () => {
  const hostOnly = (origins?: string[]) => ({
    cdn: 'https://cdn.example.com',
    ...(origins !== undefined && { origins }),
    rules: [
      { match: '/hls/**', mode: 'cookie' as const, authorize: 'any-viewer' as const },
      { match: '/media/**' },
    ],
  });
  const page = () => new Response('<img src="/media/a.jpg">', { headers: { 'content-type': 'text/html' } });
  const sign = (p: ReturnType<typeof prepareOptions>, url: string) =>
    signWebResponse(new Request(url), page(), {
      signJson: false,
      begin: () => ({ prepared: p, session: createSession(p, { url, clientIp: undefined, req: null }) }),
    });

  it('with origins on another host than the CDN: refused when the options are prepared', () => {
    expect(() => prepareOptions({ rules: hostOnly(['https://www.example.com']), signer })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_COOKIE_OPTIONS',
        message: expect.stringMatching(
          /site host www\.example\.com \(in origins\).*CDN host cdn\.example\.com/,
        ),
      }),
    );
  });

  it('without origins, a page on another host: the response fails with the coded error, no cookie added', async () => {
    const p = prepareOptions({ rules: hostOnly(), signer });
    const err = await sign(p, 'https://www.example.com/watch').then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCfsignError(err, 'ERR_INVALID_COOKIE_OPTIONS')).toBe(true);
    expect((err as Error).message).toMatch(/site host www\.example\.com \(the host of this request/);
    const h = new Headers({ 'set-cookie': 'app=1; Path=/' });
    const s = createSession(p, { url: 'https://www.example.com/watch', clientIp: undefined, req: null });
    await expect(issueCookies(h, s)).rejects.toMatchObject({ code: 'ERR_INVALID_COOKIE_OPTIONS' });
    expect(h.getSetCookie()).toEqual(['app=1; Path=/']);
  });

  it('without origins, a page on the CDN host gets cookies that open it', async () => {
    const p = prepareOptions({ rules: hostOnly(), signer });
    const res = await sign(p, 'https://cdn.example.com/watch');
    const jar = res.headers
      .getSetCookie()
      .filter((c) => !/Max-Age=0;/.test(c))
      .map((c) => c.split(';')[0]!)
      .join('; ');
    expect((await verifySignedCookies('https://cdn.example.com/hls/seg1.ts', jar, { keys })).ok).toBe(true);
  });
});
