/**
 * Unit tests of @cfsign/next outside Next: env parsing, the rewrite predicate, JSON signing, and the
 * helpers with `server-only` and `connection()` stubbed. The real-Next tests are in examples/next-app.
 */
import { generateKeyPairSync } from 'node:crypto';
import { isCfsignError, verifySignedUrl } from '@cfsign/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const connection = vi.fn(async () => {});
const jar = new Map<string, { value: string; options: Record<string, unknown> }>();
vi.mock('server-only', () => ({}));
vi.mock('next/server', () => ({ connection }));
const requestHeaders = new Headers();
vi.mock('next/headers', () => ({
  cookies: async () => ({
    set: (name: string, value: string, options: Record<string, unknown>) => jar.set(name, { value, options }),
  }),
  headers: async () => requestHeaders,
}));

const next = await import('@cfsign/next');
const CDN = 'https://d111111abcdef8.cloudfront.net';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keys = { K2JCJMDEHXQW5F: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
const ok = async (url: string) => (await verifySignedUrl(url, { keys })).ok;

const app = next.cfsign({
  keyPairId: 'K2JCJMDEHXQW5F',
  privateKey: pem,
  cdn: 'd111111abcdef8.cloudfront.net',
  rules: [
    { match: '/media/**', expiresIn: '10m' },
    { match: '/video/:id/**', mode: 'wildcard', resource: '/video/:id/*', authorize: 'any-viewer' },
  ],
});
afterEach(() => connection.mockClear());

describe('environment', () => {
  it('normalizePem accepts \\n-escaped, quoted and base64 PEMs', () => {
    const escaped = `"${pem.trim().replace(/\n/g, '\\n')}"`;
    expect(next.normalizePem(escaped)).toBe(pem);
    expect(next.normalizePem(Buffer.from(pem).toString('base64'))).toBe(pem);
  });

  it('cdnOrigin turns host names into https origins', () => {
    expect(next.cdnOrigin('d111111abcdef8.cloudfront.net/')).toBe(CDN);
    expect(next.cdnOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });

  it('signingSettingsFromEnv reads the CLOUDFRONT_* variables', () => {
    vi.stubEnv('CLOUDFRONT_KEY_PAIR_ID', 'KEXAMPLE');
    vi.stubEnv('CLOUDFRONT_DOMAIN', 'cdn.example.com');
    vi.stubEnv('CLOUDFRONT_RULES', '[{"match":"/a/**"}]');
    vi.stubEnv('CLOUDFRONT_SITE_ORIGINS', 'https://www.example.com, https://example.com');
    try {
      expect(next.signingSettingsFromEnv()).toEqual({
        keyPairId: 'KEXAMPLE',
        cdn: 'https://cdn.example.com',
        rules: [{ match: '/a/**' }],
        origins: ['https://www.example.com', 'https://example.com'],
      });
      vi.stubEnv('CLOUDFRONT_RULES', '{nope');
      expect(() => next.signingSettingsFromEnv()).toThrow(/CLOUDFRONT_RULES must be JSON/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('signUrl', () => {
  it('signs a path on the CDN by the rules and makes the render dynamic', async () => {
    const url = await app.signUrl('/media/a.jpg');
    expect(url.startsWith(`${CDN}/media/a.jpg?Expires=`)).toBe(true);
    expect(await ok(url)).toBe(true);
    expect(connection).toHaveBeenCalledTimes(1);
  });

  it('revalidate: no dynamic call, lifetime revalidate + margin', async () => {
    const now = Math.floor(Date.now() / 1000);
    const url = await app.signUrl('/media/a.jpg', { revalidate: 3600, margin: 600 });
    expect(connection).not.toHaveBeenCalled();
    const expires = Number(new URL(url).searchParams.get('Expires'));
    expect(expires).toBeGreaterThanOrEqual(now + 4200);
    expect(expires).toBeLessThanOrEqual(now + 4200 + 120);
  });

  it('wildcard rules share one policy; explicit resource signs a custom policy', async () => {
    const a = await app.signUrl('/video/7/index.m3u8');
    const b = await app.signUrl('/video/7/poster.jpg');
    expect(new URL(a).searchParams.get('Policy')).toBe(new URL(b).searchParams.get('Policy'));
    expect(await ok(`${CDN}/video/7/seg9.ts${new URL(a).search}`)).toBe(true);
    const c = await app.signUrl('/media/x/1.jpg', { resource: '/media/x/*' });
    expect(await ok(`${CDN}/media/x/2.jpg${new URL(c).search}`)).toBe(true);
  });

  it('a URL no rule covers throws ERR_NO_MATCHING_RULE, or passes with onNoRule', async () => {
    const err = await app.signUrl('/public/logo.svg').catch((e: unknown) => e);
    expect(isCfsignError(err, 'ERR_NO_MATCHING_RULE')).toBe(true);
    expect(await app.signUrl('/public/logo.svg', { onNoRule: 'unsigned' })).toBe('/public/logo.svg');
  });
});

describe('route handler helpers', () => {
  it('shouldSignLinks names its skip reasons; HEAD gets the headers of GET', () => {
    const req = new Request('https://www.example.com/');
    const html = { headers: { 'content-type': 'text/html; charset=utf-8' } };
    expect(next.shouldSignLinks(req, new Response('x', html))).toEqual({
      rewrite: true,
      format: 'html',
      charset: 'utf-8',
      headOnly: false,
    });
    expect(
      next.shouldSignLinks(
        new Request('https://www.example.com/', { method: 'HEAD' }),
        new Response(null, html),
      ),
    ).toMatchObject({ rewrite: true, headOnly: true });
    expect(next.shouldSignLinks(req, new Response('x', { status: 206, ...html }))).toMatchObject({
      reason: 'partial-content',
    });
    expect(next.shouldSignLinks(req, new Response(null, html))).toMatchObject({ reason: 'no-body' });
    expect(
      next.shouldSignLinks(
        req,
        new Response('x', { headers: { 'content-type': 'text/html', 'content-encoding': 'gzip' } }),
      ),
    ).toMatchObject({ reason: 'already-encoded' });
    expect(
      next.shouldSignLinks(
        req,
        new Response('x', { headers: { 'content-type': 'text/css', 'cache-control': 'no-transform' } }),
      ),
    ).toMatchObject({ reason: 'no-transform' });
    expect(next.shouldSignLinks(req, Response.json({}))).toMatchObject({ format: 'json' });
    expect(
      next.shouldSignLinks(req, new Response('x', { headers: { 'content-type': 'image/png' } })),
    ).toMatchObject({
      reason: 'not-rewritable-type',
    });
  });

  it('withSignedLinks rewrites HTML and JSON and fixes the headers', async () => {
    const page = withHeaders('<img src="/media/a.jpg"><a href="/about">x</a>', 'text/html', {
      etag: '"abc"',
      'content-length': '44',
      'last-modified': new Date(0).toUTCString(),
      'accept-ranges': 'bytes',
    });
    const res = await app.withSignedLinks(() => page)(new Request('https://www.example.com/p'), {});
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    // The response layer's one policy: validators of the unsigned bytes are dropped, not weakened.
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('last-modified')).toBeNull();
    expect(res.headers.get('accept-ranges')).toBeNull();
    expect(res.headers.get('content-length')).toBeNull();
    const html = await res.text();
    const src = /src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    expect(await ok(src)).toBe(true);
    expect(html).toContain('href="/about"');
    const json = await app.withSignedLinks(() => Response.json({ a: ['/media/b.jpg', 'plain'], n: 1 }))(
      new Request('https://www.example.com/api'),
      {},
    );
    const jsonText = await json.clone().text();
    expect(json.headers.get('content-length')).toBe(String(new TextEncoder().encode(jsonText).length));
    const body = (await json.json()) as { a: string[]; n: number };
    expect(await ok(body.a[0]!)).toBe(true);
    expect(body.a[1]).toBe('plain');
    expect(body.n).toBe(1);
  });

  it('withSignedLinks answers HEAD with the headers of GET and no body', async () => {
    const handler = app.withSignedLinks(() =>
      withHeaders('<img src="/media/a.jpg">', 'text/html', { etag: '"abc"', 'content-length': '24' }),
    );
    const get = await handler(new Request('https://www.example.com/p'), {});
    const head = await handler(new Request('https://www.example.com/p', { method: 'HEAD' }), {});
    expect(head.body).toBeNull();
    expect(head.headers.get('content-length')).toBeNull();
    expect([...head.headers].sort()).toEqual([...get.headers].sort());
  });

  it('createMediaRedirect: 307 to a signed URL, 403 unauthorized, 404 outside the rules', async () => {
    const GET = app.mediaRedirect({ authorize: (_r, path) => !path.includes('secret') });
    const res = await GET(new Request('https://www.example.com/media/a.jpg?v=2'));
    expect(res.status).toBe(307);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('location')!.startsWith(`${CDN}/media/a.jpg?v=2&Expires=`)).toBe(true);
    expect(await ok(res.headers.get('location')!)).toBe(true);
    expect((await GET(new Request('https://www.example.com/media/secret.jpg'))).status).toBe(403);
    expect((await GET(new Request('https://www.example.com/other/a.jpg'))).status).toBe(404);
  });
});

describe('configuration by construction', () => {
  const guarded = next.cfsign({
    keyPairId: 'K2JCJMDEHXQW5F',
    privateKey: pem,
    cdn: 'd111111abcdef8.cloudfront.net',
    rules: [{ match: '/media/**', expiresIn: '3m' }],
    authorize: (_request, url) => !url.includes('/media/secret/'),
  });

  it("a route handler built from the config module's mediaRedirect gets its rules and authorize on the first request", async () => {
    const GET = guarded.mediaRedirect();
    const denied = await GET(new Request('https://www.example.com/media/secret/s.jpg'));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('location')).toBeNull();
    const now = Math.floor(Date.now() / 1000);
    const res = await GET(new Request('https://www.example.com/media/a.jpg'));
    expect(res.status).toBe(307);
    const expires = Number(new URL(res.headers.get('location')!).searchParams.get('Expires'));
    // The configured 3 minutes (rounded up to the signer's 60 s bucket), not a default.
    expect(expires).toBeGreaterThanOrEqual(now + 180);
    expect(expires).toBeLessThanOrEqual(now + 180 + 61);
  });

  it('authorize applies to every helper, explicit resources included', async () => {
    for (const attempt of [
      () => guarded.signUrl('/media/secret/s.jpg'),
      () => guarded.signUrl('/media/secret/s.jpg', { resource: '/media/secret/*' }),
      () => guarded.getSignedImageProps({ src: '/media/secret/s.jpg', alt: '', width: 1, height: 1 }),
    ]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(isCfsignError(err, 'ERR_NO_MATCHING_RULE')).toBe(true);
    }
    const page = await guarded.withSignedLinks(() =>
      withHeaders('<img src="/media/secret/s.jpg"><img src="/media/ok.jpg">', 'text/html', {}),
    )(new Request('https://www.example.com/p'), {});
    const html = await page.text();
    expect(html).toContain('src="/media/secret/s.jpg"');
    expect(html).toMatch(/src="https:\/\/d111111abcdef8\.cloudfront\.net\/media\/ok\.jpg\?Expires=/);
  });

  it('the options are checked when the config module loads', () => {
    expect(() => next.cfsign({ rules: [{ match: 'media/**' }], cdn: 'cdn.example.com' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_RULE' }),
    );
    expect(() => next.cfsign({ rule: [] } as never)).toThrow(/unknown option "rule"/);
  });

  it('without rules nothing is signed: ERR_NOT_CONFIGURED', async () => {
    const bare = next.cfsign({ keyPairId: 'K2JCJMDEHXQW5F', privateKey: pem, cdn: CDN });
    const err = await bare.signUrl('/media/a.jpg').catch((e: unknown) => e);
    expect(isCfsignError(err, 'ERR_NOT_CONFIGURED')).toBe(true);
    expect(String((err as Error).message)).toMatch(/No signing rules/);
  });

  it("@cfsign/next's own helpers refuse once the app configured itself in code", async () => {
    vi.stubEnv('CLOUDFRONT_RULES', '[{"match":"/**"}]');
    try {
      const GET = next.mediaRedirect();
      await expect(GET(new Request('https://www.example.com/media/secret/s.jpg'))).rejects.toMatchObject({
        code: 'ERR_NOT_CONFIGURED',
        message: expect.stringMatching(/import signUrl, SignedImage, mediaRedirect/),
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('signed cookies from the rules', () => {
  const site = next.cfsign({
    keyPairId: 'K2JCJMDEHXQW5F',
    privateKey: pem,
    cdn: 'https://cdn.example.com',
    origins: ['https://www.example.com'],
    rules: [
      {
        match: '/courses/**',
        mode: 'cookie',
        expiresIn: '2h',
        cookie: { domain: 'example.com', sameSite: 'Strict' },
        authorize: 'any-viewer',
      },
      { match: '/media/**' },
    ],
  });

  it('a cookie domain the CDN is not under fails when the config module loads', () => {
    expect(() =>
      next.cfsign({
        cdn: CDN,
        origins: ['https://www.example.com'],
        rules: [
          {
            match: '/courses/**',
            mode: 'cookie',
            authorize: 'any-viewer',
            cookie: { domain: 'example.com' },
          },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_COOKIE_OPTIONS' }));
  });

  it("setSignedCookies carries the rule's attributes and lives as long as the policy", async () => {
    jar.clear();
    await site.setSignedCookies('/courses/42/*');
    expect([...jar.keys()]).toEqual(['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id']);
    for (const { options } of jar.values()) {
      expect(options).toMatchObject({ domain: 'example.com', path: '/courses/42/', sameSite: 'strict' });
      expect(options.secure).toBe(true);
      expect(options.httpOnly).toBe(true);
      expect(options.maxAge).toBeGreaterThanOrEqual(7200);
      expect(options.maxAge).toBeLessThanOrEqual(7200 + 61);
    }
    const policy = jar.get('CloudFront-Policy')!.value;
    const text = Buffer.from(
      policy.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'),
      'base64',
    ).toString();
    expect(JSON.parse(text).Statement[0].Resource).toBe('https://cdn.example.com/courses/42/*');
  });

  it('signedCookieHeaders without a resource: the grants of every cookie rule', async () => {
    const set = await site.signedCookieHeaders();
    expect(set).toHaveLength(3);
    for (const c of set)
      expect(c).toMatch(
        /; Domain=example\.com; Path=\/courses\/; Max-Age=\d+; Secure; HttpOnly; SameSite=Strict$/,
      );
  });

  it('a host-only cookie rule without origins: refused on a page of another host, set on the CDN host', async () => {
    const hostOnly = next.cfsign({
      keyPairId: 'K2JCJMDEHXQW5F',
      privateKey: pem,
      cdn: 'https://cdn.example.com',
      rules: [{ match: '/courses/**', mode: 'cookie', authorize: 'any-viewer' }],
    });
    try {
      jar.clear();
      requestHeaders.set('host', 'www.example.com');
      const err = await hostOnly.setSignedCookies('/courses/42/*').catch((e: unknown) => e);
      expect(isCfsignError(err, 'ERR_INVALID_COOKIE_OPTIONS')).toBe(true);
      expect(String((err as Error).message)).toMatch(
        /www\.example\.com.*cdn\.example\.com|cdn\.example\.com.*www\.example\.com/s,
      );
      expect(jar.size).toBe(0);
      const viaRequest = await hostOnly
        .signedCookieHeaders('/courses/42/*', { request: new Request('https://www.example.com/unlock') })
        .catch((e: unknown) => e);
      expect(isCfsignError(viaRequest, 'ERR_INVALID_COOKIE_OPTIONS')).toBe(true);
      requestHeaders.set('host', 'cdn.example.com');
      await hostOnly.setSignedCookies('/courses/42/*');
      expect([...jar.keys()]).toContain('CloudFront-Signature');
    } finally {
      requestHeaders.delete('host');
    }
  });

  it('an empty resource is refused with ERR_INVALID_RESOURCE', async () => {
    await expect(site.setSignedCookies('')).rejects.toMatchObject({
      code: 'ERR_INVALID_RESOURCE',
      message: expect.stringMatching(/takes a path pattern such as "\/courses\/42\/\*"/),
    });
  });

  it('a resource no cookie rule covers is refused, and so is one with dot segments', async () => {
    const err = await site.setSignedCookies('/media/*').catch((e: unknown) => e);
    expect(isCfsignError(err, 'ERR_NO_MATCHING_RULE')).toBe(true);
    for (const sneaky of [
      '/media/../courses/*',
      '/courses/%2e%2e/media/*',
      '/courses/..\\media/*',
      'https://[cdn/courses/*',
    ]) {
      const e = await site.setSignedCookies(sneaky).catch((x: unknown) => x);
      expect(isCfsignError(e, 'ERR_INVALID_RESOURCE'), sneaky).toBe(true);
    }
  });
});

describe('misuse is a coded CfsignError that says how to fix it', () => {
  it('cfsign(options) refuses options that are not an object, or an authorize that is not a function', () => {
    expect(() => next.cfsign(null as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringMatching(/needs an options object/),
      }),
    );
    expect(() => next.cfsign({ rules: [{ match: '/a/**' }], authorize: true as never })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringMatching(/"authorize" must be a function/),
      }),
    );
  });

  it('the async helpers reject (never throw) with the code of the bad argument', async () => {
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => app.signUrl(''), 'ERR_INVALID_URL', /signUrl\(url\) needs a URL or a path.*got an empty string/],
      [() => app.signUrl(42 as never), 'ERR_INVALID_URL', /got number/],
      [() => app.signUrl('/media/a.jpg', { revalidate: -1 }), 'ERR_INVALID_DURATION', /"revalidate".*got -1/],
      [() => app.getSignedImageProps({ src: 42 } as never), 'ERR_INVALID_URL', /needs a string "src"/],
    ];
    for (const [call, code, message] of cases) {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = call();
      }).not.toThrow();
      await expect(pending).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    }
  });

  it('withSignedLinks refuses what is not a handler at once, with ERR_INVALID_ARGUMENT', () => {
    expect(() => app.withSignedLinks(42 as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARGUMENT',
        message: expect.stringMatching(/route handler function/),
      }),
    );
  });

  it('a JSON body over maxJsonBytes fails the route with ERR_BODY_TOO_LARGE', async () => {
    const GET = app.withSignedLinks(() => Response.json({ src: '/media/a.jpg' }), { maxJsonBytes: 8 });
    await expect(GET(new Request('https://www.example.com/api'), {})).rejects.toMatchObject({
      code: 'ERR_BODY_TOO_LARGE',
      message: expect.stringMatching(/over 8 bytes.*raise "maxJsonBytes"/),
    });
  });
});

function withHeaders(body: string, type: string, extra: Record<string, string>): Response {
  return new Response(body, { headers: { 'content-type': type, ...extra } });
}
