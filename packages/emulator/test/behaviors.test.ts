import { afterAll, describe, expect, it } from 'vitest';
import { compileBehaviors, selectBehavior } from '../src/behaviors.js';
import { createEmulator } from '../src/index.js';
import { normalizePathPattern } from '../src/path-pattern.js';
import { parseRange } from '../src/range.js';
import { decodeRequestPath } from '../src/request-path.js';
import { EC, EC_ID, makeBucket, RSA, RSA_ID, rawRequest, rsaSigner, startEmulator } from './helpers.js';

const bucket = makeBucket({ 'x.txt': 'x' });
const origins = { b: { type: 'directory' as const, root: bucket.root } };
const keys = { [RSA_ID]: RSA.publicPem };
afterAll(() => bucket.cleanup());

describe('cache behaviors', () => {
  it('matches path patterns in order, case-sensitively, with * and ?', () => {
    const table = compileBehaviors({
      behaviors: [
        { pathPattern: '/video/v?/*.ts', trustedKeyGroups: [keys], origin: 'b' },
        { pathPattern: 'video/*', trustedKeyGroups: 'public', origin: 'b' },
        { pathPattern: '/*.jpg', trustedKeyGroups: [keys], origin: 'b' },
      ],
      defaultBehavior: { trustedKeyGroups: 'public', origin: 'b' },
      origins,
    });
    const pick = (path: string) => selectBehavior(table, path).pathPattern;
    expect(pick('/video/v2/seg1.ts')).toBe('/video/v?/*.ts');
    expect(pick('/video/v10/seg1.ts')).toBe('/video/*');
    expect(pick('/video/v2/seg1.TS')).toBe('/video/*');
    expect(pick('/a/b/c.jpg')).toBe('/*.jpg');
    expect(pick('/Video/v2/seg1.ts')).toBe('*');
    expect(pick('/video')).toBe('*');
    expect(selectBehavior(table, '/a.jpg').keys?.ids).toEqual([RSA_ID]);
    expect(selectBehavior(table, '/video/x').keys).toBeUndefined();
  });

  it('normalizes and validates path patterns like CloudFront', () => {
    expect(normalizePathPattern('images/*.jpg')).toBe('/images/*.jpg');
    expect(normalizePathPattern('*')).toBe('*');
    for (const bad of ['', 'a b', '/x#y', `/${'a'.repeat(255)}`, '/é']) {
      expect(() => normalizePathPattern(bad)).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_DISTRIBUTION',
          message: expect.stringMatching(/path pattern/),
        }),
      );
    }
  });

  it('refuses configurations CloudFront would refuse', () => {
    const base = { defaultBehavior: { trustedKeyGroups: 'public' as const, origin: 'b' }, origins };
    const bad = [
      { ...base, defaultBehavior: { trustedKeyGroups: 'public' as const, origin: 'nope' } },
      { ...base, behaviors: [{ pathPattern: '/p/*', trustedKeyGroups: [], origin: 'b' }] },
      {
        ...base,
        behaviors: [{ pathPattern: '/p/*', trustedKeyGroups: [keys, keys, keys, keys, keys], origin: 'b' }],
      },
      { ...base, behaviors: [{ pathPattern: '/p/*', trustedKeyGroups: [{}], origin: 'b' }] },
      {
        ...base,
        behaviors: [
          {
            pathPattern: '/p/*',
            trustedKeyGroups: [
              Object.fromEntries(['K1', 'K2', 'K3', 'K4', 'K5', 'K6'].map((k) => [k, RSA.publicPem])),
            ],
            origin: 'b',
          },
        ],
      },
      {
        ...base,
        behaviors: [
          { pathPattern: '/p/*', trustedKeyGroups: [keys, { [RSA_ID]: EC.publicPem }], origin: 'b' },
        ],
      },
      { ...base, origins: { b: { type: 'ftp' } } },
    ];
    for (const config of bad)
      expect(() => createEmulator(config as never), JSON.stringify(config)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_DISTRIBUTION' }),
      );
    expect(() => createEmulator({ ...base, defaultBehavior: undefined } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_DISTRIBUTION',
        message: expect.stringMatching(/defaultBehavior/),
      }),
    );
    // An http origin whose URL is not http(s), or no URL at all: the URL is named.
    for (const url of ['file:///etc', 'not a url'])
      expect(() => createEmulator({ ...base, origins: { b: { type: 'http', url } } } as never), url).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_URL',
          message: expect.stringMatching(/http: or https: URL/),
        }),
      );
    expect(() => createEmulator(null as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
    // A key that is not a public key is refused when the emulator is created, not per request.
    expect(() =>
      createEmulator({
        ...base,
        behaviors: [{ pathPattern: '/p/*', trustedKeyGroups: [{ K1: 'nope' }], origin: 'b' }],
      }),
    ).toThrow();
  });

  it('accepts several key groups on one behavior (RSA and ECDSA)', () => {
    const table = compileBehaviors({
      defaultBehavior: { trustedKeyGroups: [keys, { [EC_ID]: EC.publicPem }], origin: 'b' },
      origins,
    });
    expect(table[0]?.keys?.ids).toEqual([RSA_ID, EC_ID]);
  });
});

describe('request paths and ranges', () => {
  it('decodes paths and refuses ambiguous ones', () => {
    expect(decodeRequestPath('/a%20b/c.txt')).toEqual({
      ok: true,
      path: '/a b/c.txt',
      segments: ['a b', 'c.txt'],
    });
    expect(decodeRequestPath('/dir/')).toEqual({ ok: true, path: '/dir/', segments: ['dir', ''] });
    for (const bad of ['a', '/a/../b', '/a/./b', '/%2e%2e/x', '/a//b', '/%E0%A4%A', '/a%00', '/a%5Cb']) {
      expect(decodeRequestPath(bad).ok, bad).toBe(false);
    }
  });

  it('parses single byte ranges', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=0-0', 10)).toEqual({ kind: 'range', start: 0, end: 0 });
    expect(parseRange('bytes=-20', 10)).toEqual({ kind: 'range', start: 0, end: 9 });
    expect(parseRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-', 10)).toEqual({ kind: 'none' });
  });
});

describe('viewer URL and client IP', () => {
  it('verifies against the hostname the URLs were signed for', async () => {
    const cdn = await startEmulator({
      hostname: 'cdn.example.com',
      protocol: 'https',
      defaultBehavior: { trustedKeyGroups: [keys], origin: 'b' },
      origins,
    });
    const signed = await rsaSigner.signUrl('https://cdn.example.com/x.txt', { expiresIn: 600 });
    const res = await fetch(cdn.url + signed.slice('https://cdn.example.com'.length));
    expect(res.status).toBe(200);
    const local = await rsaSigner.signUrl(`${cdn.url}/x.txt`, { expiresIn: 600 });
    expect((await fetch(local)).status).toBe(403);
    await cdn.close();
  });

  it('uses X-Forwarded-For as the client IP only with trustProxy', async () => {
    const url = (base: string) =>
      rsaSigner.signUrl(`${base}/x.txt`, { expiresIn: 600, resource: `${base}/*`, ipAddress: '203.0.113.7' });
    const headers = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };
    for (const trustProxy of [true, false]) {
      const cdn = await startEmulator({
        trustProxy,
        defaultBehavior: { trustedKeyGroups: [keys], origin: 'b' },
        origins,
      });
      const res = await fetch(await url(cdn.url), { headers });
      expect(res.status, `trustProxy ${trustProxy}`).toBe(trustProxy ? 200 : 403);
      await cdn.close();
    }
  });

  it('checks expiry against the configured clock', async () => {
    let now = Date.now();
    const cdn = await startEmulator({
      now: () => now,
      defaultBehavior: { trustedKeyGroups: [keys], origin: 'b' },
      origins,
    });
    const url = await rsaSigner.signUrl(`${cdn.url}/x.txt`, { expiresIn: 600 });
    expect((await fetch(url)).status).toBe(200);
    now += 601_000;
    expect((await fetch(url)).status).toBe(403);
    expect(cdn.logs.at(-1)?.reason).toBe('expired');
    await cdn.close();
  });

  it('refuses a missing or malformed Host with 400', async () => {
    const cdn = await startEmulator({
      defaultBehavior: { trustedKeyGroups: 'public', origin: 'b' },
      origins,
    });
    expect((await rawRequest(cdn.url, '/x.txt', { headers: { host: 'bad host/x' } })).status).toBe(400);
    expect((await rawRequest(cdn.url, '/x.txt', { headers: { host: 'localhost:1' } })).status).toBe(200);
    await cdn.close();
  });
});
