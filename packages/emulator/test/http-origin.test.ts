import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { originGuard } from '@cfsign/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBucket, RSA, RSA_ID, rsaSigner, startEmulator } from './helpers.js';

const OLD_SECRET = 'old-2f6b1c0a9e8d7c6b5a49';
const NEW_SECRET = 'new-8e7d6c5b4a39281f0e1d';
const files = makeBucket({ 'video.bin': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)) });
const servers: Server[] = [];
const emulators: Array<{ close(): Promise<void> }> = [];
let release: () => void = () => {};

/** The app behind CloudFront: guarded by the origin secret, echoing what it received. */
async function startOrigin(secrets: string[]): Promise<string> {
  const app = express();
  app.use(originGuard({ header: 'x-origin-secret', secrets }));
  app.get('/app/{*rest}', (req, res, next) => {
    if (req.path === '/app/video.bin') return res.sendFile(join(files.root, 'video.bin'));
    if (req.path === '/app/slow') {
      res.write('first;');
      release = () => res.end('second');
      return;
    }
    if (req.path === '/app/hang') return;
    if (req.path === '/app/teapot') return res.status(418).send('short and stout');
    if (req.path !== '/app/echo' && req.path !== '/app/private/echo') return next();
    res.json({
      url: req.originalUrl,
      host: req.headers.host,
      cookie: req.headers.cookie ?? null,
      via: req.headers.via,
      forwardedFor: req.headers['x-forwarded-for'],
      cfId: req.headers['x-amz-cf-id'],
      secretVisibleToApp: req.headers['x-origin-secret'] ?? null,
      conditional: Object.fromEntries(
        ['range', 'if-range', 'if-none-match', 'if-modified-since']
          .filter((name) => req.headers[name] !== undefined)
          .map((name) => [name, req.headers[name]]),
      ),
    });
  });
  app.post('/app/upload', (req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', () => res.json({ bytes, sha256: hash.digest('hex') }));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startCdn(originUrl: string, secret: string, timeoutMs?: number) {
  const cdn = await startEmulator({
    behaviors: [
      { pathPattern: '/app/private/*', trustedKeyGroups: [{ [RSA_ID]: RSA.publicPem }], origin: 'app' },
    ],
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'app' },
    origins: {
      app: {
        type: 'http',
        url: originUrl,
        customHeaders: { 'X-Origin-Secret': secret },
        ...(timeoutMs ? { timeoutMs } : {}),
      },
    },
  });
  emulators.push(cdn);
  return cdn;
}

let originUrl = '';
let cdn: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  originUrl = await startOrigin([NEW_SECRET, OLD_SECRET]);
  cdn = await startCdn(originUrl, NEW_SECRET);
});
afterAll(async () => {
  release();
  await Promise.all(emulators.map((e) => e.close()));
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  files.cleanup();
});

describe('HTTP origin behind the emulator', () => {
  it('is reached through the emulator with the secret header; a direct request gets 403', async () => {
    const via = await fetch(`${cdn.url}/app/echo?x=1`);
    expect(via.status).toBe(200);
    const seen = await via.json();
    expect(seen).toMatchObject({
      url: '/app/echo?x=1',
      host: new URL(originUrl).host,
      forwardedFor: '127.0.0.1',
      secretVisibleToApp: null,
    });
    expect(seen.via).toMatch(/\(CloudFront\)$/);
    expect(seen.cfId).toBe(via.headers.get('x-amz-cf-id'));

    const direct = await fetch(`${originUrl}/app/echo`);
    expect(direct.status).toBe(403);
    expect(await direct.text()).toBe('Forbidden');
    const forged = await fetch(`${originUrl}/app/echo`, { headers: { 'x-origin-secret': 'guessed' } });
    expect(forged.status).toBe(403);
  });

  it('overwrites a viewer-supplied secret header with the configured one', async () => {
    const res = await fetch(`${cdn.url}/app/echo`, { headers: { 'x-origin-secret': 'viewer-guess' } });
    expect(res.status).toBe(200);
  });

  it('verifies signed URLs and forwards them without signing params or signing cookies', async () => {
    expect((await fetch(`${cdn.url}/app/private/echo`)).status).toBe(403);
    const url = await rsaSigner.signUrl(`${cdn.url}/app/private/echo?a=1&b=2`, { expiresIn: 600 });
    const res = await fetch(url, { headers: { cookie: 'session=abc; CloudFront-Policy=xyz; theme=dark' } });
    expect(res.status).toBe(200);
    const seen = await res.json();
    expect(seen.url).toBe('/app/private/echo?a=1&b=2');
    expect(seen.cookie).toBe('session=abc; theme=dark');
  });

  it('accepts the previous secret during a rotation, and refuses it once dropped', async () => {
    const oldCdn = await startCdn(originUrl, OLD_SECRET);
    expect((await fetch(`${oldCdn.url}/app/echo`)).status).toBe(200);
    const rotatedOrigin = await startOrigin([NEW_SECRET]);
    const stale = await startCdn(rotatedOrigin, OLD_SECRET);
    const fresh = await startCdn(rotatedOrigin, NEW_SECRET);
    const refused = await fetch(`${stale.url}/app/echo`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-cache')).toBe('Error from cloudfront');
    expect(await refused.text()).toBe('Forbidden');
    expect((await fetch(`${fresh.url}/app/echo`)).status).toBe(200);
  });

  it('passes Range and conditional headers through', async () => {
    const res = await fetch(`${cdn.url}/app/video.bin`, { headers: { range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 100-199/4096');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body).toEqual(Buffer.from(Array.from({ length: 100 }, (_, i) => ((i + 100) * 7) % 256)));
    const conditional = {
      range: 'bytes=0-1',
      'if-range': '"abc"',
      'if-none-match': '"abc"',
      'if-modified-since': 'Fri, 02 Jan 2026 03:04:05 GMT',
    };
    const echoed = await (await fetch(`${cdn.url}/app/echo`, { headers: conditional })).json();
    expect(echoed.conditional).toEqual(conditional);
  });

  it('passes origin error statuses through', async () => {
    const res = await fetch(`${cdn.url}/app/teapot`);
    expect([res.status, await res.text()]).toEqual([418, 'short and stout']);
  });

  it('streams responses without waiting for the origin to finish', async () => {
    const res = await fetch(`${cdn.url}/app/slow`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first;');
    release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += Buffer.from(r.value).toString();
    expect(rest).toBe('second');
  });

  it('streams request bodies to the origin', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024, 'abcdefgh');
    const res = await fetch(`${cdn.url}/app/upload`, { method: 'POST', body });
    expect(await res.json()).toEqual({
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
  });

  it('answers 502 when the origin is down and 504 when it does not answer', async () => {
    const gone = await startOrigin([NEW_SECRET]);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const down = await startCdn(gone, NEW_SECRET);
    const res = await fetch(`${down.url}/app/echo`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toContain('502 Bad Gateway');

    const slow = await startCdn(originUrl, NEW_SECRET, 200);
    const hung = await fetch(`${slow.url}/app/hang`);
    expect(hung.status).toBe(504);
  });

  it('serves a directory and an HTTP origin from one distribution', async () => {
    writeFileSync(join(files.root, 'static.txt'), 'static');
    const both = await startEmulator({
      behaviors: [{ pathPattern: '/app/*', trustedKeyGroups: 'public', origin: 'app' }],
      defaultBehavior: { trustedKeyGroups: 'public', origin: 'files' },
      origins: {
        app: { type: 'http', url: originUrl, customHeaders: { 'x-origin-secret': NEW_SECRET } },
        files: { type: 'directory', root: files.root },
      },
    });
    emulators.push(both);
    expect(await (await fetch(`${both.url}/static.txt`)).text()).toBe('static');
    expect((await fetch(`${both.url}/app/echo`)).status).toBe(200);
  });
});
