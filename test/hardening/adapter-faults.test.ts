// Fault injection through the Express and Koa middleware, over real HTTP on 127.0.0.1: a signer
// that fails on the k-th link or hangs, an origin that fails mid-body, a client that leaves
// mid-body. A rewritten response either completes and verifies, or ends as a 5xx / an aborted
// connection: never a truncated page delivered as complete. No key material in logs or bodies.
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createKeyGroup, createSigner, type Signer, verifySignedUrl } from '@cfsign/core';
import { cloudfrontSigner as expressSigner } from '@cfsign/express';
import { cloudfrontSigner as koaSigner } from '@cfsign/koa';
import express from 'express';
import Koa from 'koa';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { generatePage } from '../../bench/page/generate.mjs';
import { CF_ORIGIN } from '../../bench/page/spec.mjs';
import { captureConsole, leakDetector, testKey } from './helpers.js';

const rsa = testKey('rsa');
const keys = createKeyGroup({ [rsa.id]: rsa.publicPem });
const leaks = leakDetector([rsa.privatePem]);
const rsaKey = createPrivateKey(rsa.privatePem);
const PAGE = Buffer.from((generatePage() as { html: string }).html);
const rules = {
  cdn: CF_ORIGIN,
  origins: ['https://www.example.com'],
  rules: [{ match: '/private/**', expiresIn: '1h' }],
};

type Fault = 'none' | 'reject-1' | 'reject-150' | 'hang-40' | 'origin-fails' | 'client-leaves';

function signerFor(fault: Fault): Signer {
  const m = /^(reject|hang)-(\d+)$/.exec(fault);
  let n = 0;
  return createSigner({
    keyPairId: rsa.id,
    keyType: 'rsa',
    signTimeout: 0.3,
    cache: false,
    sign: (data, hash) => {
      if (m && ++n === Number(m[2]))
        return m[1] === 'hang'
          ? new Promise<Uint8Array>(() => {})
          : Promise.reject(new Error('KMS: throttled'));
      return new Uint8Array(cryptoSign(hash === 'SHA256' ? 'sha256' : 'sha1', data, rsaKey));
    },
  });
}

/** The page in 2 KiB chunks, paced, failing half-way for 'origin-fails'; counts teardowns. */
function originBody(fault: Fault, torn: { n: number }): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (fault === 'origin-fails' && at >= PAGE.length / 2)
        return void this.destroy(new Error('origin: ECONNRESET'));
      if (at >= PAGE.length) return void this.push(null);
      const chunk = PAGE.subarray(at, at + 2048);
      at += 2048;
      setTimeout(() => this.push(chunk), fault === 'client-leaves' ? 1 : 0);
    },
    destroy(err, cb) {
      torn.n++;
      cb(err);
    },
  });
}

const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

async function start(fw: 'Express' | 'Koa', fault: Fault, torn: { n: number }): Promise<number> {
  const signer = signerFor(fault);
  let server: Server;
  if (fw === 'Express') {
    const app = express();
    app.use(expressSigner({ rules, signer }) as express.RequestHandler);
    // pipeline(), not .pipe(): an origin error must reach the response (as any streaming app needs).
    app.get(
      '/page.html',
      (_req, res) => void pipeline(originBody(fault, torn), res.type('html')).catch(() => undefined),
    );
    app.get('/ok', (_req, res) => void res.type('text').send('ok'));
    server = app.listen(0, '127.0.0.1');
  } else {
    const app = new Koa();
    app.on('error', () => undefined);
    app.use(koaSigner({ rules, signer }) as Koa.Middleware);
    app.use(async (ctx) => {
      if (ctx.path === '/ok') {
        ctx.type = 'text';
        ctx.body = 'ok';
        return;
      }
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = originBody(fault, torn);
    });
    server = app.listen(0, '127.0.0.1');
  }
  servers.push(server);
  await new Promise<void>((r) => server.once('listening', () => r()));
  return (server.address() as AddressInfo).port;
}

function fetchPage(port: number, path: string, leaveAfter?: number) {
  return new Promise<{ status: number; body: Buffer; complete: boolean }>((resolve) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const parts: Buffer[] = [];
      let got = 0;
      const done = (complete: boolean) =>
        resolve({ status: res.statusCode!, body: Buffer.concat(parts), complete });
      res.on('data', (c: Buffer) => {
        parts.push(c);
        got += c.length;
        if (leaveAfter !== undefined && got >= leaveAfter) {
          req.destroy();
          done(false);
        }
      });
      res.on('end', () => done(res.complete));
      res.on('error', () => done(false));
      res.on('aborted', () => done(false));
    });
    req.on('error', () => resolve({ status: 0, body: Buffer.alloc(0), complete: false }));
    req.setTimeout(15_000, () => req.destroy());
  });
}

async function verifyAll(body: string): Promise<number> {
  const decoded = body
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  let n = 0;
  for (const m of decoded.matchAll(/https:\/\/d111111abcdef8\.cloudfront\.net\/[^"'\s)<>,]+/g)) {
    if (!m[0].includes('Signature=')) continue;
    const v = await verifySignedUrl(m[0], { keys });
    expect(v.ok, `${v.reason}: ${m[0].slice(0, 100)}`).toBe(true);
    n++;
  }
  return n;
}

let logs: ReturnType<typeof captureConsole>;
beforeEach(() => {
  logs = captureConsole();
});
afterEach(() => {
  const text = logs.text();
  logs.restore();
  expect(leaks(text), 'key material in console output').toBeNull();
});

describe.each(['Express', 'Koa'] as const)('%s', (fw) => {
  test('control: a streamed page completes and every link verifies', async () => {
    const torn = { n: 0 };
    const port = await start(fw, 'none', torn);
    const r = await fetchPage(port, '/page.html');
    expect(r.status).toBe(200);
    expect(r.complete).toBe(true);
    expect(await verifyAll(r.body.toString('utf8'))).toBeGreaterThan(200);
  });

  test.each(['reject-1', 'reject-150', 'hang-40', 'origin-fails'] as const)(
    '%s: a 5xx or an aborted response, never a complete page; the server keeps serving',
    async (fault) => {
      const torn = { n: 0 };
      const port = await start(fw, fault, torn);
      const r = await fetchPage(port, '/page.html');
      const outcome = r.status >= 500 ? '5xx' : r.complete ? 'complete' : 'aborted';
      expect(outcome, `status ${r.status}, ${r.body.length} bytes`).not.toBe('complete');
      if (r.status === 200) expect(r.body.toString('utf8').trimEnd().endsWith('</html>')).toBe(false);
      expect(leaks(r.body.toString('latin1'))).toBeNull();
      const ok = await fetchPage(port, '/ok');
      expect(ok.complete && ok.body.toString()).toBe('ok');
    },
  );

  test('client leaves mid-body: the origin stream is torn down, the server keeps serving', async () => {
    const torn = { n: 0 };
    const port = await start(fw, 'client-leaves', torn);
    const r = await fetchPage(port, '/page.html', 16_384);
    expect(r.complete).toBe(false);
    const deadline = Date.now() + 30_000;
    while (torn.n === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(torn.n, 'origin destroyed').toBeGreaterThan(0);
    const ok = await fetchPage(port, '/ok');
    expect(ok.complete && ok.body.toString()).toBe('ok');
  });
});
