/**
 * The shared adapter app (test/adapters/routes.ts) on Fastify 4 and 5.
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type fastifyCompress from '@fastify/compress';
import type fastifyStatic from '@fastify/static';
import type Fastify from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CDN_CACHED } from '../../../test/adapters/cdn-cached.js';
import { page } from '../../../test/adapters/harness.js';
import {
  type Adapter,
  BODIES,
  bigPage,
  DRAIN_CHUNK,
  DRAIN_CHUNKS,
  delayedStream,
  listenerCounts,
  type Source,
  streamChunks,
} from '../../../test/adapters/routes.js';
import { chunkQuery, chunksOf, commentsPage } from '../../../test/adapters/untrusted.js';
import { cloudfrontSigner, untrustedHtml } from '../src/index.js';

export interface FastifyKit {
  name: string;
  fastify: typeof Fastify;
  compress: typeof fastifyCompress;
  serveStatic: typeof fastifyStatic;
  sources: readonly Source[];
}

/** The app's own freshness logic (Fastify core has none): `If-None-Match` against the reply's ETag. */
const fresh = (request: FastifyRequest, reply: FastifyReply) =>
  request.headers['if-none-match'] !== undefined &&
  request.headers['if-none-match'] === reply.getHeader('etag');

export function fastifyAdapter(kit: FastifyKit, logs: string[]): Adapter {
  return {
    name: kit.name,
    sources: kit.sources,
    compressionOrder: 'handled',
    async start(spec) {
      const skips: string[] = [];
      const errors: unknown[] = [];
      const app = kit.fastify({ trustProxy: spec.trustProxy === true ? '127.0.0.1' : false });
      app.setErrorHandler((err, _request, reply) => {
        errors.push(err);
        void reply
          .code(500)
          .type('text/plain')
          .send(`error: ${(err as { code?: string }).code}`);
      });
      const signer = () =>
        app.register(cloudfrontSigner, {
          rules: spec.rules as never,
          signer: spec.signer,
          onSkip: (r) => void skips.push(r),
          ...spec.options,
        });
      if (spec.compression === 'before') await app.register(kit.compress, { threshold: 0 });
      await signer();
      if (spec.compression === 'after') await app.register(kit.compress, { threshold: 0 });
      await app.register(kit.serveStatic, { root: spec.dir, prefix: '/files/' });
      const html = page();
      const pieces = [html.slice(0, 120), html.slice(120, 200), html.slice(200)];
      const htmlReply = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');
      app.get('/page/string', (_q, reply) => htmlReply(reply).send(html));
      app.get('/page/buffer', (_q, reply) => htmlReply(reply).send(Buffer.from(html)));
      app.get('/page/stream', (_q, reply) => htmlReply(reply).send(Readable.from(pieces)));
      app.get('/page/chunks', (_q, reply) => {
        const pt = new PassThrough();
        void htmlReply(reply).send(pt);
        for (const p of pieces) pt.write(p);
        pt.end();
        return reply;
      });
      app.get('/page/web-stream', (_q, reply) => {
        const enc = new TextEncoder();
        return htmlReply(reply).send(
          new ReadableStream({
            start(c) {
              for (const p of pieces) c.enqueue(enc.encode(p));
              c.close();
            },
          }),
        );
      });
      app.get('/page/response', (_q, reply) =>
        reply.send(new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } })),
      );
      app.get('/page/send-file', (_q, reply) => reply.sendFile('page.html'));
      app.get('/style.css', (_q, reply) => reply.type('text/css').send(BODIES.css));
      app.get('/list.m3u8', (_q, reply) => reply.type('application/vnd.apple.mpegurl').send(BODIES.hls));
      app.get('/image.png', (request, reply) => {
        reply.type('image/png').header('etag', '"v1"').header('last-modified', new Date(0).toUTCString());
        return fresh(request, reply) ? reply.code(304).send() : reply.send(Buffer.from('PNG'));
      });
      app.get('/empty', (_q, reply) => reply.code(204).send());
      app.get('/no-transform', (_q, reply) =>
        htmlReply(reply).header('cache-control', 'no-transform').send(html),
      );
      app.get('/cdn-cached', (_q, reply) => htmlReply(reply).headers(CDN_CACHED).send(html));
      app.get('/opt-out', (_q, reply) => {
        reply.signedUrls = false;
        return htmlReply(reply).send(html);
      });
      app.get('/encoded', (_q, reply) =>
        htmlReply(reply).header('content-encoding', 'gzip').send(BODIES.encoded),
      );
      app.get('/cond', (request, reply) => {
        if ((request.query as { optout?: string }).optout) reply.signedUrls = false;
        htmlReply(reply).header('etag', '"v1"').header('last-modified', new Date(0).toUTCString());
        return fresh(request, reply) ? reply.code(304).send() : reply.send(html);
      });
      app.get('/partial', (_q, reply) =>
        htmlReply(reply).code(206).header('content-range', `bytes 0-9/${html.length}`).send(BODIES.partial),
      );
      // the comments page, in the chunks ?at= / ?size= ask for (whole: a string payload)
      const comments = commentsPage(untrustedHtml);
      app.get('/comments', (request, reply) => {
        const q = chunkQuery(request.url);
        if (q.at === undefined && q.size === undefined) return htmlReply(reply).send(comments);
        return htmlReply(reply).send(Readable.from(chunksOf(comments, q)));
      });
      app.get('/json', () => BODIES.json);
      app.get('/ip', (_q, reply) => htmlReply(reply).send(BODIES.ip));
      app.get('/cookie', (_q, reply) => htmlReply(reply).send(BODIES.cookie));
      app.get('/sign-url', async (_q, reply) =>
        reply.type('text/plain').send(await reply.signUrl('/private/a.jpg')),
      );
      app.get('/drain-loop', (request, reply) => {
        if ((request.query as { optout?: string }).optout) reply.signedUrls = false;
        reply.raw.once('close', () => spec.probe?.(request.url, listenerCounts(reply.raw)));
        const pt = new PassThrough();
        void htmlReply(reply).send(pt);
        void (async () => {
          pt.write('<!doctype html><html><body>');
          for (let i = 0; i < DRAIN_CHUNKS; i++) if (!pt.write(DRAIN_CHUNK)) await once(pt, 'drain');
          pt.end('</body></html>');
        })();
        return reply;
      });
      app.get('/big', (_q, reply) => htmlReply(reply).send(bigPage(10 * 2 ** 20)));
      app.get('/ssr', (_q, reply) => {
        const pt = new PassThrough();
        void htmlReply(reply).send(pt);
        pt.write('<!doctype html><html><body><img src="/private/a.jpg">');
        void (async () => {
          await spec.ssrGate?.();
          pt.end('<img src="/private/b.css"></body></html>');
        })();
        return reply;
      });
      app.get('/stream-page', (_q, reply) =>
        htmlReply(reply).send(
          delayedStream(['<!doctype html><html><body>', ...streamChunks(10), '</body></html>'], 20),
        ),
      );
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      return {
        base,
        errors,
        skips,
        logs,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    },
  };
}
