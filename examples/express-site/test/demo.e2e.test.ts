import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verifySignedUrl } from '@cfsign/core';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../test/support/chromium.js';
// @ts-expect-error plain ESM module of the example
import { startDemo } from '../src/demo.mjs';

const artifacts = fileURLToPath(new URL('../../../.artifacts/', import.meta.url));

type Demo = {
  url: string;
  appUrl: string;
  cdnUrl: string;
  keyPairId: string;
  publicKey: string;
  close(): Promise<void>;
};
let demo: Demo;
let browser: Browser;
const log: string[] = [];

beforeAll(async () => {
  demo = await startDemo({ log: (l: string) => log.push(l) });
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  mkdirSync(artifacts, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('the demo in a real browser, through the local CloudFront distribution', () => {
  test('every private image on the gallery decodes; the links are signed and verify', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(demo.url, { waitUntil: 'load' });
    const images = await page.$$eval('img', (imgs) =>
      imgs.map((i) => ({
        src: i.currentSrc || i.src,
        width: (i as HTMLImageElement).naturalWidth,
        complete: (i as HTMLImageElement).complete,
      })),
    );
    const privateImages = images.filter((i) => i.src.includes('/private/'));
    expect(privateImages.length).toBe(6);
    for (const img of images) expect(img, img.src).toMatchObject({ complete: true });
    for (const img of images) expect(img.width, img.src).toBeGreaterThan(0);
    for (const img of privateImages) {
      expect(img.src).toMatch(/[?&]Signature=/);
      expect((await verifySignedUrl(img.src, { keys: { [demo.keyPairId]: demo.publicKey } })).ok).toBe(true);
    }
    // the hero background comes from the rewritten stylesheet
    const hero = await page.$eval('.hero', (el) => getComputedStyle(el).backgroundImage);
    expect(hero).toMatch(/\/private\/gallery\/dusk-800\.png\?Expires=/);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${artifacts}demo-gallery.png`, fullPage: true });
    await page.close();
  });

  test('the PDF link answers 200, a tampered one 403', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.cdnUrl}/downloads`);
    const href = await page.$eval('#report', (a) => (a as HTMLAnchorElement).href);
    const pdf = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get('content-type'), head: (await r.text()).slice(0, 8) };
    }, href);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-1.4' });
    await page.click('#tamper');
    await page.waitForFunction(() => document.getElementById('tamper-result')!.textContent !== '');
    expect(await page.textContent('#tamper-result')).toMatch(/^403 .*AccessDenied/);
    await page.close();
  });

  test('the HLS playlist and its segments answer 200 under one wildcard policy', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.cdnUrl}/video`);
    await page.waitForSelector('#segments[data-done]');
    expect(await page.getAttribute('#segments', 'data-done')).toBe('200');
    const statuses = await page.$$eval('#segments tr[data-status]', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.status),
    );
    expect(statuses).toEqual(['200', '200', '200', '200']);
    const playlist = await page.$eval('#playlist', (a) => (a as HTMLAnchorElement).href);
    expect(playlist).toMatch(/\?Policy=[\w~-]+&Signature=/);
    await page.close();
  });

  test('comments box: a pasted private link stays unsigned (403), the page own links are signed', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${demo.cdnUrl}/comments`, { waitUntil: 'load' });
    // the attacker pastes private paths, and tries to re-open signing from inside the comment
    await page.fill(
      '#comment',
      'look: /private/gallery/lagoon-400.png <!-- cfsign:on --> /private/downloads/annual-report.pdf',
    );
    await Promise.all([page.waitForURL(/\/comments$/), page.click('#comment-form button')]);
    await page.waitForLoadState('load');
    const state = await page.evaluate(() => {
      const img = (sel: string) => {
        const i = document.querySelector(sel) as HTMLImageElement;
        return { src: i.currentSrc || i.src, width: i.naturalWidth };
      };
      return {
        own: img('#own-image'),
        ownLink: (document.querySelector('#own-link') as HTMLAnchorElement).href,
        pasted: img('.comment img.pasted'),
        pastedLink: (document.querySelector('.comment a.pasted') as HTMLAnchorElement).href,
        text: document.querySelector('.comment')!.textContent,
      };
    });
    const verify = async (u: string) =>
      (await verifySignedUrl(u, { keys: { [demo.keyPairId]: demo.publicKey } })).ok;
    expect(state.own.width).toBeGreaterThan(0);
    expect(await verify(state.own.src)).toBe(true);
    expect(await verify(state.ownLink)).toBe(true);
    expect(state.pasted.src).toBe(`${demo.cdnUrl}/private/gallery/lagoon-400.png`);
    expect(state.pasted.width).toBe(0);
    expect(state.pastedLink).toBe(`${demo.cdnUrl}/private/downloads/annual-report.pdf`);
    expect(state.text).toContain('<!-- cfsign:on -->');
    const statuses = await page.evaluate(
      async (urls) => Promise.all(urls.map(async (u) => (await fetch(u)).status)),
      [state.pasted.src, state.pastedLink, state.ownLink],
    );
    expect(statuses).toEqual([403, 403, 200]);
    await page.screenshot({ path: `${artifacts}demo-comments.png`, fullPage: true });
    await page.close();
  });

  test('unsigned private requests get CloudFront 403 XML; the origin refuses direct access', async () => {
    const unsigned = await fetch(`${demo.cdnUrl}/private/gallery/aurora-400.png`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingKey</Code>');
    const direct = await fetch(`${demo.appUrl}/`);
    expect(direct.status).toBe(403);
    expect(await direct.text()).not.toMatch(/secret|origin/i);
    expect(
      log.some((l) => l.startsWith('403 denied (missing-key-pair-id) GET /private/gallery/aurora-400.png')),
    ).toBe(true);
  });

  test('pages carrying signed links are not cached publicly', async () => {
    const res = await fetch(demo.url);
    expect(res.headers.get('cache-control') ?? '').toMatch(/private|no-store/);
  });
});
