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

  it('needs the absolute http(s) URL of the page: ERR_INVALID_URL otherwise', () => {
    const { signer } = fakeSigner();
    for (const bad of [undefined, {}, { url: 42 }, { url: '/shop/page.html' }, { url: 'not a url' }])
      expect(() => createLinkSigner({ rules, signer, request: bad as never })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_URL' }),
      );
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

describe('link signer options, clock and caches', () => {
  const h = { kind: 'html' as const };
  const page = { url: 'https://www.example.com/p', clientIp: '203.0.113.7' };

  it('each rule passes exactly its own options; the same object for every link when no clock is injected', () => {
    const { signer, calls } = fakeSigner();
    const local = compileRules({
      cdn: CDN,
      rules: [
        { match: '/a/**' },
        { match: '/b/**', expiresIn: 60, startsIn: 30, hashAlgorithm: 'SHA256' },
        { match: '/c/**', expiresIn: 120, ipAddress: '192.0.2.0/24' },
      ],
    });
    const r = createLinkSigner({ rules: local, signer, request: page });
    for (const link of ['/a/1.jpg', '/c/1.jpg', 'c/2.jpg', '/b/1.jpg', '/a/2.jpg', '/c/3.jpg', '../a/3.jpg'])
      expect(r(link, h)).toMatch(/Signature=SIG/);
    const opts = calls.url.map((c) => c.opts);
    expect(opts[0]).toStrictEqual({ expiresIn: 600, verbatim: true });
    expect(opts[1]).toStrictEqual({ expiresIn: 120, ipAddress: '192.0.2.0/24', verbatim: true });
    expect(opts[2]).toStrictEqual({ expiresIn: 120, ipAddress: '192.0.2.0/24' });
    expect(opts[3]).toStrictEqual({ expiresIn: 60, startsIn: 30, hashAlgorithm: 'SHA256', verbatim: true });
    expect(opts[4]).toBe(opts[0]);
    expect(opts[5]).toBe(opts[1]);
    expect(opts[6]).toStrictEqual({ expiresIn: 600 });
  });

  it('an injected clock governs every link: "now" is read per link', () => {
    const { signer, calls } = fakeSigner();
    let t = 1_900_000_000_000;
    const r = createLinkSigner({ rules, signer, request, now: () => t });
    r('/media/a.jpg', h);
    t += 5000;
    r('/media/b.jpg', h);
    expect(calls.url.map((c) => c.opts)).toStrictEqual([
      { expiresIn: 600, verbatim: true, now: 1_900_000_000_000 },
      { expiresIn: 600, verbatim: true, now: 1_900_000_005_000 },
    ]);
  });

  it('the client IP must be a non-empty string; a link error names the reason to onSkip', () => {
    const { signer } = fakeSigner();
    const skips: [string, unknown][] = [];
    for (const clientIp of ['', undefined]) {
      const r = createLinkSigner({ rules, signer, request: { url: request.url, clientIp } });
      expect(() => r('/downloads/a.pdf', h)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_IP_RANGE' }),
      );
    }
    const skipping = createLinkSigner({
      rules,
      signer,
      request: { url: request.url, clientIp: '' },
      onLinkError: 'skip',
      onSkip: (reason, _v, err) => skips.push([reason, (err as { code?: string })?.code]),
    });
    expect(skipping('/downloads/a.pdf', h)).toBeNull();
    expect(skips).toEqual([['link-error', 'ERR_INVALID_IP_RANGE']]);
  });

  it('a page on an origin not listed still maps its own relative links to the CDN', () => {
    const { signer } = fakeSigner();
    const r = createLinkSigner({ rules, signer, request: { url: 'https://preview.example.net/p' } });
    expect(r('/media/a.jpg', h)).toBe(`${CDN}/media/a.jpg?${SUF}`);
    expect(r('https://www.example.com/media/b.jpg', h)).toBe(`${CDN}/media/b.jpg?${SUF}`);
  });

  it('a <base> applies to its own links only', () => {
    const { signer } = fakeSigner();
    const r = createLinkSigner({ rules, signer, request: { url: 'https://www.example.com/media/p/' } });
    expect(r('a.jpg', { kind: 'html', base: 'https://www.example.com/media/x/' })).toBe(
      `${CDN}/media/x/a.jpg?${SUF}`,
    );
    expect(r('b.jpg', h)).toBe(`${CDN}/media/p/b.jpg?${SUF}`);
  });

  it('skip reasons: a prefix without a matching rule, a DASH template, a denied link', async () => {
    const { signer } = fakeSigner();
    const skips: string[] = [];
    const local = compileRules({
      cdn: CDN,
      rules: [{ match: '/media/**' }, { match: '/v/:id/**', mode: 'wildcard', resource: '/v/:id/*' }],
      authorize: (_req, url) => !url.includes('secret'),
    });
    const r = createLinkSigner({ rules: local, signer, request, onSkip: (reason) => skips.push(reason) });
    expect(r('/mediax/a.jpg', h)).toBeNull();
    expect(r('/media/seg-$Number$.m4s', { kind: 'dash' })).toBeNull();
    expect(r('/media/seg-$Number$.m4s', h)).toMatch(/Signature=SIG/);
    expect(r('/media/seg-1.m4s', { kind: 'dash' })).toMatch(/Signature=SIG/);
    expect(await r('/v/7/seg-$Number$.m4s', { kind: 'dash' })).toMatch(/Policy=P1/);
    expect(r('/media/secret.jpg', h)).toBeNull();
    expect(skips).toEqual(['no-rule', 'needs-wildcard', 'denied']);
  });

  it('an authorize hook that throws or rejects fails the link like a signing error', async () => {
    const { signer } = fakeSigner();
    const boom = new Error('hook failed');
    for (const authorize of [
      () => {
        throw boom;
      },
      () => Promise.reject(boom),
    ]) {
      const local = compileRules({ cdn: CDN, rules: [{ match: '/media/**' }], authorize });
      const r = createLinkSigner({ rules: local, signer, request });
      await expect(Promise.resolve().then(() => r('/media/a.jpg', h))).rejects.toBe(boom);
      const skips: string[] = [];
      const s = createLinkSigner({
        rules: local,
        signer,
        request,
        onLinkError: 'skip',
        onSkip: (reason) => skips.push(reason),
      });
      expect(await s('/media/a.jpg', h)).toBeNull();
      expect(skips).toEqual(['link-error']);
    }
  });

  it('an async signing error fails the link, or skips it when asked', async () => {
    const { signer } = fakeSigner({ sync: false });
    const boom = new Error('KMS down');
    const failing = { ...signer, signUrl: () => Promise.reject(boom) } as typeof signer;
    await expect(createLinkSigner({ rules, signer: failing, request })('/media/a.jpg', h)).rejects.toBe(boom);
    const skipped = createLinkSigner({ rules, signer: failing, request, onLinkError: 'skip' });
    expect(await skipped('/media/a.jpg', h)).toBeNull();
  });

  it('wildcard links: a captured "*" or "?" is refused; a resource that does not cover the link is refused', () => {
    const { signer } = fakeSigner();
    const local = compileRules({
      cdn: CDN,
      rules: [
        { match: '/v/:slug/**', mode: 'wildcard', resource: '/v/:slug/*', authorize: 'any-viewer' },
        { match: '/w/:id/**', mode: 'wildcard', resource: '/w/:id/master.m3u8', authorize: 'any-viewer' },
      ],
    });
    const r = createLinkSigner({ rules: local, signer, request });
    expect(() => r('/v/*/x.ts', h)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_RESOURCE' }));
    expect(() => r('/v/a%3F/x.ts', h)).not.toThrow();
    expect(() => r('/w/7/seg.ts', h)).toThrow(expect.objectContaining({ code: 'ERR_RESOURCE_MISMATCH' }));
  });
});

describe('shared wildcard policies', () => {
  const h = { kind: 'html' as const };
  const rule = {
    match: '/v/:slug/**',
    mode: 'wildcard' as const,
    resource: '/v/:slug/*',
    authorize: 'any-viewer' as const,
  };

  it('expire at the end of their time bucket plus the lifetime, and carry the rule options', async () => {
    const { signer, calls } = fakeSigner();
    const local = compileRules({
      cdn: CDN,
      rules: [
        { ...rule, expiresIn: 600, bucket: 60, startsIn: 30, hashAlgorithm: 'SHA256', ipAddress: 'client' },
      ],
    });
    const now = 1_900_000_030_000;
    const r = createLinkSigner({ rules: local, signer, request, now: () => now });
    expect(await r('/v/intro/a.ts', h)).toBe(`${CDN}/v/intro/a.ts?Policy=P1&Signature=S1&Key-Pair-Id=K`);
    const bucket = Math.floor(now / 1000 / 60);
    expect(calls.policy).toStrictEqual([
      {
        resource: `${CDN}/v/intro/*`,
        dateLessThan: { seconds: (bucket + 1) * 60 + 600 },
        startsIn: 30,
        ipAddress: '203.0.113.7',
        hashAlgorithm: 'SHA256',
        now,
      },
    ]);
    const plain = fakeSigner();
    const r2 = createLinkSigner({
      rules: compileRules({ cdn: CDN, rules: [rule] }),
      signer: plain.signer,
      request,
      now: () => now,
    });
    await r2('/v/intro/a.ts', h);
    expect(Object.keys(plain.calls.policy[0]!)).toEqual(['resource', 'dateLessThan', 'now']);
  });

  it('one policy per viewer IP and per time bucket', async () => {
    const { signer, calls } = fakeSigner();
    const local = compileRules({ cdn: CDN, rules: [{ ...rule, ipAddress: 'client', bucket: 60 }] });
    let now = 1_900_000_000_000;
    const sign = (clientIp: string) =>
      createLinkSigner({ rules: local, signer, request: { url: request.url, clientIp }, now: () => now })(
        '/v/intro/a.ts',
        h,
      );
    await sign('192.0.2.1');
    await sign('192.0.2.1');
    await sign('192.0.2.2');
    expect(calls.policy.map((p) => p.ipAddress)).toEqual(['192.0.2.1', '192.0.2.2']);
    now += 60_000;
    await sign('192.0.2.1');
    expect(calls.policy).toHaveLength(3);
  });

  it('the policy cache holds at most 1,000 entries: the next one clears it', async () => {
    const { signer, calls } = fakeSigner();
    const local = compileRules({ cdn: CDN, rules: [rule] });
    const r = createLinkSigner({ rules: local, signer, request, now: () => 1_900_000_000_000 });
    for (let i = 0; i <= 1000; i++) await r(`/v/s${i}/a.ts`, h);
    expect(calls.policy).toHaveLength(1001);
    await r('/v/s0/a.ts', h);
    expect(calls.policy).toHaveLength(1002);
    await r('/v/s0/b.ts', h);
    expect(calls.policy).toHaveLength(1002);
  });

  it('a failed signature is not cached: the next link tries again', async () => {
    const { signer, calls } = fakeSigner();
    let fail = true;
    const flaky = {
      ...signer,
      signPolicy: (o: Record<string, unknown>) =>
        fail ? Promise.reject(new Error('KMS down')) : signer.signPolicy(o as never),
    } as typeof signer;
    const local = compileRules({ cdn: CDN, rules: [rule] });
    const r = createLinkSigner({ rules: local, signer: flaky, request, now: () => 1_900_000_000_000 });
    await expect(r('/v/intro/a.ts', h)).rejects.toThrow('KMS down');
    fail = false;
    expect(await r('/v/intro/a.ts', h)).toMatch(/Policy=P1/);
    expect(calls.policy).toHaveLength(1);
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
