/**
 * The runtime-neutral response layer: the decision and its reasons, the one header policy, JSON
 * signing, cookies, and the whole of it on a Fetch `Response`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { verifySignedUrl } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import {
  applyHeaderPolicy,
  cacheControlFor,
  createSession,
  decideRewrite,
  prepareOptions,
  signJsonText,
  signJsonValue,
  signWebResponse,
} from '../src/index.js';
import { keyPair, rules } from './fixture.js';

const KEY = 'K2RESPONSETEST';
const { signer, keys } = keyPair('ec', KEY);
const prepared = prepareOptions({ rules, signer, signJson: true, referrerPolicy: 'same-origin' });
const session = () =>
  createSession(prepared, { url: 'https://www.example.com/p', clientIp: undefined, req: null });

const facts = (status: number, headers: Record<string, string>, method = 'GET') => ({
  method,
  status,
  header: (n: string) => headers[n] ?? null,
  signJson: true,
});

describe('decideRewrite', () => {
  it.each([
    [204, { 'content-type': 'text/html' }, 'no-body-status'],
    [304, { 'content-type': 'text/html' }, 'no-body-status'],
    [206, { 'content-type': 'text/html' }, 'partial-content'],
    [101, { 'content-type': 'text/html' }, 'not-ok-status'],
    [200, {}, 'no-content-type'],
    [200, { 'content-type': 'image/png' }, 'not-rewritable-type'],
    [200, { 'content-type': 'text/html; charset=utf-16' }, 'unsupported-charset'],
    [200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }, 'already-encoded'],
    [200, { 'content-type': 'text/css', 'cache-control': 'public, no-transform' }, 'no-transform'],
  ])('%i %j is skipped as %s', (status, headers, reason) => {
    expect(decideRewrite(facts(status, headers))).toEqual({ rewrite: false, reason });
  });

  it('rewrites HTML, CSS, HLS, DASH and (with signJson) JSON; HEAD is headOnly, not a skip', () => {
    expect(decideRewrite(facts(200, { 'content-type': 'text/html; charset=utf-8' }))).toEqual({
      rewrite: true,
      format: 'html',
      charset: 'utf-8',
      headOnly: false,
    });
    expect(decideRewrite(facts(404, { 'content-type': 'text/css' }))).toMatchObject({ format: 'css' });
    expect(decideRewrite(facts(200, { 'content-type': 'application/dash+xml' }))).toMatchObject({
      format: 'dash',
    });
    expect(decideRewrite(facts(200, { 'content-type': 'application/ld+json' }))).toMatchObject({
      format: 'json',
    });
    expect(decideRewrite({ ...facts(200, { 'content-type': 'application/json' }), signJson: false })).toEqual(
      {
        rewrite: false,
        reason: 'not-rewritable-type',
      },
    );
    expect(decideRewrite(facts(200, { 'content-type': 'text/html' }, 'HEAD'))).toMatchObject({
      rewrite: true,
      headOnly: true,
    });
    expect(decideRewrite({ ...facts(200, { 'content-type': 'text/html' }), optedOut: true })).toEqual({
      rewrite: false,
      reason: 'opted-out',
    });
  });
});

describe('applyHeaderPolicy', () => {
  const before = () =>
    new Headers({
      'content-type': 'text/html',
      'content-length': '250167',
      etag: '"v1"',
      'last-modified': new Date(0).toUTCString(),
      'accept-ranges': 'bytes',
      'cache-control': 'public, max-age=3600',
      vary: 'Accept-Encoding',
    });

  it('drops the validators of the unsigned bytes, sets Cache-Control and Referrer-Policy', () => {
    const h = before();
    applyHeaderPolicy(h, prepared, {});
    expect(Object.fromEntries(h)).toEqual({
      'content-type': 'text/html',
      'cache-control': 'private, no-store',
      'referrer-policy': 'same-origin',
      vary: 'Accept-Encoding, Cookie, Authorization',
    });
  });

  it('writes the exact length when it is known; caps max-age below the shortest lifetime', () => {
    const h = before();
    const capped = prepareOptions({
      rules: { ...rules, rules: [rules.rules[1]!] },
      signer,
      cacheControl: { maxAge: 'shortest' },
    });
    applyHeaderPolicy(h, capped, { length: 384445 });
    expect(h.get('content-length')).toBe('384445');
    expect(h.get('cache-control')).toBe('max-age=300, s-maxage=300');
    expect(h.get('vary')).toBe('Accept-Encoding');
  });

  it('a capped max-age never widens what the app allowed (RFC 9111 §5.2.2.7, §3.5)', () => {
    const o = { perClient: false, shortestLifetime: 600 };
    const shortest = { maxAge: 'shortest' } as const;
    // `private` stays: a shared cache must not store the page (nor its Set-Cookie).
    expect(cacheControlFor('private, max-age=600', shortest, o)).toBe('private, max-age=300');
    expect(cacheControlFor('Private', shortest, o)).toBe('private, max-age=300');
    // `s-maxage` (which lets a shared cache answer requests that carried Authorization) only where
    // the app allowed shared caches itself.
    expect(cacheControlFor('', shortest, o)).toBe('max-age=300');
    expect(cacheControlFor('max-age=60', shortest, o)).toBe('max-age=60');
    expect(cacheControlFor('public, max-age=3600', shortest, o)).toBe('max-age=300, s-maxage=300');
    expect(cacheControlFor('s-maxage=100', shortest, o)).toBe('max-age=100, s-maxage=100');
    expect(cacheControlFor('public, private', shortest, o)).toBe('private, max-age=300');
    // What else the app said stays; immutable and stale-* go (they outlive the signatures).
    expect(cacheControlFor('no-cache, immutable, stale-while-revalidate=60', shortest, o)).toBe(
      'max-age=300, no-cache',
    );
    expect(cacheControlFor('public', shortest, { ...o, perClient: true })).toBe('private, max-age=300');
  });

  it('removes the CDN-targeted cache fields with the Cache-Control it writes (RFC 9213)', () => {
    const cdn = () => {
      const h = before();
      h.set('cdn-cache-control', 'max-age=86400');
      h.set('cloudflare-cdn-cache-control', 'max-age=86400');
      h.set('surrogate-control', 'max-age=86400');
      h.set('edge-control', 'cache-maxage=1d');
      return h;
    };
    const fields = ['cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control', 'edge-control'];
    for (const cacheControl of ['private', { maxAge: 'shortest' }, { value: 'no-store' }] as const) {
      const h = cdn();
      applyHeaderPolicy(h, prepareOptions({ rules, signer, cacheControl }), {});
      for (const name of fields)
        expect(h.get(name), `${name} with ${JSON.stringify(cacheControl)}`).toBeNull();
    }
    const kept = cdn();
    applyHeaderPolicy(kept, prepareOptions({ rules, signer, cacheControl: false }), {});
    for (const name of fields) expect(kept.get(name)).not.toBeNull();
  });
});

describe('JSON signing', () => {
  it('signs a copy: absolute paths and URLs on known origins, never //host, keys when asked', async () => {
    const input = {
      a: '/private/a.jpg',
      b: '//evil.example/private/a.jpg',
      c: ['https://www.example.com/private/c.jpg'],
      d: 'text',
    };
    const out = (await signJsonValue(input, session(), null)) as typeof input;
    expect(input.a).toBe('/private/a.jpg');
    expect((await verifySignedUrl(out.a, { keys })).ok).toBe(true);
    expect(out.b).toBe(input.b);
    expect(out.c[0]).toMatch(/^https:\/\/d111111abcdef8\.cloudfront\.net\/private\/c\.jpg\?Expires=/);
    expect(out.d).toBe('text');
    const only = (await signJsonValue(input, session(), new Set(['c']))) as typeof input;
    expect(only.a).toBe('/private/a.jpg');
    expect(only.c[0]).toMatch(/Signature=/);
  });

  it('keeps every key as data, "__proto__" included, and signs inside it', async () => {
    const text = '{"__proto__":{"src":"/private/a.jpg"},"constructor":"/private/b.jpg","n":1}';
    const out = JSON.parse(await signJsonText(text, session(), null, 1 << 20));
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'n']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    const inner = Object.getOwnPropertyDescriptor(out, '__proto__')!.value;
    expect((await verifySignedUrl(inner.src, { keys })).ok).toBe(true);
    expect((await verifySignedUrl(out.constructor, { keys })).ok).toBe(true);
  });

  it('refuses a JSON text over maxBytes with ERR_BODY_TOO_LARGE that names the option', async () => {
    await expect(signJsonText('"/private/a.jpg"', session(), null, 4)).rejects.toMatchObject({
      code: 'ERR_BODY_TOO_LARGE',
      message: expect.stringMatching(/over 4 bytes.*raise "maxJsonBytes"/),
    });
  });

  it('refuses a body that is not JSON with ERR_REWRITE_FAILED, the parser error as cause', async () => {
    const err = await signJsonText('{"src": /private/a.jpg}', session(), null, 1 << 20).catch((e) => e);
    expect(err).toMatchObject({
      code: 'ERR_REWRITE_FAILED',
      message: expect.stringMatching(/not valid JSON/),
    });
    expect((err as Error).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('signWebResponse', () => {
  const ctx = {
    signJson: true,
    begin: () => ({ prepared, session: session() }),
  };
  const page = () =>
    new Response('<img src="/private/a.jpg"><video src="/private/hls/x.ts"></video>', {
      headers: { 'content-type': 'text/html', etag: '"v1"', 'content-length': '60' },
    });

  it('GET: streamed body, policy applied, cookies set; HEAD: the same headers, no body', async () => {
    const get = await signWebResponse(new Request('https://www.example.com/p'), page(), ctx);
    const head = await signWebResponse(
      new Request('https://www.example.com/p', { method: 'HEAD' }),
      page(),
      ctx,
    );
    expect(await get.text()).toMatch(
      /src="https:\/\/d111111abcdef8\.cloudfront\.net\/private\/a\.jpg\?Expires=/,
    );
    expect(get.headers.get('etag')).toBeNull();
    expect(get.headers.getSetCookie().some((c) => c.startsWith('CloudFront-Policy='))).toBe(true);
    const names = (r: Response) => [...r.headers.keys()].sort();
    expect(names(head)).toEqual(names(get));
    expect(head.body).toBeNull();
    expect(head.headers.get('content-length')).toBeNull();
  });

  it('JSON gets its exact length; skipped responses come back as they are, with the reason', async () => {
    const json = await signWebResponse(
      new Request('https://www.example.com/api'),
      Response.json({ a: '/private/a.jpg' }),
      ctx,
    );
    const text = await json.clone().text();
    expect(json.headers.get('content-length')).toBe(String(new TextEncoder().encode(text).length));
    const reasons: string[] = [];
    const png = new Response('PNG', { headers: { 'content-type': 'image/png' } });
    expect(
      await signWebResponse(new Request('https://www.example.com/i'), png, {
        ...ctx,
        onSkip: (r) => reasons.push(r),
      }),
    ).toBe(png);
    expect(reasons).toEqual(['not-rewritable-type']);
  });
});

it('the response layer imports no node: module and no Buffer (it runs on the edge runtime)', () => {
  const dir = new URL('../src/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(8);
  // Code only: the TSDoc examples may mention process.env.
  const code = (f: string) =>
    readFileSync(new URL(f, dir), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
  for (const f of files) expect(code(f), f).not.toMatch(/from ['"]node:|\bBuffer\b|\bprocess\./);
});
