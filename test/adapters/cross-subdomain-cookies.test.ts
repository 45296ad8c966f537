/**
 * Signed cookies that reach the CDN, in a real browser: a page on `www.example.test` (Express, then
 * Koa) whose images live on `cdn.example.test` (the emulator). Chromium maps both names to
 * 127.0.0.1 (`--host-resolver-rules`). With the rule's `cookie.domain` the images load with
 * cookies only. Host-only cookies (no `Domain`, set by the app itself) stay with www and the CDN
 * refuses every image: this is why a cookie rule without `cookie.domain` is refused at start-up when
 * `origins` lists such a site, and fails the page (500, no cookie) when `origins` is not listed.
 */

import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner } from '@cfsign/core';
import { createEmulator, type EmulatorLogEntry } from '@cfsign/emulator';
import { cloudfrontSigner as expressSigner } from '@cfsign/express';
import { cloudfrontSigner as koaSigner } from '@cfsign/koa';
import express from 'express';
import Koa from 'koa';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';

const KEY_ID = 'K2CROSSSUBDOMAIN';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = createSigner({
  keyPairId: KEY_ID,
  privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
/** A 1x1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const IMAGES = ['a.png', 'b.png'];

let bucket: string;
let cdn: { url: string; close(): Promise<void> };
let cdnPort: number;
let browser: Browser;
const servers: Server[] = [];
/** What the emulator decided, per request (cleared before each visit). */
const edge: EmulatorLogEntry[] = [];

beforeAll(async () => {
  bucket = mkdtempSync(join(tmpdir(), 'cfsign-xsub-'));
  mkdirSync(join(bucket, 'hls'), { recursive: true });
  for (const name of IMAGES) writeFileSync(join(bucket, 'hls', name), PNG);
  cdn = await createEmulator({
    behaviors: [
      {
        pathPattern: '/hls/*',
        trustedKeyGroups: [{ [KEY_ID]: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
        origin: 'bucket',
      },
    ],
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'bucket' },
    origins: { bucket: { type: 'directory', root: bucket } },
    logger: (entry) => edge.push(entry),
  }).listen(0);
  cdnPort = Number(new URL(cdn.url).port);
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--host-resolver-rules=MAP www.example.test 127.0.0.1, MAP cdn.example.test 127.0.0.1',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await new Promise((r) => s.close(r));
  await cdn?.close();
  rmSync(bucket, { recursive: true, force: true });
});

type Adapter = 'express' | 'koa';

/**
 * How the page gets its cookies: the rule with `cookie.domain`; host-only cookies the app sets
 * itself (signed with the signer, no `Domain`; the rules have no cookie rule); or a cookie rule
 * without `cookie.domain`, with or without `origins`.
 */
type Cookies =
  | { rule: 'domain'; domain: string }
  | { rule: 'none' }
  | { rule: 'host-only'; origins: boolean };

/** The site on 127.0.0.1:port, addressed as www.example.test; `errors` collects what the app's error handling got. */
async function site(adapter: Adapter, cookies: Cookies, errors: unknown[] = []): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  const cdnOrigin = `http://cdn.example.test:${cdnPort}`;
  // Plain http on the test hosts: not Secure (browsers keep Secure cookies for https only).
  const cookieRule = {
    match: '/hls/**',
    mode: 'cookie' as const,
    authorize: 'any-viewer' as const,
    expiresIn: '5m',
    cookie: { secure: false, ...(cookies.rule === 'domain' && { domain: cookies.domain }) },
  };
  const rules = {
    cdn: cdnOrigin,
    ...((cookies.rule !== 'host-only' || cookies.origins) && {
      origins: [`http://www.example.test:${port}`],
    }),
    rules: cookies.rule === 'none' ? [{ match: '/other/**' }] : [cookieRule],
  };
  const byHand = async () =>
    cookies.rule === 'none'
      ? (await signer.signCookies(`${cdnOrigin}/hls/*`, { expiresIn: '5m', secure: false })).setCookie
      : [];
  const html = `<!doctype html><html><body>${IMAGES.map((n) => `<img src="${cdnOrigin}/hls/${n}" alt="${n}">`).join('')}</body></html>`;
  if (adapter === 'express') {
    const app = express();
    app.use(expressSigner({ signer, rules }));
    app.get('/', async (_req, res) => {
      for (const c of await byHand()) res.append('set-cookie', c);
      res.type('html').send(html);
    });
    // Express tells error handlers by their four parameters.
    app.use((err: unknown, _req: unknown, res: express.Response, _next: unknown) => {
      errors.push(err);
      res.status(500).type('text').send('error');
    });
    server.on('request', app);
  } else {
    const app = new Koa();
    app.silent = true;
    app.on('error', (err: unknown) => errors.push(err));
    app.use(koaSigner({ signer, rules }));
    app.use(async (ctx) => {
      for (const c of await byHand()) ctx.append('set-cookie', c);
      ctx.type = 'html';
      ctx.body = html;
    });
    server.on('request', app.callback());
  }
  return `http://www.example.test:${port}/`;
}

/** Opens the page in a fresh profile; the CDN's answers to the images and what the page decoded. */
async function visit(url: string) {
  const context = await browser.newContext();
  edge.length = 0;
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const widths = await page.evaluate(() => [...document.images].map((i) => i.naturalWidth));
    const cookies = await context.cookies();
    const seen = edge.map((e) => `${e.path} ${e.status} ${e.decision} ${e.source ?? ''}`.trim()).sort();
    return { seen, widths, cookies };
  } finally {
    await context.close();
  }
}

describe.each(['express', 'koa'] as const)('%s: signed cookies across subdomains in Chromium', (adapter) => {
  it('with cookie.domain "example.test", the CDN images load with cookies only', async () => {
    const { seen, widths, cookies } = await visit(
      await site(adapter, { rule: 'domain', domain: 'example.test' }),
    );
    expect(seen).toEqual(['/hls/a.png 200 allowed cookie', '/hls/b.png 200 allowed cookie']);
    expect(widths).toEqual([1, 1]);
    const grant = cookies.filter((c) => c.name.startsWith('CloudFront-') && c.value !== '');
    expect(grant.map((c) => c.name).sort()).toEqual([
      'CloudFront-Hash-Algorithm',
      'CloudFront-Key-Pair-Id',
      'CloudFront-Policy',
      'CloudFront-Signature',
    ]);
    for (const c of grant) {
      expect(c.domain).toBe('.example.test');
      expect(c.path).toBe('/hls/');
      expect(c.httpOnly).toBe(true);
      // Max-Age tied to the policy: about five minutes from now.
      expect(c.expires - Date.now() / 1000).toBeGreaterThan(240);
      expect(c.expires - Date.now() / 1000).toBeLessThan(400);
    }
  }, 60_000);

  it('with host-only cookies (no Domain), the browser keeps them for www and the CDN refuses', async () => {
    const { seen, widths, cookies } = await visit(await site(adapter, { rule: 'none' }));
    expect(seen).toEqual(['/hls/a.png 403 denied none', '/hls/b.png 403 denied none']);
    expect(widths).toEqual([0, 0]);
    const grant = cookies.filter((c) => c.name === 'CloudFront-Signature');
    expect(grant.map((c) => c.domain)).toEqual(['www.example.test']);
  }, 60_000);

  it('a cookie rule without cookie.domain: refused at start-up with origins, the page fails without', async () => {
    await expect(site(adapter, { rule: 'host-only', origins: true })).rejects.toMatchObject({
      code: 'ERR_INVALID_COOKIE_OPTIONS',
      message: expect.stringMatching(
        /site host www\.example\.test \(in origins\).*CDN host cdn\.example\.test/,
      ),
    });
    const errors: unknown[] = [];
    const url = await site(adapter, { rule: 'host-only', origins: false }, errors);
    const context = await browser.newContext();
    try {
      const res = await (await context.newPage()).goto(url);
      expect(res?.status()).toBe(500);
      expect((await context.cookies()).filter((c) => c.name.startsWith('CloudFront-'))).toEqual([]);
    } finally {
      await context.close();
    }
    // (Koa serves the page for /favicon.ico too: one error per page request.)
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatchObject({ code: 'ERR_INVALID_COOKIE_OPTIONS' });
  }, 60_000);
});
