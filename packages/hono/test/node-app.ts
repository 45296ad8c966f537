/**
 * The Hono app of routes.ts served by @hono/node-server on 127.0.0.1.
 */
import { Readable } from 'node:stream';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { page } from '../../../test/adapters/harness.js';
import { type Adapter, BODIES, bigPage, delayedStream, streamChunks } from '../../../test/adapters/routes.js';
import { honoApp } from './routes.js';

const toWeb = (r: Readable) => Readable.toWeb(r) as unknown as ReadableStream<Uint8Array>;

export function honoNodeAdapter(logs: string[]): Adapter {
  return {
    name: 'hono on @hono/node-server',
    sources: ['string', 'buffer', 'stream', 'chunks', 'static', 'web-stream', 'response'],
    compressionOrder: 'skipped',
    conditional: 'path',
    encodings: ['gzip'],
    unsupported: {
      'drain-loop': 'a Fetch Response has no EventEmitter: backpressure is the ReadableStream pull',
    },
    async start(spec) {
      const skips: string[] = [];
      const errors: unknown[] = [];
      const app = honoApp({
        ...spec,
        html: page(),
        bodies: BODIES,
        streamChunks: streamChunks(10),
        big: () => toWeb(bigPage(10 * 2 ** 20)),
        slow: () =>
          toWeb(delayedStream(['<!doctype html><html><body>', ...streamChunks(10), '</body></html>'], 20)),
        serveStatic: serveStatic({ root: spec.dir, rewriteRequestPath: (p) => p.replace(/^\/files/, '') }),
        onSkip: (r) => void skips.push(r),
        onError: (e) => void errors.push(e),
      });
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      const address = server.address() as { port: number };
      return {
        base: `http://127.0.0.1:${address.port}`,
        errors,
        skips,
        logs,
        close: () =>
          new Promise<void>((resolve) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => resolve());
          }),
      };
    },
  };
}
