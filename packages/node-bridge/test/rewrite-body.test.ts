/**
 * `rewriteBody` (the Koa side) on a plain `node:http` server: whole bodies, streams, JSON and HEAD.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { beginRequest, prepareOptions, rewriteBody } from '../src/index.js';
import { fetchText, RULES, signedLinks, signer } from './helpers.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

/** A tiny Koa-like server: the handler returns a body; the bridge replaces it; the server sends it. */
async function serveBody(
  make: (req: IncomingMessage, res: ServerResponse) => unknown,
  signJson = false,
  piped?: (body: Readable) => void,
) {
  const prepared = prepareOptions({ rules: RULES, signer, signJson });
  const skips: string[] = [];
  const server = createServer(async (req, res) => {
    let body = make(req, res);
    const signing = beginRequest(prepared, req, res, {
      url: () => `http://www.example.com${req.url}`,
      clientIp: () => undefined,
      frameworkReq: req,
      path: req.url ?? '/',
      optedOut: () => false,
    });
    await rewriteBody(signing, body, (b) => {
      body = b;
    });
    if (req.method === 'HEAD') return void res.end();
    if (body instanceof Readable) {
      piped?.(body);
      body.pipe(res);
    } else res.end(body as Buffer);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skips };
}

describe('rewriteBody', () => {
  it('rewrites a string body with its exact length, and a stream without one', async () => {
    for (const kind of ['string', 'stream'] as const) {
      const { base } = await serveBody((_req, res) => {
        res.setHeader('content-type', 'text/html');
        const html = '<img src="/private/a.jpg"><a href="/public/x">x</a>';
        return kind === 'string' ? html : Readable.from([html.slice(0, 10), html.slice(10)]);
      });
      const r = await fetchText(base, '/');
      expect(signedLinks(r.body), kind).toHaveLength(1);
      if (kind === 'string') expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
      else expect(r.headers['content-length']).toBeUndefined();
    }
  });

  it('signs a JSON object into a copy, with the exact length and the header policy', async () => {
    const value = { poster: '/private/p.jpg', other: '//www.example.com/private/x.jpg', n: 1 };
    const { base } = await serveBody((_req, res) => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('etag', '"j"');
      return value;
    }, true);
    const r = await fetchText(base, '/api');
    const body = JSON.parse(r.body) as typeof value;
    expect(body.poster).toMatch(/Signature=/);
    expect(body.other).toBe('//www.example.com/private/x.jpg');
    expect(value.poster).toBe('/private/p.jpg');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    expect(r.headers.etag).toBeUndefined();
    expect(r.headers['cache-control']).toBe('private, no-store');
  });

  it('HEAD: the headers of GET, no Content-Length', async () => {
    const { base } = await serveBody((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.setHeader('content-length', '26');
      return '<img src="/private/a.jpg">';
    });
    const h = await fetchText(base, '/', { method: 'HEAD' });
    expect(h.headers['content-length']).toBeUndefined();
    expect(h.headers['cache-control']).toBe('private, no-store');
  });

  it('a piped stream pauses at most once per 64 KiB written, not at every rewritten chunk', async () => {
    // each chunk is a little over 16 KiB once its link is signed: a socket reports backpressure at
    // every such write, so without the slack the pipe would pause once per chunk
    const chunk = `<p><img src="/private/a.jpg">${'x'.repeat(16 * 1024 - 40)}</p>\n`;
    const n = 40;
    let pauses = -1;
    const { base } = await serveBody(
      (_req, res) => {
        res.setHeader('content-type', 'text/html');
        return Readable.from(Array.from({ length: n }, () => Buffer.from(chunk)));
      },
      false,
      (body) => {
        pauses = 0;
        body.on('pause', () => pauses++);
      },
    );
    const r = await fetchText(base, '/');
    expect(signedLinks(r.body)).toHaveLength(n);
    expect(pauses).toBeGreaterThanOrEqual(0);
    expect(pauses).toBeLessThanOrEqual(Math.ceil(n / 4) + 1);
  });
});
