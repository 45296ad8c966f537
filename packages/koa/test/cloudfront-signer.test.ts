import { once } from 'node:events';
import { createReadStream, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import Koa3 from 'koa';
import compress from 'koa-compress';
import Koa2 from 'koa2';
import { vi } from 'vitest';
import { runAdapterCases } from '../../../test/adapters/cases.js';
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
  streamChunks,
} from '../../../test/adapters/routes.js';
import { chunkQuery, chunksOf, commentsPage } from '../../../test/adapters/untrusted.js';
import { cloudfrontSigner, untrustedHtml } from '../src/index.js';

const logs: string[] = [];
for (const level of ['log', 'warn', 'error', 'info', 'debug'] as const)
  vi.spyOn(console, level).mockImplementation(
    (...args: unknown[]) => void logs.push(args.map(String).join(' ')),
  );

function adapter(name: string, Koa: typeof Koa3): Adapter {
  return {
    name,
    // Koa 2 itself has no Web ReadableStream bodies (it would serialize one as JSON).
    sources: [
      'string',
      'buffer',
      'stream',
      'chunks',
      'static',
      ...(name === 'koa 3' ? (['web-stream'] as const) : []),
    ],
    async start(spec) {
      const skips: string[] = [];
      const errors: unknown[] = [];
      const mw = cloudfrontSigner({
        rules: spec.rules as never,
        signer: spec.signer,
        onSkip: (r) => skips.push(r),
        ...spec.options,
      });
      const app = new Koa();
      app.proxy = spec.trustProxy === true;
      app.on('error', (err) => errors.push(err));
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          errors.push(err);
          ctx.status = 500;
          ctx.type = 'text';
          ctx.body = `error: ${(err as { code?: string }).code}`;
        }
      });
      if (spec.compression === 'before') app.use(compress({ threshold: 0 }));
      app.use(mw as unknown as Koa3.Middleware);
      if (spec.compression === 'after') app.use(compress({ threshold: 0 }));
      const html = page();
      const comments = commentsPage(untrustedHtml);
      const pieces = [html.slice(0, 120), html.slice(120, 200), html.slice(200)];
      const routes: Record<string, (ctx: Koa3.Context) => unknown> = {
        '/page/string': (ctx) => {
          ctx.type = 'html';
          ctx.body = html;
        },
        '/page/buffer': (ctx) => {
          ctx.type = 'html';
          ctx.body = Buffer.from(html);
        },
        '/page/stream': (ctx) => {
          ctx.type = 'html';
          ctx.body = Readable.from(pieces);
        },
        '/page/web-stream': (ctx) => {
          ctx.type = 'html';
          const enc = new TextEncoder();
          ctx.body = new ReadableStream({
            start(c) {
              for (const p of pieces) c.enqueue(enc.encode(p));
              c.close();
            },
          });
        },
        '/page/chunks': (ctx) => {
          ctx.type = 'html';
          const pt = new PassThrough();
          ctx.body = pt;
          for (const p of pieces) pt.write(p);
          pt.end();
        },
        '/files/page.html': (ctx) => {
          const file = join(spec.dir, 'page.html');
          const st = statSync(file);
          ctx.type = 'html';
          ctx.length = st.size;
          ctx.lastModified = st.mtime;
          ctx.body = createReadStream(file);
        },
        // the comments page, in the chunks ?at= / ?size= ask for (whole: a string body)
        '/comments': (ctx) => {
          const q = chunkQuery(ctx.url);
          ctx.type = 'html';
          ctx.body =
            q.at === undefined && q.size === undefined ? comments : Readable.from(chunksOf(comments, q));
        },
        '/style.css': (ctx) => {
          ctx.type = 'css';
          ctx.body = BODIES.css;
        },
        '/list.m3u8': (ctx) => {
          ctx.type = 'application/vnd.apple.mpegurl';
          ctx.body = BODIES.hls;
        },
        '/image.png': (ctx) => {
          ctx.type = 'png';
          ctx.set('ETag', '"v1"');
          ctx.lastModified = new Date(0);
          ctx.body = Buffer.from('PNG');
          if (ctx.fresh) ctx.status = 304;
        },
        '/empty': (ctx) => {
          ctx.status = 204;
        },
        '/no-transform': (ctx) => {
          ctx.set('Cache-Control', 'no-transform');
          ctx.type = 'html';
          ctx.body = html;
        },
        '/cdn-cached': (ctx) => {
          ctx.set(CDN_CACHED);
          ctx.type = 'html';
          ctx.body = html;
        },
        '/opt-out': (ctx) => {
          ctx.state.signedUrls = false;
          ctx.type = 'html';
          ctx.body = html;
        },
        '/encoded': (ctx) => {
          ctx.set('Content-Encoding', 'gzip');
          ctx.type = 'html';
          ctx.body = BODIES.encoded;
        },
        '/cond': (ctx) => {
          if (ctx.query.optout) ctx.state.signedUrls = false;
          ctx.set('ETag', '"v1"');
          ctx.lastModified = new Date(0);
          ctx.type = 'html';
          ctx.body = html;
          if (ctx.fresh) ctx.status = 304;
        },
        '/partial': (ctx) => {
          ctx.status = 206;
          ctx.set('Content-Range', `bytes 0-9/${html.length}`);
          ctx.type = 'html';
          ctx.body = BODIES.partial;
        },
        '/json': (ctx) => {
          ctx.body = BODIES.json;
        },
        '/ip': (ctx) => {
          ctx.type = 'html';
          ctx.body = BODIES.ip;
        },
        '/cookie': (ctx) => {
          ctx.type = 'html';
          ctx.body = BODIES.cookie;
        },
        '/sign-url': async (ctx) => {
          ctx.type = 'text';
          ctx.body = await (ctx.state.signUrl as (u: string) => Promise<string>)('/private/a.jpg');
        },
        '/drain-loop': (ctx) => {
          if (ctx.query.optout) ctx.state.signedUrls = false;
          const res = ctx.res;
          res.once('close', () => spec.probe?.(ctx.url, listenerCounts(res)));
          ctx.type = 'html';
          const pt = new PassThrough();
          ctx.body = pt;
          void (async () => {
            pt.write('<!doctype html><html><body>');
            for (let i = 0; i < DRAIN_CHUNKS; i++) if (!pt.write(DRAIN_CHUNK)) await once(pt, 'drain');
            pt.end('</body></html>');
          })();
        },
        '/big': (ctx) => {
          ctx.type = 'html';
          ctx.body = bigPage(10 * 2 ** 20);
        },
        '/ssr': (ctx) => {
          ctx.type = 'html';
          const pt = new PassThrough();
          ctx.body = pt;
          pt.write('<!doctype html><html><body><img src="/private/a.jpg">');
          void Promise.resolve(spec.ssrGate?.()).then(() =>
            pt.end('<img src="/private/b.css"></body></html>'),
          );
        },
        '/stream-page': (ctx) => {
          ctx.type = 'html';
          ctx.body = delayedStream(
            ['<!doctype html><html><body>', ...streamChunks(10), '</body></html>'],
            20,
          );
        },
      };
      app.use(async (ctx) => {
        await routes[ctx.path]?.(ctx);
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      return {
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        errors,
        skips,
        logs,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  };
}

runAdapterCases(adapter('koa 3', Koa3));
runAdapterCases(adapter('koa 2', Koa2 as typeof Koa3));
