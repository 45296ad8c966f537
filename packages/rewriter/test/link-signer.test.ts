import { describe, expect, it } from 'vitest';
import { compileRules } from '../src/rules/compile-rules.js';
import { createLinkSigner, signLink } from '../src/rules/link-signer.js';
import { createRewriter } from '../src/rules-rewriter.js';
import { fakeSigner } from './helpers/fake-signer.js';
import { dec, enc, streamed } from './helpers/run.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const config = {
  cdn: CDN,
  // The distribution serves the site's pages too (one distribution in front of both), so the
  // host-only cookies of /hls/** reach it.
  origins: ['https://www.example.com', CDN],
  rules: [
    { match: '/media/**', expiresIn: '10m' },
    { match: '/downloads/*.pdf', expiresIn: '1h', ipAddress: 'client' },
    // public trailers and streams: everyone who can see the page may watch them
    {
      match: '/video/:id/**',
      mode: 'wildcard' as const,
      resource: '/video/:id/*',
      authorize: 'any-viewer' as const,
    },
    { match: '/hls/**', mode: 'cookie' as const, authorize: 'any-viewer' as const },
  ],
};
const rules = compileRules(config);
const request = { url: 'https://www.example.com/shop/page.html', clientIp: '203.0.113.7' };
const SUF = 'Expires=9&Signature=SIG&Key-Pair-Id=K';

describe('link signer', () => {
  it('maps site and relative links to the CDN and signs them', () => {
    const { signer, calls } = fakeSigner();
    const skips: string[] = [];
    const r = createLinkSigner({ rules, signer, request, onSkip: (reason) => skips.push(reason) });
    const h = { kind: 'html' as const };
    expect(r('/media/a.jpg', h)).toBe(`${CDN}/media/a.jpg?${SUF}`);
    expect(r('../media/b.jpg?w=1#top', h)).toBe(`${CDN}/media/b.jpg?w=1&${SUF}#top`);
    expect(r('//www.example.com/media/c.jpg', h)).toBe(`${CDN}/media/c.jpg?${SUF}`);
    expect(r('https://WWW.EXAMPLE.COM:443/media/d.jpg', h)).toBe(`${CDN}/media/d.jpg?${SUF}`);
    expect(r(`${CDN}/media/e.jpg`, h)).toBe(`${CDN}/media/e.jpg?${SUF}`);
    expect(r('a.jpg', { kind: 'html', base: '/media/x/' })).toBe(`${CDN}/media/x/a.jpg?${SUF}`);
    expect(r('/media/%7Ea b.jpg', h)).toBe(`${CDN}/media/%7Ea%20b.jpg?${SUF}`);
    expect(calls.url.map((c) => c.opts.verbatim ?? false)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(calls.url[0]!.opts).toMatchObject({ expiresIn: 600 });
    expect(r('https://other.example/media/a.jpg', h)).toBeNull();
    expect(r('/static/a.css', h)).toBeNull();
    expect(r('data:image/png;base64,AAAA', h)).toBeNull();
    expect(r('mailto:a@b.c', h)).toBeNull();
    expect(r(`/media/a.jpg?Expires=1&Signature=x&Key-Pair-Id=K`, h)).toBeNull();
    expect(r('/hls/master.m3u8', h)).toBeNull();
    expect(skips).toEqual([
      'other-origin',
      'no-rule',
      'not-http',
      'not-http',
      'already-signed',
      'cookie-mode',
    ]);
  });

  it('signs for the client IP and fails clearly without one', () => {
    const { signer, calls } = fakeSigner();
    createLinkSigner({ rules, signer, request })('/downloads/a.pdf', { kind: 'html' });
    expect(calls.url[0]!.opts).toMatchObject({ expiresIn: 3600, ipAddress: '203.0.113.7' });
    const noIp = createLinkSigner({ rules, signer, request: { url: request.url } });
    expect(() => noIp('/downloads/a.pdf', { kind: 'html' })).toThrow(/request.clientIp is missing/);
    const skipping = createLinkSigner({ rules, signer, request: { url: request.url }, onLinkError: 'skip' });
    expect(skipping('/downloads/a.pdf', { kind: 'html' })).toBeNull();
  });

  it('uses the async signer when it cannot sign synchronously', async () => {
    const { signer } = fakeSigner({ sync: false });
    const out = createLinkSigner({ rules, signer, request })('/media/a.jpg', { kind: 'html' });
    expect(out).toBeInstanceOf(Promise);
    expect(await out).toBe(`${CDN}/media/a.jpg?${SUF}`);
  });

  it('wildcard mode: one policy per rule and resource, shared by every link', async () => {
    const { signer, calls } = fakeSigner();
    const local = compileRules(config);
    const html = Array.from(
      { length: 300 },
      (_, i) => `<img src="/video/${i % 2 ? 7 : 8}/seg-${i}.ts">`,
    ).join('');
    const rw = createRewriter({ rules: local, signer, request, now: () => 1_700_000_000_000 });
    const out = dec.decode(await streamed('html', [enc.encode(html)], { resolve: rw.resolve }));
    expect(calls.policy).toHaveLength(2);
    expect(calls.policy.map((p) => p.resource).sort()).toEqual([`${CDN}/video/7/*`, `${CDN}/video/8/*`]);
    expect(calls.url).toHaveLength(0);
    expect(out).toContain(`<img src="${CDN}/video/8/seg-0.ts?Policy=P`);
    expect(out.match(/Policy=P\d/g)).toHaveLength(300);
    // A second response in the same bucket costs nothing.
    const rw2 = createRewriter({ rules: local, signer, request, now: () => 1_700_000_001_000 });
    await streamed('html', [enc.encode(html)], { resolve: rw2.resolve });
    expect(calls.policy).toHaveLength(2);
  });

  it('authorize hook: deny keeps the link unsigned or replaces it', async () => {
    const { signer } = fakeSigner();
    const authorize = async (_req: unknown, url: string) => !url.includes('secret');
    const keep = createLinkSigner({ rules: compileRules({ ...config, authorize }), signer, request });
    expect(await keep('/media/secret.jpg', { kind: 'html' })).toBeNull();
    expect(await keep('/media/ok.jpg', { kind: 'html' })).toBe(`${CDN}/media/ok.jpg?${SUF}`);
    const replace = createLinkSigner({
      rules: compileRules({ ...config, authorize, onDeny: { replaceWith: '/denied.png' } }),
      signer,
      request,
    });
    expect(await replace('/media/secret.jpg', { kind: 'html' })).toBe('/denied.png');
  });

  it('cookie rules: links untouched, cookies issued for the response', async () => {
    const { signer, calls } = fakeSigner();
    const rw = createRewriter({ rules, signer, request });
    expect(await rw.cookies()).toEqual(['CloudFront-Policy=X; Path=/hls/']);
    expect(calls.cookies).toEqual([`${CDN}/hls/*`]);
  });

  it('cookie rules without any-viewer: the hook decides, once per response, on the granted resource', async () => {
    const asked: string[] = [];
    for (const allow of [true, false]) {
      const { signer, calls } = fakeSigner();
      const rw = createRewriter({
        rules: compileRules({
          cdn: CDN,
          rules: [{ match: '/courses/paid/**', mode: 'cookie' }],
          authorize: (_req, url) => {
            asked.push(url);
            return allow;
          },
        }),
        signer,
        // no origins listed: the page is on the CDN's host, where its host-only cookies count
        request: { url: `${CDN}/courses/paid/`, clientIp: request.clientIp },
      });
      expect(await rw.cookies()).toEqual(allow ? ['CloudFront-Policy=X; Path=/courses/paid/'] : []);
      expect(calls.cookies).toHaveLength(allow ? 1 : 0);
    }
    expect(asked).toEqual([`${CDN}/courses/paid/*`, `${CDN}/courses/paid/*`]);
  });

  it('signLink helper', async () => {
    const { signer } = fakeSigner();
    expect(await signLink('/media/a.jpg', { rules, signer, request })).toBe(`${CDN}/media/a.jpg?${SUF}`);
    expect(await signLink('/nope', { rules, signer, request })).toBeNull();
  });
});

describe('authorize and any-viewer', () => {
  it('the hook gets the rule match; any-viewer rules are signed without asking it', () => {
    const { signer } = fakeSigner();
    const asked: [string, Readonly<Record<string, string>>][] = [];
    const r = createLinkSigner({
      rules: compileRules({
        cdn: CDN,
        origins: ['https://www.example.com'],
        rules: [{ match: '/users/:id/**' }, { match: '/public/:slug/**', authorize: 'any-viewer' }],
        authorize: (req, url, m) => {
          asked.push([url, m.params]);
          return m.params.id === req.userId;
        },
      }),
      signer,
      request: { ...request, userId: '7' },
    });
    const h = { kind: 'html' as const };
    expect(r('/users/7/a.pdf', h)).toMatch(/^https:.*\/users\/7\/a\.pdf\?Expires=/);
    expect(r('/users/42/tax.pdf', h)).toBeNull();
    expect(r('/public/intro/a.jpg', h)).toMatch(/Signature=/);
    expect(asked).toEqual([
      ['https://www.example.com/users/7/a.pdf', { id: '7' }],
      ['https://www.example.com/users/42/tax.pdf', { id: '42' }],
    ]);
  });
});
