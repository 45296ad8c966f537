/**
 * The two body paths of the Web response layer over real HTTP, Hono on @hono/node-server: a small
 * page built from a string is rewritten whole (node-server then sends it in one piece with its
 * exact Content-Length; node-server hands its string over, so a page past 1 MiB too), a streamed
 * page streams (chunked), and its first signed bytes reach the client while the server still holds
 * the rest.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, page, signedLinks, signer } from '../../../test/adapters/harness.js';
import { cloudfrontSigner } from '../src/index.js';
import { nodeServerBody } from '../src/node-server-body.js';

const CDN = 'https://cdn.example.com';
const rules = {
  cdn: CDN,
  origins: ['http://127.0.0.1'],
  rules: [{ match: '/private/**', expiresIn: '10m' }],
};
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const enc = new TextEncoder();
const big = page(`<!--${'x'.repeat(1 << 20)}-->`);

let base = '';
let close = () => Promise.resolve();
let release = () => {};
let gate = Promise.resolve();

beforeAll(async () => {
  const app = new Hono();
  app.use(cloudfrontSigner({ signer, rules }));
  app.get('/small', (c) => c.html(page()));
  app.get('/big', (c) => c.html(big));
  app.get('/held', (c) =>
    c.body(
      new ReadableStream<Uint8Array>({
        start(ctl) {
          ctl.enqueue(enc.encode('<!doctype html><html><body><img src="/private/a.jpg">'));
        },
        async pull(ctl) {
          await gate;
          ctl.enqueue(enc.encode('<img src="/private/b.jpg"></body></html>'));
          ctl.close();
        },
      }),
      200,
      HTML,
    ),
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
});
afterAll(() => close());

describe('cloudfrontSigner on @hono/node-server: whole and streamed bodies', () => {
  it('sends a small string page rewritten whole, with its exact Content-Length', async () => {
    const r = await get(base, '/small');
    expect(r.status).toBe(200);
    expect(r.aborted).toBe(false);
    expect(r.headers['transfer-encoding']).toBeUndefined();
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(signedLinks(r.body.toString(), CDN)).toHaveLength(3);
    expect(r.headers.etag).toBeUndefined();
    expect(r.headers['cache-control']).toBe('private, no-store');
  });

  it('sends a page over 1 MiB built from a string whole too: node-server hands over its string', async () => {
    const r = await get(base, '/big');
    expect(r.aborted).toBe(false);
    expect(r.headers['transfer-encoding']).toBeUndefined();
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    const text = r.body.toString();
    expect(signedLinks(text, CDN)).toHaveLength(3);
    expect(text.length).toBeGreaterThan(1 << 20);
    expect(text.endsWith('</html>')).toBe(true);
  });

  it('reads the string or bytes of a lightweight Response without building its stream (nodeServerBody)', async () => {
    // serve() made the global Response node-server's lightweight one.
    expect(nodeServerBody(new Response('<p>x</p>'))).toBe('<p>x</p>');
    const bytes = enc.encode('<p>y</p>');
    expect(nodeServerBody(new Response(bytes))).toBe(bytes);
    expect(nodeServerBody(new Response(null, { status: 204 }))).toBeNull();
    expect(nodeServerBody(new Response(new ReadableStream()))).toBeUndefined();
    const read = new Response('<p>z</p>');
    expect(await read.text()).toBe('<p>z</p>'); // its real Response was built: the string is gone
    expect(nodeServerBody(read)).toBeUndefined();
    expect(nodeServerBody(new globalThis.Response('<p>w</p>', { status: 201 }))).toBe('<p>w</p>');
  });

  it("delivers a streamed page's first signed bytes while the server still holds the rest", async () => {
    let byClient = false;
    let timedOut = false;
    gate = new Promise<void>((resolve) => {
      release = resolve;
      // A failing run (the first bytes held back until the end) ends instead of hanging.
      setTimeout(() => {
        timedOut = true;
        resolve();
      }, 15_000).unref();
    });
    const r = await get(base, '/held', {
      onChunk: (t) => {
        if (!byClient && t.includes('Signature=')) {
          byClient = true; // the first link, signed, while the stream has not ended
          release();
        }
      },
    });
    expect(byClient).toBe(true);
    expect(timedOut).toBe(false);
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.chunks[0]!.text).toContain('Signature=');
    expect(r.chunks[0]!.text).not.toContain('b.jpg');
    expect(signedLinks(r.body.toString(), CDN)).toHaveLength(2);
  });
});
