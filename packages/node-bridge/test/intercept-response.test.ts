/**
 * The intercepted response behaves as a plain `ServerResponse` for every EventEmitter and stream
 * API an app uses, and leaves nothing behind.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchText, type Handler, type Served, serve, signedLinks } from './helpers.js';

const CHUNK = Buffer.from(`<p><img src="/private/a.jpg">${'x'.repeat(16_384 - 40)}</p>\n`);
const counts = (res: ServerResponse) =>
  Object.fromEntries(
    ['drain', 'error', 'finish', 'close', 'unpipe', 'prefinish', 'custom'].map((n) => [
      n,
      res.listenerCount(n),
    ]),
  );

const servers: Served[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Runs `handler` on a plain server and on a signing one; resolves both replies and the final listener counts. */
async function both(handler: Handler, slowMs?: number) {
  const out: Record<string, { reply: Awaited<ReturnType<typeof fetchText>>; after: Record<string, number> }> =
    {};
  for (const signed of [false, true]) {
    let closed!: (c: Record<string, number>) => void;
    const after = new Promise<Record<string, number>>((resolve) => {
      closed = resolve;
    });
    const s = await serve(
      async (req, res) => {
        res.once('close', () => closed(counts(res)));
        await handler(req, res);
      },
      { signed },
    );
    servers.push(s);
    const reply = await fetchText(s.base, '/page', slowMs === undefined ? {} : { slowMs });
    out[signed ? 'signed' : 'plain'] = { reply, after: await after };
  }
  return out as Record<'plain' | 'signed', (typeof out)[string]>;
}

describe('interceptResponse: EventEmitter parity', () => {
  it('events.once(res, "drain") loops leave exactly the listeners of a plain response, with no warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    let waits = 0;
    try {
      const r = await both(async (_req, res) => {
        res.setHeader('content-type', 'text/html');
        for (let i = 0; i < 48; i++)
          if (!res.write(CHUNK)) {
            waits++;
            await once(res, 'drain');
          }
        res.end();
      }, 1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(waits).toBeGreaterThan(11); // more than the default max listeners: a leak would warn
      expect(signedLinks(r.signed.reply.body)).toHaveLength(48);
      expect(r.plain.reply.body).toContain('src="/private/a.jpg"');
      expect(r.signed.after).toEqual(r.plain.after);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('on, once, prependListener, off/removeListener and listenerCount act on the response itself', async () => {
    const logs: number[][] = [];
    const r = await both((_req, res) => {
      const log: number[] = [];
      logs.push(log);
      const a = () => {};
      const b = () => {};
      res.on('drain', a);
      res.once('drain', b);
      res.prependListener('drain', b);
      log.push(res.listenerCount('drain'));
      res.off('drain', a);
      res.removeListener('drain', b);
      log.push(res.listenerCount('drain'));
      res.removeAllListeners('drain');
      res.on('custom', a);
      res.emit('custom');
      log.push(res.listenerCount('custom'), res.listenerCount('drain'));
      res.off('custom', a);
      res.setHeader('content-type', 'text/html');
      res.end('<img src="/private/a.jpg">');
    });
    expect(logs).toEqual([
      [3, 1, 1, 0],
      [3, 1, 1, 0],
    ]);
    expect(signedLinks(r.signed.reply.body)).toHaveLength(1);
    expect(r.signed.after).toEqual(r.plain.after);
  });

  it('stream.pipeline into the response completes, with backpressure, and leaves no listener', async () => {
    const r = await both(async (_req, res) => {
      res.setHeader('content-type', 'text/html');
      await pipeline(Readable.from(Array.from({ length: 32 }, () => CHUNK)), res);
    }, 1);
    expect(signedLinks(r.signed.reply.body)).toHaveLength(32);
    expect(r.signed.reply.body.length).toBeGreaterThan(r.plain.reply.body.length);
    expect(r.signed.after).toEqual(r.plain.after);
  });

  it('passes other types through untouched and hands the response its own methods back', async () => {
    let restored = false;
    const r = await both((_req, res) => {
      res.setHeader('content-type', 'image/png');
      res.write('PNG');
      restored = !Object.hasOwn(res, 'write') || res.write === Object.getPrototypeOf(res).write;
      res.end();
    });
    expect(r.signed.reply.body).toBe('PNG');
    expect(restored).toBe(true);
    expect(r.signed.after).toEqual(r.plain.after);
  });
});

describe('interceptResponse: headers', () => {
  it('a whole body gets its exact Content-Length; HEAD gets the same headers without a body or a length', async () => {
    const s = await serve((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.setHeader('etag', '"v1"');
      res.setHeader('last-modified', new Date(0).toUTCString());
      res.setHeader('accept-ranges', 'bytes');
      res.setHeader('cache-control', 'public, max-age=600');
      res.end('<img src="/private/a.jpg">');
    });
    servers.push(s);
    const g = await fetchText(s.base, '/');
    const h = await fetchText(s.base, '/', { method: 'HEAD' });
    expect(Number(g.headers['content-length'])).toBe(Buffer.byteLength(g.body));
    expect(signedLinks(g.body)).toHaveLength(1);
    expect(h.body).toBe('');
    expect(h.headers['content-length']).toBeUndefined();
    for (const name of ['etag', 'last-modified', 'accept-ranges']) {
      expect(g.headers[name], name).toBeUndefined();
      expect(h.headers[name], name).toBeUndefined();
    }
    expect(g.headers['cache-control']).toBe('private, no-store');
    expect(h.headers['cache-control']).toBe('private, no-store');
  });

  it('a page that passes through after all (no-transform) keeps no placeholder ETag', async () => {
    const s = await serve((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.setHeader('cache-control', 'no-transform');
      res.end('<img src="/private/a.jpg">');
    });
    servers.push(s);
    const r = await fetchText(s.base, '/');
    expect(r.body).toBe('<img src="/private/a.jpg">');
    expect(r.headers.etag).toBeUndefined();
  });

  it('removes Range from the request once a rewritable type is set, so the app answers the whole page', async () => {
    const seen: Array<string | undefined> = [];
    const s = await serve((req, res) => {
      res.setHeader('content-type', 'text/html');
      seen.push(req.headers.range);
      res.end('<img src="/private/a.jpg">');
    });
    servers.push(s);
    const r = await fetchText(s.base, '/page', { headers: { range: 'bytes=0-3' } });
    expect(seen).toEqual([undefined]);
    expect(r.status).toBe(200);
    expect(signedLinks(r.body)).toHaveLength(1);
  });

  it('a whole body written as a string in another encoding is rewritten from the bytes of that encoding', async () => {
    const s = await serve((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=windows-1252');
      // 'é' as latin1 is the single byte E9; encoded as UTF-8 it would be two
      res.end('<p>caf\u00e9</p><img src="/private/a.jpg">', 'latin1');
    });
    servers.push(s);
    const raw = await fetch(`${s.base}/page`, { headers: { host: 'www.example.com' } });
    const bytes = Buffer.from(await raw.arrayBuffer());
    expect(bytes.subarray(0, 9)).toEqual(Buffer.from([0x3c, 0x70, 0x3e, 0x63, 0x61, 0x66, 0xe9, 0x3c, 0x2f]));
    expect(Number(raw.headers.get('content-length'))).toBe(bytes.length);
    expect(signedLinks(bytes.toString('latin1'))).toHaveLength(1);
  });
});
