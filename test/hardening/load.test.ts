// Memory and load through the Express middleware on 127.0.0.1:
// - a large HTML response (1 GiB long mode, 256 MiB CI) streamed to a slow client keeps memory flat:
//   what the process holds after a garbage collection grows by <= 64 MiB per GiB (16 MiB for
//   256 MiB) over its level before the request, and RSS never grows by more than the 64 MiB;
// - a large non-HTML response passes through with an identical SHA-256;
// - a key rotation (keyring + useKey) under sustained autocannon load: every link verifies at the
//   emulator trusting both keys, and the signature cache stays within its bound.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createKeyGroup, createSigner, verifySignedUrl } from '@cfsign/core';
import { createEmulator, type RunningEmulator } from '@cfsign/emulator';
import { cloudfrontSigner } from '@cfsign/express';
import autocannon from 'autocannon';
import express from 'express';
import { afterAll, describe, expect, test } from 'vitest';
import { liveBytes } from '../support/memory.js';
import { LONG, testKey } from './helpers.js';

const MiB = 1 << 20;
const HTML_BYTES = (LONG ? 1024 : 256) * MiB;
const LIVE_BOUND = (64 / 1024) * (HTML_BYTES / MiB) * MiB;
/** The bound on RSS growth, for either length: the peak is set by when V8 collects, not by the length. */
const RSS_BOUND = 64 * MiB;
// Memory is read after full collections (`liveBytes`): left to V8, dead chunks promoted to the old
// generation wait for a full collection, which V8 starts once about 64 MiB of them are outside its
// heap, and RSS swung by 38-61 MiB in a third of the runs.
const ec = testKey('ec', 'KROTA');
const ec2 = testKey('ec', 'KROTB');
const CDN = 'https://d111111abcdef8.cloudfront.net';
const keys = createKeyGroup({ [ec.id]: ec.publicPem, [ec2.id]: ec2.publicPem });
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

async function listen(app: express.Express): Promise<number> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((r) => server.once('listening', () => r()));
  return (server.address() as AddressInfo).port;
}

/** A block of HTML with protected links (a few distinct URLs, so most signatures come from the cache). */
function htmlBlock(i: number): Buffer {
  const links = Array.from(
    { length: 8 },
    (_, k) => `<img src="/private/img/${(i + k) % 64}.jpg" alt="x"><a href="/public/${k}">p</a>`,
  ).join('');
  return Buffer.from(`<section><p>${'lorem ipsum dolor sit amet '.repeat(120)}</p>${links}</section>\n`);
}

/** A Readable of `total` bytes built from `make(i)` blocks, honouring backpressure. */
function generated(total: number, make: (i: number) => Buffer): Readable {
  let sent = 0;
  let i = 0;
  return new Readable({
    highWaterMark: 64 * 1024,
    read() {
      while (sent < total) {
        const b = make(i++);
        const chunk = b.length > total - sent ? b.subarray(0, total - sent) : b;
        sent += chunk.length;
        if (!this.push(chunk)) return;
      }
      this.push(null);
    },
  });
}

describe('memory: large responses through the Express middleware', () => {
  const signer = createSigner({ keyPairId: ec.id, privateKey: ec.privatePem });
  const app = express();
  app.use(
    cloudfrontSigner({
      rules: {
        cdn: CDN,
        origins: ['https://www.example.com'],
        rules: [{ match: '/private/**', expiresIn: '1h' }],
      },
      signer,
    }) as express.RequestHandler,
  );
  app.get('/big.html', (req, res) => {
    res.type('html');
    res.write('<!DOCTYPE html><html><body>\n');
    // `?mib=N`: a shorter page of the same blocks, for the warm-up.
    generated(req.query.mib ? Number(req.query.mib) * MiB : HTML_BYTES, htmlBlock).pipe(res);
  });
  // 64 KiB pseudo-random blocks, each stamped with its index (cheap to make, never repeating).
  const noise = randomBytes(64 * 1024);
  const binaryBlock = (i: number) => {
    const b = Buffer.from(noise);
    b.writeUInt32BE(i, 0);
    b.writeUInt32BE(Math.imul(i, 2654435761) >>> 0, 32_768);
    return b;
  };
  app.get('/big.bin', (_req, res) => {
    res.type('application/octet-stream');
    generated(HTML_BYTES, binaryBlock).pipe(res);
  });

  test(`${HTML_BYTES / MiB} MiB of HTML to a slow client: memory stays flat (live <= +${(LIVE_BOUND / MiB).toFixed(0)} MiB, RSS <= +${RSS_BOUND / MiB} MiB), links signed`, async () => {
    const port = await listen(app);
    // The baseline is taken before the request: one taken later would already hold whatever the
    // server buffered ahead of the client, and a body buffered whole would pass unseen. A 16 MiB
    // page first warms up what stays (compiled code, the rewriter's and Node's reused buffers).
    await new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/big.html?mib=16', agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', reject);
      }).on('error', reject);
    });
    const liveBefore = liveBytes();
    const rssBefore = process.memoryUsage().rss;
    const result = await new Promise<{
      bytes: number;
      samples: [number, number][];
      held: number[];
      signed: number;
      complete: boolean;
    }>((resolve, reject) => {
      let bytes = 0;
      let signed = 0;
      let tail = '';
      const samples: [number, number][] = [];
      // Live memory after a collection, every 8 MiB received.
      const held: number[] = [];
      const sample = setInterval(() => samples.push([bytes, process.memoryUsage().rss]), 20);
      const req = get({ host: '127.0.0.1', port, path: '/big.html', agent: false }, (res) => {
        res.on('data', (c: Buffer) => {
          if (Math.floor(bytes / (8 * MiB)) !== Math.floor((bytes + c.length) / (8 * MiB))) {
            held.push(liveBytes());
          }
          bytes += c.length;
          const text = tail + c.toString('latin1');
          signed += text.split('Signature=').length - 1;
          tail = text.slice(-64);
          signed -= tail.split('Signature=').length - 1;
          // A slow client: a 20 ms pause after every ~1 MiB holds it under 50 MiB/s, slower than the server
          // writes, so without backpressure the server would buffer most of the body.
          if (bytes % MiB < c.length) {
            res.pause();
            setTimeout(() => res.resume(), 20);
          }
        });
        res.on('end', () => {
          clearInterval(sample);
          signed += tail.split('Signature=').length - 1;
          resolve({ bytes, samples, held, signed, complete: res.complete });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    // Two figures over the baseline: live growth (after a collection, the highest reading), which
    // buffering or a leak raises, and RSS growth (the highest sample).
    const rss = result.samples.map(([, r]) => r);
    const peak = Math.max(...rss) - rssBefore;
    const held = Math.max(...result.held) - liveBefore;
    console.info(
      `${HTML_BYTES / MiB} MiB HTML: ${(result.bytes / MiB).toFixed(1)} MiB received, ${result.signed} signed links, live +${(held / MiB).toFixed(1)} MiB (bound ${(LIVE_BOUND / MiB).toFixed(0)}, ${result.held.length} readings), RSS peak +${(peak / MiB).toFixed(1)} MiB (bound ${RSS_BOUND / MiB}, ${rss.length} samples)`,
    );
    expect(result.complete).toBe(true);
    expect(result.bytes).toBeGreaterThan(HTML_BYTES);
    expect(result.signed).toBeGreaterThan(HTML_BYTES / 4000);
    expect(rss.length).toBeGreaterThan(20);
    expect(result.held.length).toBeGreaterThan(10);
    expect(held).toBeLessThanOrEqual(LIVE_BOUND);
    expect(peak).toBeLessThanOrEqual(RSS_BOUND);
  });

  test(`${HTML_BYTES / MiB} MiB of non-HTML passes through with an identical SHA-256`, async () => {
    const port = await listen(app);
    const expected = createHash('sha256');
    for await (const c of generated(HTML_BYTES, binaryBlock)) expected.update(c as Buffer);
    const got = await new Promise<{ hash: string; bytes: number; complete: boolean }>((resolve, reject) => {
      const h = createHash('sha256');
      let bytes = 0;
      get({ host: '127.0.0.1', port, path: '/big.bin', agent: false }, (res) => {
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          h.update(c);
        });
        res.on('end', () => resolve({ hash: h.digest('hex'), bytes, complete: res.complete }));
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(got.complete).toBe(true);
    expect(got.bytes).toBe(HTML_BYTES);
    expect(got.hash).toBe(expected.digest('hex'));
  });
});

describe('key rotation under sustained load (autocannon), verified by the emulator', () => {
  let emulator: RunningEmulator;
  let root: string;
  afterAll(async () => {
    await emulator?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('useKey mid-load: 0 verification failures, both keys used, cache within its bound', async () => {
    root = mkdtempSync(join(tmpdir(), 'cfsign-hardening-'));
    mkdirSync(join(root, 'private'));
    for (let i = 0; i < 50; i++) writeFileSync(join(root, 'private', `${i}.jpg`), `image ${i}`);
    emulator = await createEmulator({
      defaultBehavior: {
        trustedKeyGroups: [{ [ec.id]: ec.publicPem, [ec2.id]: ec2.publicPem }],
        origin: 'files',
      },
      origins: { files: { type: 'directory', root } },
    }).listen();
    const MAX_ENTRIES = 256;
    const signer = createSigner({
      keyring: { active: ec.id, keys: { [ec.id]: ec.privatePem, [ec2.id]: ec2.privatePem } },
      cache: { maxEntries: MAX_ENTRIES },
    });
    const app = express();
    app.use(
      cloudfrontSigner({
        rules: {
          cdn: emulator.url,
          origins: ['http://www.example.com'],
          rules: [{ match: '/private/**', expiresIn: '1h' }],
        },
        signer,
      }) as express.RequestHandler,
    );
    // A fixed number of requests, the key rotated half-way by count (not by time, so that a busy
    // machine still sees both keys).
    const amount = LONG ? 40_000 : 800;
    let n = 0;
    app.get('/page', (_req, res) => {
      // Many distinct URLs across requests, so that the cache has to evict.
      const k = n++;
      if (k === amount / 2) signer.useKey(ec2.id);
      const links = Array.from(
        { length: 6 },
        (_, j) => `<img src="/private/${(k * 7 + j) % 50}.jpg?v=${k % 400}">`,
      );
      res.type('html').send(`<!DOCTYPE html><html><body>${links.join('')}</body></html>`);
    });
    const port = await listen(app);

    const bodies: string[] = [];
    let maxCache = 0;
    const run = autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: 8,
      amount,
      requests: [
        {
          method: 'GET',
          path: '/page',
          onResponse: (status: number, body: string) => {
            if (status === 200 && bodies.length < 20_000) bodies.push(body);
            maxCache = Math.max(maxCache, signer.cacheStats()!.size);
          },
        },
      ],
    } as autocannon.Options);
    const result = await run;

    const links = bodies.flatMap((b) =>
      [...b.replace(/&amp;/g, '&').matchAll(/http:\/\/127\.0\.0\.1:\d+\/private\/[^"]+/g)].map((m) => m[0]),
    );
    let failures = 0;
    const byKey = new Map<string, number>();
    for (const link of links) {
      const v = await verifySignedUrl(link, { keys });
      if (!v.ok) failures++;
      byKey.set(v.keyPairId ?? '?', (byKey.get(v.keyPairId ?? '?') ?? 0) + 1);
    }
    // And through the emulator itself, for a sample on each side of the rotation.
    const sample = [...links.slice(0, 100), ...links.slice(-100)];
    let edgeFailures = 0;
    for (const link of sample) {
      const status = await new Promise<number>((resolve) =>
        get(link, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        }).on('error', () => resolve(0)),
      );
      if (status !== 200) edgeFailures++;
    }
    console.info(
      `rotation under load: ${result.requests.total} requests (${result.non2xx} non-2xx, ${result.errors} errors), ${links.length} links verified (${failures} failures; by key ${JSON.stringify(Object.fromEntries(byKey))}), ${sample.length} fetched through the emulator (${edgeFailures} failures), cache peak ${maxCache}/${MAX_ENTRIES}`,
    );
    expect(result.non2xx).toBe(0);
    expect(result.errors).toBe(0);
    expect(links.length).toBeGreaterThan(500);
    expect(failures).toBe(0);
    expect(edgeFailures).toBe(0);
    expect(byKey.get(ec.id)).toBeGreaterThan(0);
    expect(byKey.get(ec2.id)).toBeGreaterThan(0);
    expect(maxCache).toBeLessThanOrEqual(MAX_ENTRIES);
    expect(signer.cacheStats()!.size).toBeLessThanOrEqual(MAX_ENTRIES);
  });
});
