/**
 * The shared adapter app (test/adapters/routes.ts) as a Hono app, without any Node import, so that
 * the same table runs on @hono/node-server and inside workerd.
 */
import type { Signer } from '@cfsign/core';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { stream } from 'hono/streaming';
import { CDN_CACHED } from '../../../test/adapters/cdn-cached.js';
import { chunkQuery, commentsPage } from '../../../test/adapters/untrusted.js';
import { type CfsignVariables, cloudfrontSigner, untrustedHtml } from '../src/index.js';

type Env = { Variables: CfsignVariables };

export interface HonoAppSpec {
  rules: unknown;
  signer: Signer;
  options?: Record<string, unknown>;
  compression?: 'before' | 'after';
  trustProxy?: boolean;
  /** The page of test/adapters/harness.ts, and the bodies of test/adapters/routes.ts. */
  html: string;
  bodies: {
    css: string;
    hls: string;
    encoded: Uint8Array;
    json: unknown;
    ip: string;
    cookie: string;
    partial: string;
  };
  streamChunks: string[];
  /** The page body the runtime streams for /big (a 10 MiB page) and /stream-page (slow chunks). */
  big: () => ReadableStream<Uint8Array>;
  slow: () => ReadableStream<Uint8Array>;
  ssrGate?: () => Promise<void>;
  /** The runtime's static file handler for /files/*, if any. */
  serveStatic?: MiddlewareHandler;
  /** The client address when no proxy is trusted (default: the adapter's own). */
  clientIp?: (c: Context) => string | undefined;
  onSkip(reason: string): void;
  onError(err: unknown): void;
}

const HTML = { 'content-type': 'text/html; charset=utf-8' };

function streamOf(pieces: readonly string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const p of pieces) c.enqueue(enc.encode(p));
      c.close();
    },
  });
}

/** The comments page's bytes in the chunks `?at=` / `?size=` ask for (no Buffer: workerd has none). */
function commentChunks(html: string, url: string): Uint8Array[] {
  const b = new TextEncoder().encode(html);
  const q = chunkQuery(url);
  if (q.at !== undefined) return [b.subarray(0, q.at), b.subarray(q.at)];
  if (q.size === undefined) return [b];
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += q.size) out.push(b.subarray(i, i + q.size));
  return out;
}

export function honoApp(spec: HonoAppSpec): Hono<Env> {
  const app = new Hono<Env>();
  app.onError((err, c) => {
    spec.onError(err);
    return c.text(`error: ${(err as { code?: string }).code}`, 500);
  });
  const signer = cloudfrontSigner({
    rules: spec.rules as never,
    signer: spec.signer,
    onSkip: (r) => spec.onSkip(r),
    ...(spec.trustProxy === true
      ? { clientIp: (c: Context) => c.req.header('x-forwarded-for')?.split(',')[0]?.trim() }
      : spec.clientIp !== undefined && { clientIp: spec.clientIp }),
    ...spec.options,
  });
  if (spec.compression === 'before') app.use(compress());
  app.use(signer);
  if (spec.compression === 'after') app.use(compress());
  const html = spec.html;
  const pieces = [html.slice(0, 120), html.slice(120, 200), html.slice(200)];
  const b = spec.bodies;
  if (spec.serveStatic !== undefined) app.use('/files/*', spec.serveStatic);
  app.get('/page/string', (c) => c.html(html));
  app.get('/page/buffer', (c) => c.body(new TextEncoder().encode(html), 200, HTML));
  app.get('/page/stream', (c) => c.body(streamOf(pieces), 200, HTML));
  app.get('/page/web-stream', (c) => c.body(streamOf(pieces), 200, HTML));
  app.get('/page/response', () => new Response(html, { headers: HTML }));
  app.get('/page/chunks', (c) => {
    c.header('content-type', HTML['content-type']);
    return stream(c, async (s) => {
      for (const p of pieces) await s.write(p);
    });
  });
  app.get('/style.css', (c) => c.body(b.css, 200, { 'content-type': 'text/css' }));
  app.get('/list.m3u8', (c) => c.body(b.hls, 200, { 'content-type': 'application/vnd.apple.mpegurl' }));
  app.get('/image.png', (c) => {
    c.header('etag', '"v1"');
    c.header('last-modified', new Date(0).toUTCString());
    if (c.req.header('if-none-match') === '"v1"') return c.body(null, 304);
    return c.body('PNG', 200, { 'content-type': 'image/png' });
  });
  app.get('/empty', (c) => c.body(null, 204));
  app.get('/no-transform', (c) => c.html(html, 200, { 'cache-control': 'no-transform' }));
  app.get('/cdn-cached', (c) => c.html(html, 200, CDN_CACHED));
  app.get('/opt-out', (c) => {
    c.set('signedUrls', false);
    return c.html(html);
  });
  app.get('/encoded', (c) => c.body(b.encoded, 200, { ...HTML, 'content-encoding': 'gzip' }));
  app.get('/cond.html', (c) => {
    if (c.req.query('optout')) c.set('signedUrls', false);
    c.header('etag', '"v1"');
    c.header('last-modified', new Date(0).toUTCString());
    if (c.req.header('if-none-match') === '"v1"') return c.body(null, 304);
    return c.html(html);
  });
  app.get('/partial', (c) =>
    c.body(b.partial, 206, { ...HTML, 'content-range': `bytes 0-9/${html.length}` }),
  );
  // the comments page, in the chunks ?at= / ?size= ask for (whole: c.html)
  const comments = commentsPage(untrustedHtml);
  app.get('/comments', (c) => {
    const q = chunkQuery(c.req.url);
    if (q.at === undefined && q.size === undefined) return c.html(comments);
    const parts = commentChunks(comments, c.req.url);
    return c.body(
      new ReadableStream<Uint8Array>({
        start(ctl) {
          for (const p of parts) ctl.enqueue(p);
          ctl.close();
        },
      }),
      200,
      HTML,
    );
  });
  app.get('/json', (c) => c.json(b.json));
  app.get('/ip', (c) => c.html(b.ip));
  app.get('/cookie', (c) => c.html(b.cookie));
  app.get('/sign-url', async (c) => c.text(await c.get('signUrl')('/private/a.jpg')));
  app.get('/big', (c) => c.body(spec.big(), 200, HTML));
  app.get('/stream-page', (c) => c.body(spec.slow(), 200, HTML));
  app.get('/ssr', (c) => {
    c.header('content-type', HTML['content-type']);
    return stream(c, async (s) => {
      await s.write('<!doctype html><html><body><img src="/private/a.jpg">');
      await spec.ssrGate?.();
      await s.write('<img src="/private/b.css"></body></html>');
    });
  });
  return app;
}
