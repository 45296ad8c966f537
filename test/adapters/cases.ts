/**
 * The shared case list: every adapter (Express 4/5, Koa 2/3, Fastify 4/5, Hono on Node and on
 * workerd) runs the same cases over real HTTP. A case a runtime cannot run is skipped with its
 * reason printed (`adapter.unsupported`).
 */
import { writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { untrustedHtml } from '@cfsign/response';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveBytes } from '../support/memory.js';
import {
  checkLink,
  countingSigner,
  type Fixture,
  failingSigner,
  get,
  PRIVATE_PEM,
  signedLinks,
  signer,
  startFixture,
} from './harness.js';
import { type Adapter, type AppSpec, type CaseKey, DRAIN_CHUNKS, type StartedApp } from './routes.js';
import { commentsPage, OWN_LINKS } from './untrusted.js';

const keyMaterial = PRIVATE_PEM.split('\n').filter((l) => l.length > 40);
const noKeyMaterial = (texts: readonly unknown[]) => {
  const all = texts.map((t) => (t instanceof Error ? `${t.message}\n${t.stack}` : String(t))).join('\n');
  for (const line of keyMaterial) expect(all).not.toContain(line);
  expect(all).not.toContain('PRIVATE KEY');
};

export function runAdapterCases(adapter: Adapter): void {
  /** `it`, or a skip with the printed reason when the runtime cannot run the case. */
  const runs = (key: CaseKey) => {
    const reason = adapter.unsupported?.[key];
    if (reason === undefined) return it;
    console.info(`[${adapter.name}] skipping the ${key} case: ${reason}`);
    return it.skip;
  };
  describe(`cloudfrontSigner on ${adapter.name}`, () => {
    const condPath = adapter.conditional === 'path' ? '/cond.html' : '/cond';
    let fx: Fixture;
    let app: StartedApp;
    const apps: StartedApp[] = [];
    const start = async (spec: Partial<AppSpec> = {}) => {
      const a = await adapter.start({ rules: fx.rules, signer, dir: fx.dir, ...spec });
      apps.push(a);
      return a;
    };
    beforeAll(async () => {
      fx = await startFixture();
      app = await start({ options: { referrerPolicy: 'strict-origin-when-cross-origin' } });
    });
    afterAll(async () => {
      for (const a of apps) noKeyMaterial([...a.errors, ...a.logs]);
      await Promise.all(apps.map((a) => a.close()));
      await fx?.close();
    });

    for (const source of adapter.sources) {
      it(`rewrites a page from ${source}: links verify and fetch 200 through the emulator`, async () => {
        const r = await get(app.base, source === 'static' ? '/files/page.html' : `/page/${source}`);
        expect(r.status).toBe(200);
        expect(r.aborted).toBe(false);
        const text = r.body.toString();
        const links = signedLinks(text, fx.cdn);
        expect(links).toHaveLength(3);
        for (const l of links)
          expect(await checkLink(l)).toEqual({ ok: true, reason: undefined, fetched: 200 });
        expect(text).toContain('href="/public/x.html"');
        expect(text).toContain('src="https://other.example.org/private/a.jpg"');
        // Never stale: absent (streamed) or the length of the rewritten bytes (whole bodies).
        if (r.headers['content-length'] !== undefined)
          expect(Number(r.headers['content-length'])).toBe(r.body.length);
        expect(r.headers.etag).toBeUndefined();
        expect(r.headers['last-modified']).toBeUndefined();
        expect(r.headers['cache-control']).toBe('private, no-store');
        expect(r.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      });
    }

    runs('head')(
      'answers HEAD with the headers of GET: same policy, cookies, and no Content-Length unless exact',
      async () => {
        const paths = [
          ...adapter.sources.map((s) => (s === 'static' ? '/files/page.html' : `/page/${s}`)),
          '/style.css',
          '/cookie',
          condPath,
        ];
        const cookieNames = (r: { headers: Record<string, unknown> }) =>
          ([] as string[])
            .concat((r.headers['set-cookie'] as string[] | undefined) ?? [])
            .map((c) => c.split('=', 1)[0])
            .sort();
        for (const path of paths) {
          const g = await get(app.base, path);
          const h = await get(app.base, path, { method: 'HEAD' });
          expect(h.status, path).toBe(g.status);
          expect(h.body.length, path).toBe(0);
          if (h.headers['content-length'] !== undefined)
            expect(Number(h.headers['content-length']), `${path}: HEAD Content-Length`).toBe(g.body.length);
          for (const name of [
            'content-type',
            'cache-control',
            'etag',
            'last-modified',
            'accept-ranges',
            'vary',
            'referrer-policy',
          ])
            expect(h.headers[name], `${path}: ${name}`).toEqual(g.headers[name]);
          expect(cookieNames(h), path).toEqual(cookieNames(g));
        }
      },
    );

    it('answers a Range request on a rewritable page with the whole rewritten page, never a slice', async () => {
      const paths = adapter.sources
        .filter((s) => s === 'static' || s === 'send-file')
        .map((s) => (s === 'static' ? '/files/page.html' : '/page/send-file'));
      for (const path of [...paths, '/page/string']) {
        const r = await get(app.base, path, { headers: { range: 'bytes=0-99', 'if-range': '"x"' } });
        expect(r.status, path).toBe(200);
        expect(r.headers['content-range'], path).toBeUndefined();
        expect(r.headers['accept-ranges'], path).toBeUndefined();
        expect(signedLinks(r.body.toString(), fx.cdn), path).toHaveLength(3);
      }
      if (adapter.sources.includes('send-file')) {
        // Other types keep their ranges (the app's static server answers them).
        writeFileSync(join(fx.dir, 'range.txt'), '0123456789abcdef');
        const t = await get(app.base, '/files/range.txt', { headers: { range: 'bytes=2-5' } });
        expect(t.status).toBe(206);
        expect(t.body.toString()).toBe('2345');
      }
    });

    runs('drain-loop')(
      'keeps EventEmitter parity: events.once(res, "drain") loops leave no listener and no warning',
      async () => {
        const warnings: Error[] = [];
        const onWarning = (w: Error) => warnings.push(w);
        process.on('warning', onWarning);
        const counts = new Map<string, Record<string, number>>();
        let arrived!: () => void;
        const both = new Promise<void>((resolve) => {
          arrived = resolve;
        });
        try {
          const a = await start({
            probe: (path, c) => {
              counts.set(path.includes('optout') ? 'plain' : 'signed', c);
              if (counts.size === 2) arrived();
            },
          });
          // A slow reader, so that the app really waits for 'drain'.
          const slow = { ms: 1, maxMs: 1500 };
          const signed = await get(a.base, '/drain-loop', { slow });
          const plain = await get(a.base, '/drain-loop?optout=1', { slow });
          await both;
          expect(signed.aborted).toBe(false);
          expect(plain.aborted).toBe(false);
          expect(signedLinks(signed.body.toString(), fx.cdn)).toHaveLength(DRAIN_CHUNKS);
          expect(counts.get('signed')).toEqual(counts.get('plain'));
          expect(counts.get('signed')!.drain).toBe(0);
          await new Promise((resolve) => setImmediate(resolve));
          expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
        } finally {
          process.off('warning', onWarning);
        }
      },
    );

    it('rewrites CSS and HLS', async () => {
      for (const path of ['/style.css', '/list.m3u8']) {
        const r = await get(app.base, path);
        const links = signedLinks(r.body.toString(), fx.cdn);
        expect(links.length, path).toBe(1);
        expect((await checkLink(links[0]!)).fetched).toBe(200);
      }
      expect((await get(app.base, '/style.css')).body.toString()).toContain('url("/public/p.png")');
    });

    it('never answers 304 for a rewritten page, but keeps 304 for other responses', async () => {
      const cond = {
        'if-none-match': '"v1"',
        'if-modified-since': new Date(Date.now() + 60_000).toUTCString(),
      };
      const page = await get(app.base, condPath, { headers: cond });
      expect(page.status).toBe(200);
      expect(signedLinks(page.body.toString(), fx.cdn)).toHaveLength(3);
      if (adapter.conditional !== 'path') {
        // By type: the validators stay for a response the app opted out.
        const optedOut = await get(app.base, `${condPath}?optout=1`, { headers: cond });
        expect(optedOut.status).toBe(304);
      }
      const img = await get(app.base, '/image.png', { headers: cond });
      expect(img.status).toBe(304);
      expect(app.skips).toContain('no-body-status');
    });

    it('skips 204, 206, other types, no-transform, opt-out and encoded bodies, with their reasons', async () => {
      const before = app.skips.length;
      expect((await get(app.base, '/empty')).status).toBe(204);
      const partial = await get(app.base, '/partial');
      expect(partial.status).toBe(206);
      expect(partial.body.toString()).toBe('<!doctype ');
      expect((await get(app.base, '/image.png')).body.toString()).toBe('PNG');
      const nt = await get(app.base, '/no-transform');
      expect(nt.body.toString()).toContain('src="/private/a.jpg"');
      const oo = await get(app.base, '/opt-out');
      expect(oo.body.toString()).toContain('src="/private/a.jpg"');
      const enc = await get(app.base, '/encoded');
      expect(gunzipSync(enc.body).toString()).toContain('src="/private/a.jpg"');
      expect(app.skips.slice(before)).toEqual(
        expect.arrayContaining([
          'no-body-status',
          'partial-content',
          'not-rewritable-type',
          'no-transform',
          'opted-out',
          'already-encoded',
        ]),
      );
    });

    it('signs URL-valued strings of JSON bodies when signJson is on, and exposes signUrl', async () => {
      const a = await start({ options: { signJson: true } });
      const r = await get(a.base, '/json');
      const body = JSON.parse(r.body.toString()) as {
        poster: string;
        items: Array<{ src: string }>;
        title: string;
        other: string;
      };
      expect((await checkLink(body.poster)).ok).toBe(true);
      expect((await checkLink(body.items[0]!.src)).fetched).toBe(200);
      expect(body.title).toBe('/private is a word');
      expect(body.other).toBe('https://other.example.org/private/a.jpg');
      const keysOnly = await start({ options: { signJson: { keys: ['poster'] } } });
      const k = JSON.parse((await get(keysOnly.base, '/json')).body.toString()) as typeof body;
      expect(k.poster).toMatch(/Signature=/);
      expect(k.items[0]!.src).toBe('/private/video/7/seg1.ts');
      // a field holding user text is never signed, nor anything under it
      const untrusted = await start({ options: { signJson: { untrustedKeys: ['items'] } } });
      const u = JSON.parse((await get(untrusted.base, '/json')).body.toString()) as typeof body;
      expect(u.poster).toMatch(/Signature=/);
      expect(u.items[0]!.src).toBe('/private/video/7/seg1.ts');
      const plain = JSON.parse((await get(app.base, '/json')).body.toString()) as typeof body;
      expect(plain.poster).toBe('/private/a.jpg');
      const su = await get(app.base, '/sign-url');
      expect((await checkLink(su.body.toString())).fetched).toBe(200);
    });

    it('cookie mode sets the CloudFront cookies on the page (clearing the unused names) and they open the CDN', async () => {
      const r = await get(app.base, '/cookie');
      const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
      expect(set.some((c) => c.startsWith('CloudFront-Policy='))).toBe(true);
      expect(set.some((c) => /^CloudFront-Expires=;.*Expires=Thu, 01 Jan 1970/.test(c))).toBe(true);
      expect(r.headers.vary).toBeDefined();
      const cookie = set
        .map((c) => c.split(';', 1)[0]!)
        .filter((c) => !c.endsWith('='))
        .join('; ');
      expect(r.body.toString()).toContain('src="/private/hls/x.ts"');
      expect((await fetch(`${fx.cdn}/private/hls/x.ts`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${fx.cdn}/private/hls/x.ts`)).status).toBe(403);
    });

    it('refuses at start-up host-only cookies the CDN never gets: site hosts in origins, none the CDN host', async () => {
      const rules = { ...fx.rules, origins: ['http://www.example.com'] };
      await expect(adapter.start({ rules, signer, dir: fx.dir })).rejects.toMatchObject({
        code: 'ERR_INVALID_COOKIE_OPTIONS',
        message: expect.stringMatching(
          /^rules\[2\] \("\/private\/hls\/\*\*"\) is in cookie mode without cookie\.domain.*site host www\.example\.com \(in origins\).*CDN host 127\.0\.0\.1/,
        ),
      });
    });

    it('without origins, fails a page on another host than the CDN through the error path, no cookie, no body', async () => {
      const { origins: _listed, ...rules } = fx.rules;
      const a = await start({ rules });
      const elsewhere = await get(a.base, '/cookie', { headers: { host: 'www.example.com' } });
      expect(elsewhere.status).toBe(500);
      expect(String(elsewhere.headers['set-cookie'] ?? '')).not.toContain('CloudFront-');
      expect(elsewhere.body.toString()).not.toContain('<video');
      const err = a.errors.find((e) => (e as { code?: string }).code === 'ERR_INVALID_COOKIE_OPTIONS');
      expect(String((err as Error | undefined)?.message)).toMatch(
        /site host www\.example\.com \(the host of this request: origins is not listed\).*CDN host 127\.0\.0\.1/,
      );
      // The same app, addressed as the CDN's host: its host-only cookies count, the page is served.
      const here = await get(a.base, '/cookie');
      expect(here.status).toBe(200);
      expect(([] as string[]).concat(here.headers['set-cookie'] ?? []).join()).toContain(
        'CloudFront-Policy=',
      );
    });

    runs('trust-proxy')(
      'signs IP rules for the client address the framework resolves behind a trusted proxy',
      async () => {
        const proxied = await start({ trustProxy: true });
        const r = await get(proxied.base, '/ip', { headers: { 'x-forwarded-for': '203.0.113.7' } });
        const link = signedLinks(r.body.toString(), fx.cdn).find((l) => l.includes('/ip/'))!;
        expect(r.headers.vary).toBe('*');
        expect((await checkLink(link, '203.0.113.7')).ok).toBe(true);
        expect((await checkLink(link, '127.0.0.1')).reason).toBe('ip-mismatch');
        const direct = await get(app.base, '/ip', { headers: { 'x-forwarded-for': '203.0.113.7' } });
        const own = signedLinks(direct.body.toString(), fx.cdn).find((l) => l.includes('/ip/'))!;
        expect(await checkLink(own, '127.0.0.1')).toEqual({ ok: true, reason: undefined, fetched: 200 });
      },
    );

    for (const encoding of adapter.encodings ?? (['gzip', 'br'] as const)) {
      runs('compression')(`works behind compression mounted first (${encoding})`, async () => {
        const a = await start({ compression: 'before' });
        for (const path of [
          '/page/string',
          '/big',
          adapter.sources.includes('chunks') ? '/page/chunks' : '/page/stream',
        ]) {
          const r = await get(a.base, path, { headers: { 'accept-encoding': encoding } });
          expect(r.headers['content-encoding'], path).toBe(encoding);
          const text = (encoding === 'gzip' ? gunzipSync(r.body) : brotliDecompressSync(r.body)).toString();
          const links = signedLinks(text, fx.cdn);
          expect(links.length, path).toBeGreaterThan(0);
          expect(text).not.toContain('src="/private/a.jpg"');
          expect((await checkLink(links[0]!)).ok).toBe(true);
        }
      });

      runs('compression')(`refuses loudly when compression is mounted after it (${encoding})`, async () => {
        const a = await start({ compression: 'after' });
        const r = await get(a.base, '/page/string', { headers: { 'accept-encoding': encoding } });
        const order = adapter.compressionOrder ?? 'enforced';
        if (order !== 'enforced') {
          const text = (encoding === 'gzip' ? gunzipSync(r.body) : brotliDecompressSync(r.body)).toString();
          expect(r.headers['content-encoding']).toBe(encoding);
          if (order === 'handled') {
            // The framework compresses after the signer whatever the registration order.
            expect(signedLinks(text, fx.cdn)).toHaveLength(3);
          } else {
            // Documented order: the compressed page passes unsigned, with its reason, never corrupted.
            expect(text).toContain('src="/private/a.jpg"');
            expect(a.skips).toContain('already-encoded');
          }
          return;
        }
        expect(r.status).toBe(500);
        expect(
          a.errors.some(
            (e) =>
              (e as { code?: string }).code === 'ERR_MIDDLEWARE_ORDER' &&
              /Mount compression first/.test(String((e as Error).message)),
          ),
        ).toBe(true);
      });
    }

    it('keeps a keep-alive connection intact after rewritten responses', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const sockets = new Set<unknown>();
        agent.on('free', (s) => sockets.add(s));
        for (const path of [
          '/page/string',
          '/page/stream',
          condPath,
          '/image.png',
          '/page/buffer',
          '/json',
        ]) {
          const r = await get(app.base, path, { agent });
          expect(r.aborted, path).toBe(false);
          if (path.startsWith('/page') || path === condPath)
            expect(r.body.toString().trimEnd().endsWith('</html>'), path).toBe(true);
        }
        expect(sockets.size).toBe(1);
      } finally {
        agent.destroy();
      }
    });

    runs('memory')('holds memory flat for a slow client reading a multi-MB page (backpressure)', async () => {
      // What the process holds after a full collection (server and client share it; the client keeps
      // only the page's tail): a server buffering the 10 MiB page ahead of the client holds more than
      // the bound, whenever V8 would have collected on its own.
      await get(app.base, '/big', { tail: 0 }); // warm-up: compiled code, reused buffers
      const before = liveBytes();
      let peak = before;
      let chunks = 0;
      const r = await get(app.base, '/big', {
        tail: 100_000,
        slow: {
          ms: 5,
          maxMs: 4000,
          onChunk: () => {
            if (++chunks % 32 === 0) peak = Math.max(peak, liveBytes());
          },
        },
      });
      expect(r.aborted).toBe(false);
      expect(r.received).toBeGreaterThan(8 * 2 ** 20);
      expect(signedLinks(r.body.toString(), fx.cdn).length).toBeGreaterThan(0);
      expect(chunks).toBeGreaterThan(64);
      expect(peak - before, `live +${((peak - before) / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(4 * 2 ** 20);
    });

    it('streams SSR chunks before the end of the page', async () => {
      let release!: () => void;
      let byClient = false;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
        setTimeout(resolve, 30_000).unref();
      });
      const a = await start({ ssrGate: () => gate });
      const r = await get(a.base, '/ssr', {
        onChunk: (t) => {
          if (t.includes('Signature=')) {
            byClient = true;
            release();
          }
        },
      });
      expect(byClient).toBe(true);
      expect(signedLinks(r.body.toString(), fx.cdn)).toHaveLength(2);
    });

    runs('signer-failure')(
      'passes an error before the headers to the framework error handling (500)',
      async () => {
        const a = await start({ signer: failingSigner(1) });
        const r = await get(a.base, '/page/string');
        expect(r.status).toBe(500);
        expect(r.body.toString()).not.toContain('<img');
        expect(a.errors.some((e) => (e as { code?: string }).code === 'ERR_SIGNER_FAILED')).toBe(true);
      },
    );

    runs('page-memo')(
      'an unchanged page is rewritten once, then served from the page memo; memo: false rewrites each time',
      async () => {
        for (const memo of [undefined, false] as const) {
          const { signer: counted, calls } = countingSigner();
          // URL-mode rules only: cookie and client-IP rules make signatures per client (no memo).
          const rules = { ...fx.rules, rules: [{ match: '/private/**', expiresIn: '10m' }] };
          const a = await start({ signer: counted, rules, ...(memo === false && { options: { memo } }) });
          const first = await get(a.base, '/page/string');
          const asked = calls.n;
          expect(asked).toBeGreaterThan(0);
          const second = await get(a.base, '/page/string');
          expect(second.body.equals(first.body)).toBe(true);
          for (const l of signedLinks(second.body.toString(), fx.cdn))
            expect(await checkLink(l)).toEqual({ ok: true, reason: undefined, fetched: 200 });
          expect(calls.n).toBe(memo === false ? 2 * asked : asked);
        }
      },
    );

    runs('stream-abort')(
      'aborts the connection when signing fails mid-stream (never a clean truncated 200)',
      async () => {
        const a = await start({ signer: failingSigner(5) });
        const r = await get(a.base, '/stream-page');
        expect(r.status).toBe(200);
        expect(r.aborted).toBe(true);
        expect(r.body.toString()).toContain('Signature=');
        expect(r.body.toString()).not.toContain('</html>');
      },
    );

    runs('authorize')(
      'calls authorize with the framework request and leaves denied links unsigned',
      async () => {
        const seen: unknown[] = [];
        const a = await start({
          options: {
            authorize: (req: unknown, url: string) => {
              seen.push(req);
              return !url.endsWith('/a.jpg');
            },
          },
        });
        const r = await get(a.base, '/page/string');
        const text = r.body.toString();
        expect(text).toContain('src="/private/a.jpg"');
        expect(signedLinks(text, fx.cdn)).toHaveLength(2);
        expect(seen.length).toBeGreaterThan(0);
        expect(r.headers.vary).toBe('*'); // IP rules in the set: '*' wins over 'Cookie, Authorization'
      },
    );

    it('a comments region: attacks stay unsigned, the page own links are signed, in any chunking', async () => {
      const input = commentsPage(untrustedHtml);
      const cdnLink = new RegExp(
        `${fx.cdn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/private/site/[^"?]+)\\?[^"]*`,
        'g',
      );
      // the output with each signed own link written back as its path: must be the input exactly
      const unsign = (text: string) => text.replace(cdnLink, '$1');
      const agent = new Agent({ keepAlive: true, maxSockets: 4 });
      const whole = await get(app.base, '/comments', { agent });
      const own = signedLinks(whole.body.toString(), fx.cdn);
      expect(own.map((l) => new URL(l).pathname)).toEqual([...OWN_LINKS]);
      for (const l of own) expect(await checkLink(l)).toEqual({ ok: true, reason: undefined, fetched: 200 });
      expect(unsign(whole.body.toString())).toBe(input);
      // what a comment points at stays unsigned: CloudFront refuses it
      expect((await fetch(`${fx.cdn}/private/users/42/a.jpg`)).status).toBe(403);
      const n = Buffer.byteLength(input);
      const queries = [
        ...[1, 2, 3, 5, 7, 16, 64, 1024].map((size) => `size=${size}`),
        ...Array.from({ length: n + 1 }, (_, at) => `at=${at}`),
      ];
      const bad: string[] = [];
      for (let i = 0; i < queries.length; i += 4)
        await Promise.all(
          queries.slice(i, i + 4).map(async (q) => {
            const r = await get(app.base, `/comments?${q}`, { agent });
            const text = r.body.toString();
            if (
              r.status !== 200 ||
              r.aborted ||
              unsign(text) !== input ||
              signedLinks(text, fx.cdn).length !== 2
            )
              bad.push(q);
          }),
        );
      agent.destroy();
      expect(bad).toEqual([]);
      expect(app.errors).toEqual([]);
      expect(app.skips).toContain('untrusted-region');
      expect(app.skips).not.toContain('untrusted-region-unclosed');
    }, 180_000);

    it('refuses at start-up a per-entity rule nobody authorizes; starts with an authorize hook', async () => {
      const perEntity = { cdn: fx.cdn, rules: [{ match: '/private/users/:id/**' }] };
      await expect(adapter.start({ rules: perEntity, signer, dir: fx.dir })).rejects.toMatchObject({
        code: 'ERR_INVALID_RULE',
        message: expect.stringMatching(/confused deputy.*authorize: 'any-viewer'/),
      });
      const a = await start({ rules: perEntity, options: { authorize: () => true } });
      expect((await get(a.base, '/page/string')).status).toBe(200);
    });

    it('refuses bad options with ERR_INVALID_OPTIONS naming the option', async () => {
      await expect(
        adapter.start({ rules: fx.rules, signer: {} as never, dir: fx.dir }),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringMatching(/"signer"/),
      });
      await expect(
        adapter.start({ rules: fx.rules, signer, dir: fx.dir, options: { cacheControl: 'sometimes' } }),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringMatching(/"cacheControl"/),
      });
    });

    it('a page sent with CDN directives keeps none of them: a CDN reads the Cache-Control written for it', async () => {
      for (const cacheControl of ['private', { maxAge: 'shortest' }] as const) {
        const a = await start({ options: { cacheControl } });
        const r = await get(a.base, '/cdn-cached');
        expect(signedLinks(r.body.toString(), fx.cdn)).toHaveLength(3);
        // The app's `private` stays; RFC 9213's field and the vendors' would outlive the signatures.
        const cc = String(r.headers['cache-control']);
        if (cacheControl === 'private') expect(cc).toBe('private, no-store');
        else {
          expect(cc).toMatch(/^private, max-age=\d+$/);
          expect(Number(cc.slice(cc.indexOf('=') + 1))).toBeLessThan(600);
        }
        for (const name of ['cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control'])
          expect(r.headers[name], name).toBeUndefined();
      }
      // Left alone when the app keeps its own caching headers.
      const kept = await start({ options: { cacheControl: false } });
      const r = await get(kept.base, '/cdn-cached');
      expect(r.headers['cache-control']).toBe('private, max-age=600');
      expect(r.headers['cdn-cache-control']).toBe('max-age=86400');
    });

    it('caps Cache-Control below the shortest signature lifetime when asked', async () => {
      const a = await start({ options: { cacheControl: { maxAge: 'shortest' } } });
      const r = await get(a.base, '/page/string');
      expect(r.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      const maxAge = Number(/max-age=(\d+)/.exec(String(r.headers['cache-control']))![1]);
      expect(maxAge).toBeLessThan(600);
    });
  });
}
