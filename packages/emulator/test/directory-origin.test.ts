import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBucket, RSA, RSA_ID, rawRequest, rsaSigner, startEmulator } from './helpers.js';

const DATA = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const bucket = makeBucket({
  'public/data.bin': DATA,
  'public/page.html': '<p>hi</p>',
  'public/a b.txt': 'with space',
  'public/empty.txt': '',
  'public/x.constructor': 'odd extension',
  'private/secret.txt': 'classified',
});
const outside = makeBucket({ 'passwd.txt': 'outside the bucket' });
let cdn: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  utimesSync(
    join(bucket.root, 'public/data.bin'),
    new Date('2026-01-02T03:04:05Z'),
    new Date('2026-01-02T03:04:05Z'),
  );
  mkdirSync(join(bucket.root, 'public/folder'));
  symlinkSync(join(outside.root, 'passwd.txt'), join(bucket.root, 'public/escape.txt'));
  writeFileSync(join(bucket.root, 'public/folder/x.txt'), 'x');
  cdn = await startEmulator({
    behaviors: [
      { pathPattern: '/private/*', trustedKeyGroups: [{ [RSA_ID]: RSA.publicPem }], origin: 'bucket' },
    ],
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'bucket' },
    origins: { bucket: { type: 'directory', root: bucket.root } },
  });
});
afterAll(async () => {
  await cdn.close();
  bucket.cleanup();
  outside.cleanup();
});

describe('directory origin', () => {
  it('serves a file whose extension is named like an Object.prototype member as octet-stream', async () => {
    const res = await fetch(`${cdn.url}/public/x.constructor`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(await res.text()).toBe('odd extension');
  });

  it('sends content type, length, ETag and Last-Modified', async () => {
    const res = await fetch(`${cdn.url}/public/data.bin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-length')).toBe('1000');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('last-modified')).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(DATA);
    expect((await fetch(`${cdn.url}/public/page.html`)).headers.get('content-type')).toBe(
      'text/html; charset=utf-8',
    );
    expect(await (await fetch(`${cdn.url}/public/a%20b.txt`)).text()).toBe('with space');
    const empty = await fetch(`${cdn.url}/public/empty.txt`);
    expect([empty.status, await empty.text()]).toEqual([200, '']);
  });

  it('answers Range requests with 206 and Content-Range', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=990-', 990, 999],
      ['bytes=-10', 990, 999],
      ['bytes=500-5000', 500, 999],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(`${cdn.url}/public/data.bin`, { headers: { range } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/1000`);
      expect(res.headers.get('content-length')).toBe(String(end - start + 1));
      expect(Buffer.from(await res.arrayBuffer())).toEqual(DATA.subarray(start, end + 1));
    }
  });

  it('answers 416 for an unsatisfiable range and ignores malformed or multiple ranges', async () => {
    const res = await fetch(`${cdn.url}/public/data.bin`, { headers: { range: 'bytes=1000-' } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
    expect(await res.text()).toContain('<Code>InvalidRange</Code>');
    for (const range of ['bytes=5-1', 'items=0-1', 'bytes=0-1,5-6']) {
      const whole = await fetch(`${cdn.url}/public/data.bin`, { headers: { range } });
      expect(whole.status).toBe(200);
      expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    }
  });

  it('honours If-None-Match, If-Modified-Since and If-Range', async () => {
    const etag = (await fetch(`${cdn.url}/public/data.bin`, { method: 'HEAD' })).headers.get('etag')!;
    expect((await fetch(`${cdn.url}/public/data.bin`, { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
    expect(
      (await fetch(`${cdn.url}/public/data.bin`, { headers: { 'if-none-match': '"other"' } })).status,
    ).toBe(200);
    const since = { 'if-modified-since': 'Fri, 02 Jan 2026 03:04:05 GMT' };
    expect((await fetch(`${cdn.url}/public/data.bin`, { headers: since })).status).toBe(304);
    const stale = await fetch(`${cdn.url}/public/data.bin`, {
      headers: { range: 'bytes=0-9', 'if-range': '"old"' },
    });
    expect([stale.status, (await stale.arrayBuffer()).byteLength]).toEqual([200, 1000]);
    const current = await fetch(`${cdn.url}/public/data.bin`, {
      headers: { range: 'bytes=0-9', 'if-range': etag },
    });
    expect([current.status, (await current.arrayBuffer()).byteLength]).toEqual([206, 10]);
  });

  it('answers HEAD with headers only, also for ranges', async () => {
    const res = await rawRequest(cdn.url, '/public/data.bin', {
      method: 'HEAD',
      headers: { range: 'bytes=0-9' },
    });
    expect(res.status).toBe(206);
    expect(res.headers['content-length']).toBe('10');
    expect(res.body).toBe('');
  });

  it('answers 404 NoSuchKey XML for missing files and folders, 405 for other methods', async () => {
    for (const path of ['/public/nope.txt', '/public/folder', '/public/folder/', '/', '/public/escape.txt']) {
      const res = await fetch(`${cdn.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/xml');
      expect(await res.text()).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      );
    }
    const post = await fetch(`${cdn.url}/public/data.bin`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('never serves outside the root, however the path is spelled', async () => {
    const targets = [
      '/public/../private/secret.txt',
      '/public/%2e%2e/private/secret.txt',
      '/public/%2E%2E%2Fprivate%2Fsecret.txt',
      '/public/..%5Cprivate%5Csecret.txt',
      `/public/${'..%2F'.repeat(8)}etc/passwd`,
      '/../../../../etc/passwd',
      '//private/secret.txt',
      '/public/%00.txt',
      '/public/%zz',
    ];
    for (const target of targets) {
      const res = await rawRequest(cdn.url, target);
      expect(res.status, target).toBe(400);
      expect(res.body).not.toContain('classified');
    }
    // Encoded spellings of a protected path are matched as that path: they need a signature.
    for (const target of ['/priv%61te/secret.txt', '/private%2Fsecret.txt']) {
      const res = await rawRequest(cdn.url, target);
      expect(res.status, target).toBe(403);
      expect(res.body).toContain('<Code>MissingKey</Code>');
    }
    const signed = await rsaSigner.signUrl(`${cdn.url}/priv%61te/secret.txt`, { expiresIn: 600 });
    const res = await rawRequest(cdn.url, signed.slice(cdn.url.length));
    expect([res.status, res.body]).toEqual([200, 'classified']);
  });

  it('refuses a URL longer than 8,192 bytes with 414', async () => {
    const res = await fetch(`${cdn.url}/public/data.bin?pad=${'a'.repeat(8200)}`);
    expect(res.status).toBe(414);
  });
});
