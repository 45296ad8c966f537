import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import compression from 'compression';
import express5 from 'express';
import express4 from 'express4';
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

function adapter(name: string, express: typeof express5): Adapter {
  return {
    name,
    sources: ['string', 'buffer', 'end-buffer', 'stream', 'chunks', 'static', 'send-file', 'render'],
    async start(spec) {
      const skips: string[] = [];
      const errors: unknown[] = [];
      const mw = cloudfrontSigner({
        rules: spec.rules as never,
        signer: spec.signer,
        onSkip: (r) => skips.push(r),
        ...spec.options,
      });
      const app = express();
      if (spec.trustProxy) app.set('trust proxy', 'loopback');
      writeFileSync(join(spec.dir, 'page.tpl'), '');
      app.engine('tpl', (_path: string, _opts: object, cb: (e: unknown, s?: string) => void) =>
        cb(null, page()),
      );
      app.set('views', spec.dir);
      app.set('view engine', 'tpl');
      if (spec.compression === 'before') app.use(compression({ threshold: 0 }));
      app.use(mw);
      if (spec.compression === 'after') app.use(compression({ threshold: 0 }));
      const html = page();
      const pieces = [html.slice(0, 120), html.slice(120, 200), html.slice(200)];
      app.get('/page/string', (_req, res) => void res.send(html));
      app.get('/page/buffer', (_req, res) => void res.type('html').send(Buffer.from(html)));
      app.get('/page/end-buffer', (_req, res) => {
        const b = Buffer.from(html);
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.setHeader('Content-Length', b.length);
        res.end(b);
      });
      app.get('/page/stream', (_req, res) => void Readable.from(pieces).pipe(res.type('html')));
      app.get('/page/chunks', (_req, res) => {
        res.type('html');
        for (const p of pieces) {
          res.write(p);
          (res as { flush?: () => void }).flush?.();
        }
        res.end();
      });
      app.use('/files', express.static(spec.dir));
      app.get('/page/send-file', (_req, res) => res.sendFile(join(spec.dir, 'page.html')));
      app.get('/page/render', (_req, res) => res.render('page'));
      // the comments page, written in the chunks ?at= / ?size= ask for (whole: res.send)
      const comments = commentsPage(untrustedHtml);
      app.get('/comments', (req, res) => {
        const q = chunkQuery(req.url);
        if (q.at === undefined && q.size === undefined) return void res.type('html').send(comments);
        res.type('html');
        for (const c of chunksOf(comments, q)) res.write(c);
        res.end();
      });
      app.get('/style.css', (_req, res) => void res.type('css').send(BODIES.css));
      app.get('/list.m3u8', (_req, res) => void res.type('application/vnd.apple.mpegurl').send(BODIES.hls));
      app.get(
        '/image.png',
        (_req, res) =>
          void res
            .type('png')
            .set('ETag', '"v1"')
            .set('Last-Modified', new Date(0).toUTCString())
            .send(Buffer.from('PNG')),
      );
      app.get('/empty', (_req, res) => void res.status(204).end());
      app.get('/no-transform', (_req, res) => void res.set('Cache-Control', 'no-transform').send(html));
      app.get('/cdn-cached', (_req, res) => void res.set(CDN_CACHED).send(html));
      app.get('/opt-out', (_req, res) => {
        res.locals.signedUrls = false;
        res.send(html);
      });
      app.get(
        '/encoded',
        (_req, res) => void res.set('Content-Encoding', 'gzip').type('html').send(BODIES.encoded),
      );
      app.get('/cond', (req, res) => {
        if (req.query.optout) res.locals.signedUrls = false;
        res.set('ETag', '"v1"').set('Last-Modified', new Date(0).toUTCString()).send(html);
      });
      app.get(
        '/partial',
        (_req, res) =>
          void res
            .status(206)
            .set('Content-Range', `bytes 0-9/${html.length}`)
            .type('html')
            .send(BODIES.partial),
      );
      app.get('/json', (_req, res) => void res.json(BODIES.json));
      app.get('/ip', (_req, res) => void res.send(BODIES.ip));
      app.get('/cookie', (_req, res) => void res.send(BODIES.cookie));
      app.get(
        '/sign-url',
        async (_req, res) =>
          void res
            .type('text')
            .send(await (res.locals.signUrl as (u: string) => Promise<string>)('/private/a.jpg')),
      );
      app.get('/drain-loop', async (req, res) => {
        if (req.query.optout) res.locals.signedUrls = false;
        res.once('close', () => spec.probe?.(req.url, listenerCounts(res)));
        res.type('html');
        res.write('<!doctype html><html><body>');
        for (let i = 0; i < DRAIN_CHUNKS; i++) if (!res.write(DRAIN_CHUNK)) await once(res, 'drain');
        res.end('</body></html>');
      });
      app.get('/big', (_req, res) => void bigPage(10 * 2 ** 20).pipe(res.type('html')));
      app.get('/ssr', async (_req, res) => {
        res.type('html');
        res.write('<!doctype html><html><body><img src="/private/a.jpg">');
        (res as { flush?: () => void }).flush?.();
        await spec.ssrGate?.();
        res.end('<img src="/private/b.css"></body></html>');
      });
      app.get(
        '/stream-page',
        (_req, res) =>
          void delayedStream(['<!doctype html><html><body>', ...streamChunks(10), '</body></html>'], 20).pipe(
            res.type('html'),
          ),
      );
      app.use((err: unknown, _req: express5.Request, res: express5.Response, next: express5.NextFunction) => {
        errors.push(err);
        if (res.headersSent) return next(err);
        res
          .status(500)
          .type('text')
          .send(`error: ${(err as { code?: string }).code}`);
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

runAdapterCases(adapter('express 5', express5));
runAdapterCases(adapter('express 4', express4 as typeof express5));
