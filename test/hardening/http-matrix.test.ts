// The HTTP matrix for Express and Koa: {identity, gzip, br} x {signer after compression, signer
// before compression} x {GET, HEAD, 206, 304, 204}, on real servers on 127.0.0.1. For every cell:
// Content-Length (when sent) equals the bytes on the wire, one encoding at most, no body on
// HEAD/204/304, no 304 for a rewritten page (its validators describe the unsigned bytes), every
// signed link verifies, and keep-alive survives (a second request on the same socket is intact).
// A mount order the middleware refuses must fail with a 5xx before any body, never a broken page.
import { Agent, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createKeyGroup, createSigner, verifySignedUrl } from '@cfsign/core';
import { cloudfrontSigner as expressSigner } from '@cfsign/express';
import { cloudfrontSigner as koaSigner } from '@cfsign/koa';
import compression from 'compression';
import express from 'express';
import Koa from 'koa';
import koaCompress from 'koa-compress';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generatePage } from '../../bench/page/generate.mjs';
import { CF_ORIGIN } from '../../bench/page/spec.mjs';
import { captureConsole, leakDetector, testKey } from './helpers.js';

const ec = testKey('ec');
const keys = createKeyGroup({ [ec.id]: ec.publicPem });
const leaks = leakDetector([ec.privatePem]);
const { html } = generatePage() as { html: string };
const PAGE = Buffer.from(html);
const IMAGE = Buffer.alloc(200_000, 0xab);
const ETAG = '"page-v1"';
const rulesConfig = {
  cdn: CF_ORIGIN,
  origins: ['https://www.example.com'],
  rules: [{ match: '/private/**', expiresIn: '1h' }],
};
const signer = createSigner({ keyPairId: ec.id, privateKey: ec.privatePem });

type Order = 'signer after compression' | 'signer before compression';
type Method = 'GET' | 'HEAD' | '206' | '304' | '204';
const ORDERS: Order[] = ['signer after compression', 'signer before compression'];
const ENCODINGS = ['identity', 'gzip', 'br'] as const;
const METHODS: Method[] = ['GET', 'HEAD', '206', '304', '204'];

function range(h: string | undefined, len: number): [number, number] | null {
  const m = /^bytes=(\d+)-(\d+)$/.exec(h ?? '');
  return m ? [Number(m[1]), Math.min(Number(m[2]), len - 1)] : null;
}

function expressApp(order: Order): express.Express {
  const app = express();
  const mw = expressSigner({ rules: rulesConfig, signer });
  if (order === 'signer after compression') app.use(compression({ threshold: 0 }));
  app.use(mw as express.RequestHandler);
  if (order === 'signer before compression') app.use(compression({ threshold: 0 }));
  app.get('/page.html', (req, res) => {
    // As express.static and res.send do: type and validators first, then the freshness check.
    res.type('html').setHeader('ETag', ETAG);
    const r = range(req.headers.range, PAGE.length);
    if (r) {
      res.status(206).setHeader('Content-Range', `bytes ${r[0]}-${r[1]}/${PAGE.length}`);
      res.end(PAGE.subarray(r[0], r[1] + 1));
      return;
    }
    if (req.fresh) return void res.status(304).end();
    res.send(PAGE);
  });
  app.get('/image.bin', (req, res) => {
    res.setHeader('ETag', ETAG);
    if (req.headers['if-none-match'] === ETAG) return void res.status(304).end();
    res.type('application/octet-stream').send(IMAGE);
  });
  app.get('/empty', (_req, res) => void res.status(204).end());
  return app;
}

function koaApp(order: Order): Koa {
  const app = new Koa();
  const mw = koaSigner({ rules: rulesConfig, signer });
  const compress = koaCompress({ threshold: 0 });
  if (order === 'signer after compression') app.use(compress);
  app.use(mw as Koa.Middleware);
  if (order === 'signer before compression') app.use(compress);
  app.use(async (ctx) => {
    if (ctx.path === '/empty') {
      ctx.status = 204;
      return;
    }
    const body = ctx.path === '/page.html' ? PAGE : ctx.path === '/image.bin' ? IMAGE : null;
    if (!body) return;
    ctx.set('ETag', ETAG);
    ctx.type = ctx.path === '/page.html' ? 'text/html; charset=utf-8' : 'application/octet-stream';
    const r = range(ctx.get('range'), body.length);
    if (r) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${r[0]}-${r[1]}/${body.length}`);
      ctx.body = body.subarray(r[0], r[1] + 1);
      return;
    }
    if (ctx.get('if-none-match') === ETAG) {
      ctx.status = 304;
      return;
    }
    ctx.body = body;
  });
  return app;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  complete: boolean;
  reusedSocket: boolean;
}

function send(
  port: number,
  agent: Agent,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          raw: Buffer.concat(parts),
          complete: res.complete,
          reusedSocket: req.reusedSocket,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

function decode(r: Reply): Buffer {
  const enc = String(r.headers['content-encoding'] ?? 'identity').toLowerCase();
  expect(enc.includes(','), `stacked Content-Encoding "${enc}"`).toBe(false);
  const once = enc === 'gzip' ? gunzipSync(r.raw) : enc === 'br' ? brotliDecompressSync(r.raw) : r.raw;
  // Double encoding: a body that is still gzip (1f 8b) or not HTML/binary as sent after one decode.
  expect(once[0] === 0x1f && once[1] === 0x8b, 'body encoded twice').toBe(false);
  return once;
}

async function verifyLinks(body: string): Promise<number> {
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

const frameworks = [
  ['Express', (o: Order) => expressApp(o).listen(0, '127.0.0.1')],
  ['Koa', (o: Order) => koaApp(o).listen(0, '127.0.0.1')],
] as const;

describe.each(frameworks)('%s', (_fw, listen) => {
  describe.each(ORDERS)('%s', (order) => {
    let server: Server;
    let port: number;
    let agent: Agent;
    let logs: ReturnType<typeof captureConsole>;
    const refused: string[] = [];
    beforeAll(async () => {
      logs = captureConsole();
      server = listen(order);
      await new Promise<void>((r) => server.once('listening', () => r()));
      port = (server.address() as AddressInfo).port;
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
    });
    afterAll(async () => {
      agent.destroy();
      await new Promise((r) => server.close(r));
      const text = logs.text();
      logs.restore();
      if (refused.length > 0) console.info(`${_fw}, ${order}: refused with a 5xx: ${refused.join('; ')}`);
      expect(leaks(text)).toBeNull();
    });

    test.each(ENCODINGS.flatMap((e) => METHODS.map((m) => [e, m] as const)))(
      '%s, %s',
      async (encoding, method) => {
        const accept = { 'accept-encoding': encoding };
        const path = method === '204' ? '/empty' : '/page.html';
        const headers: Record<string, string> = { ...accept };
        if (method === '206') headers.range = 'bytes=100-5099';
        if (method === '304') headers['if-none-match'] = ETAG;
        const r = await send(port, agent, method === 'HEAD' ? 'HEAD' : 'GET', path, headers);
        if (r.status >= 500) {
          // A refused configuration: a clear server error before any page bytes, never a broken page.
          const text = r.raw.toString('latin1');
          expect(text.includes('/private/'), 'a 5xx must not carry the page').toBe(false);
          expect(leaks(text)).toBeNull();
          refused.push(`${method} ${encoding}: ${r.status}`);
          return;
        }
        expect(r.complete).toBe(true);
        const cl = r.headers['content-length'];
        if (cl !== undefined && method !== 'HEAD')
          expect(Number(cl), 'Content-Length equals the bytes sent').toBe(r.raw.length);
        if (cl !== undefined) expect(r.headers['transfer-encoding'], 'not both CL and TE').toBeUndefined();
        if (method === 'HEAD' || method === '204' || r.status === 304 || r.status === 204) {
          expect(r.raw.length, 'no body').toBe(0);
        }
        if (method === 'HEAD') expect(r.status).toBe(200);
        if (method === '204') expect(r.status).toBe(204);
        if (method === '304') {
          // A rewritten page is never revalidated to 304: its signatures must be fresh.
          expect(r.status, 'no stale 304 for a rewritten page').toBe(200);
          expect(r.headers.etag).toBeUndefined();
          const body = decode(r).toString('utf8');
          expect(await verifyLinks(body)).toBeGreaterThan(200);
        }
        if (method === 'GET') {
          expect(r.status).toBe(200);
          const body = decode(r).toString('utf8');
          expect(body.length).toBeGreaterThan(PAGE.length);
          expect(await verifyLinks(body)).toBeGreaterThan(200);
          expect(leaks(body)).toBeNull();
        }
        if (method === '206') {
          // Range on a rewritable type: the whole rewritten page as a 200, never a 206 slice of the
          // unsigned page (a resumed download would mix two representations).
          expect(r.status, 'Range on a rewritten page answers the whole page').toBe(200);
          expect(r.headers['accept-ranges'], 'no Accept-Ranges on a rewritten body').toBeUndefined();
          expect(r.headers['content-range']).toBeUndefined();
          expect(await verifyLinks(decode(r).toString('utf8'))).toBeGreaterThan(200);
        }
        if (method === 'HEAD') {
          // HEAD answers with GET's headers: no Content-Length unless it is exactly GET's body length.
          const g = await send(port, agent, 'GET', path, headers);
          if (g.status >= 500) return void refused.push(`GET for HEAD ${encoding}: ${g.status}`);
          if (cl !== undefined)
            expect(Number(cl), 'HEAD Content-Length is GET body length').toBe(g.raw.length);
          for (const h of ['cache-control', 'etag', 'last-modified', 'accept-ranges', 'vary', 'content-type'])
            expect(r.headers[h], `HEAD ${h} as GET`).toEqual(g.headers[h]);
        }
        // Keep-alive: the next request on the same socket works and is intact.
        const again = await send(port, agent, 'GET', '/image.bin', { 'accept-encoding': encoding });
        expect(again.reusedSocket, 'the socket was reused').toBe(true);
        expect(again.status).toBe(200);
        expect(decode(again).equals(IMAGE), 'a non-HTML body passes through intact').toBe(true);
      },
    );

    test('304 stays a 304 (with no body) for a non-rewritten type', async () => {
      const r = await send(port, agent, 'GET', '/image.bin', { 'if-none-match': ETAG });
      if (r.status >= 500) return;
      expect(r.status).toBe(304);
      expect(r.raw.length).toBe(0);
    });
  });
});
