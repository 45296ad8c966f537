/**
 * The end-to-end suite of examples/next-app, shared by the Next.js 16 run (`../next-app.test.ts`) and
 * the Next.js 15 run (`examples/next15-app/test`): one set of checks, two Next versions.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verifySignedUrl } from '@cfsign/core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../test/support/chromium.js';
import {
  disposeWorld,
  KEY_PAIR_ID,
  makeWorld,
  type NextTarget,
  nextEnv,
  PHOTOS,
  type RunningNext,
  repoRoot,
  run,
  startNext,
  type World,
} from './harness.js';

/** What differs between the runs of the suite: the title, where the app is built, which Next. */
export interface NextAppSuiteOptions extends NextTarget {
  /** The `describe` title, e.g. `examples/next-app (Next.js 16)`. */
  title: string;
  /** Name of the timings line and of the screenshot in `.artifacts/` (`<name>-gallery.png`). */
  name: string;
  /** Runs before `next build` (e.g. writes the app's sources into `appDir`). */
  prepare?: () => void | Promise<void>;
  /** Runs after the server stopped. */
  cleanup?: () => void | Promise<void>;
}

/**
 * Registers the end-to-end suite of the example app: emulator, `next build`, `next start`, then every
 * page and route handler, the key scan of the build output and the Chromium gallery check.
 */
export function nextAppSuite(opts: NextAppSuiteOptions): void {
  const { appDir, nextBin } = opts;
  let world: World;
  let app: RunningNext;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    let t = Date.now();
    await opts.prepare?.();
    world = await makeWorld();
    const env = nextEnv(world.keys, world.cdn.url);
    timings.prepare = Date.now() - t;
    t = Date.now();
    const build = await run(process.execPath, [nextBin, 'build'], { cwd: appDir, env });
    timings.build = Date.now() - t;
    if (build.code !== 0) throw new Error(`next build failed:\n${build.output}`);
    t = Date.now();
    // The very first request goes to a route handler, before any page has rendered.
    app = await startNext(env, { appDir, nextBin }, '/media/forbidden/secret.png');
    timings.start = Date.now() - t;
  }, 240_000);

  afterAll(async () => {
    if (process.env.CFSIGN_NEXT_LOGS) console.log(app?.logs());
    await app?.stop();
    await disposeWorld(world);
    await opts.cleanup?.();
    console.log(`${opts.name} timings (ms): ${JSON.stringify(timings)}`);
  });

  const decode = (s: string) =>
    s
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'");

  /** Every URL in src/srcset/poster/href attributes of the HTML that points at the CDN. */
  function cdnUrls(html: string): string[] {
    const out: string[] = [];
    for (const m of html.matchAll(/\s(src|srcset|poster|href)="([^"]*)"/gi)) {
      const value = decode(m[2]!);
      const candidates =
        m[1]!.toLowerCase() === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0]!) : [value];
      for (const u of candidates) if (u.startsWith(world.cdn.url)) out.push(u);
    }
    return out;
  }

  async function expectSignedAndLoads(url: string): Promise<void> {
    expect(url, 'a signed URL').toMatch(/[?&]Signature=/);
    const verdict = await verifySignedUrl(url, { keys: { [KEY_PAIR_ID]: world.keys.publicPem } });
    expect(verdict.ok, `${url} verifies: ${JSON.stringify(verdict)}`).toBe(true);
    const res = await fetch(url);
    expect(res.status, `${url} loads through the emulator`).toBe(200);
    await res.arrayBuffer();
  }

  describe(opts.title, () => {
    it("a route handler hit first, before any page rendered, has the config module's authorize and rules", async () => {
      // The configuration's authorize refuses /media/forbidden/ (a default would have signed it).
      expect(app.first).toEqual({ path: '/media/forbidden/secret.png', status: 403, location: null });
      const now = Math.floor(Date.now() / 1000);
      const res = await fetch(`${app.url}/media/gallery/fern.png`, { redirect: 'manual' });
      expect(res.status).toBe(307);
      const expires = Number(new URL(res.headers.get('location')!).searchParams.get('Expires'));
      // The configured rule's 10 minutes (rounded up to a 60 s bucket).
      expect(expires).toBeGreaterThanOrEqual(now + 600);
      expect(expires).toBeLessThanOrEqual(now + 600 + 61);
    });

    it('gallery: every src and srcSet URL is signed, verifies and loads; the page is dynamic', async () => {
      const res = await fetch(`${app.url}/gallery`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
      const html = await res.text();
      const imgs = [...html.matchAll(/<img\s[^>]*>/g)].map((m) => m[0]);
      expect(imgs).toHaveLength(PHOTOS.length);
      // `preload` on the first photo: eager (Next 16 `preload`, Next 15 `priority`), never an attribute.
      expect(imgs[0]).not.toMatch(/\spreload=|loading="lazy"/i);
      for (const img of imgs.slice(1)) expect(img).toMatch(/loading="lazy"/);
      for (const img of imgs) {
        expect(img).toMatch(/srcSet="[^"]*320w[^"]*640w[^"]*960w/i);
        expect(img).toMatch(/sizes="\(max-width: 700px\) 100vw, 33vw"/);
      }
      const urls = cdnUrls(html);
      // src + 4 srcset widths (160, 320, 640, 960) per photo
      expect(new Set(urls).size).toBe(PHOTOS.length * 4);
      for (const u of new Set(urls)) await expectSignedAndLoads(u);
      // nothing of the CDN left unsigned, and no relative /media/ links leaked
      expect(html).not.toMatch(/(?:src|srcset)="\/media\//i);
    });

    it('video: poster and playlist share one wildcard policy, which also covers the segments', async () => {
      const html = await (await fetch(`${app.url}/video`)).text();
      const urls = [...new Set(cdnUrls(html))];
      expect(urls.some((u) => u.includes('/video/1/poster.png?'))).toBe(true);
      expect(urls.some((u) => u.includes('/video/1/index.m3u8?'))).toBe(true);
      for (const u of urls) {
        expect(u).toMatch(/[?&]Policy=/);
        await expectSignedAndLoads(u);
      }
      const query = new URL(urls[0]!).search;
      await expectSignedAndLoads(`${world.cdn.url}/video/1/seg2.ts${query}`);
    });

    it('withSignedLinks: the playlist route signs every segment link', async () => {
      const res = await fetch(`${app.url}/playlists/1`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      const lines = (await res.text()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      expect(lines).toHaveLength(3);
      for (const l of lines) await expectSignedAndLoads(l);
    });

    it('withSignedLinks: JSON URL-valued strings are signed, other strings kept', async () => {
      const body = (await (await fetch(`${app.url}/api/gallery`)).json()) as {
        photos: { name: string; src: string }[];
      };
      expect(body.photos.map((p) => p.name)).toEqual(PHOTOS);
      for (const p of body.photos) await expectSignedAndLoads(p.src);
    });

    it('edge route: signs with WebCrypto in the edge runtime', async () => {
      const res = await fetch(`${app.url}/edge/sign?photo=lagoon`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { url: string; runtime: string };
      expect(body.runtime).toBe('edge');
      expect(body.url.startsWith(`${world.cdn.url}/media/gallery/lagoon.png?`)).toBe(true);
      await expectSignedAndLoads(body.url);
      expect((await fetch(`${app.url}/edge/sign?photo=../../etc`)).status).toBe(404);
    });

    it('redirect route: 307 to a freshly signed URL with private, no-store; 403 when not authorized', async () => {
      const res = await fetch(`${app.url}/media/gallery/fern.png`, { redirect: 'manual' });
      expect(res.status).toBe(307);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      await expectSignedAndLoads(res.headers.get('location')!);
      const followed = await fetch(`${app.url}/media/gallery/fern.png`);
      expect(followed.status).toBe(200);
      expect(followed.headers.get('content-type')).toMatch(/image\/png/);
      const denied = await fetch(`${app.url}/media/forbidden/secret.png`, { redirect: 'manual' });
      expect(denied.status).toBe(403);
      expect(denied.headers.get('location')).toBeNull();
    });

    it('signed cookies from a route handler open the members prefix', async () => {
      expect((await fetch(`${world.cdn.url}/members/welcome.txt`)).status).toBe(403);
      const res = await fetch(`${app.url}/api/unlock`, { method: 'POST' });
      expect(res.status).toBe(200);
      const set = res.headers.getSetCookie();
      expect(set.some((c) => c.startsWith('CloudFront-Signature='))).toBe(true);
      expect(set.every((c) => /HttpOnly/i.test(c) && /Path=\/members\//.test(c))).toBe(true);
      const cookie = set
        .map((c) => c.split(';')[0]!)
        .filter((c) => !c.endsWith('='))
        .join('; ');
      const ok = await fetch(`${world.cdn.url}/members/welcome.txt`, { headers: { cookie } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('members only\n');
    });

    it('the emulator refuses the same media unsigned', async () => {
      expect((await fetch(`${world.cdn.url}/media/gallery/aurora.png`)).status).toBe(403);
    });

    it('build output (.next/static, source maps, server bundles) holds no key material', () => {
      const body = world.keys.privatePem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      const windows = new Set<string>();
      for (let i = 0; i + 16 <= body.length; i++) windows.add(body.slice(i, i + 16));
      const files: string[] = [];
      const walk = (d: string) => {
        for (const name of readdirSync(d)) {
          const p = join(d, name);
          if (statSync(p).isDirectory()) {
            if (p !== join(appDir, '.next/cache')) walk(p);
          } else files.push(p);
        }
      };
      walk(join(appDir, '.next'));
      const staticDir = join(appDir, '.next/static');
      expect(files.some((f) => f.startsWith(staticDir) && f.endsWith('.js.map'))).toBe(true);
      const hits: string[] = [];
      for (const f of files) {
        const text = readFileSync(f, 'latin1');
        // PEM markers: none in what browsers get (server bundles hold the key parser's own markers).
        if (f.startsWith(staticDir) && /PRIVATE KEY-----/.test(text)) hits.push(`${f}: PEM marker`);
        if (text.includes(world.keys.envValue)) hits.push(`${f}: env value`);
        for (let i = 0; i + 16 <= text.length; i++)
          if (windows.has(text.slice(i, i + 16))) {
            hits.push(`${f}: key substring at ${i}`);
            break;
          }
      }
      expect(files.length).toBeGreaterThan(20);
      expect(hits).toEqual([]);
    });

    it('headless Chromium: every gallery image decodes, the page hydrates, no console errors', async () => {
      const userDataDir = join(world.dir, 'chromium-profile');
      mkdirSync(userDataDir, { recursive: true });
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [...CHROMIUM_ARGS],
        viewport: { width: 1280, height: 900 },
      });
      try {
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        const failed: string[] = [];
        page.on('response', (r) => {
          if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
        });
        await page.goto(`${app.url}/gallery`, { waitUntil: 'load' });
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await page.waitForFunction(
          () => {
            const imgs = [...document.images];
            return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
          },
          null,
          { timeout: 20_000 },
        );
        const decoded = await page.evaluate(async () =>
          Promise.all(
            [...document.images].map(async (img) => {
              await img.decode();
              return { src: img.currentSrc, w: img.naturalWidth };
            }),
          ),
        );
        expect(decoded).toHaveLength(PHOTOS.length);
        for (const d of decoded) {
          expect(d.w).toBeGreaterThan(0);
          expect(d.src.startsWith(world.cdn.url)).toBe(true);
          expect(d.src).toMatch(/Signature=/);
        }
        // Hydrated: the client component reacts to a click.
        const like = page.locator('[data-like="aurora"]');
        await like.click();
        await expect.poll(() => like.textContent()).toContain('1');
        const artifacts = join(repoRoot, '.artifacts');
        mkdirSync(artifacts, { recursive: true });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(artifacts, `${opts.name}-gallery.png`), fullPage: true });
        expect(failed).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
}
