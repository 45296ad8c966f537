/**
 * Signed cookies that reach the CDN, in a real browser: a page on `www.example.test` (Express, then
 * Koa) whose images live on `cdn.example.test` (the emulator). Chromium maps both names to
 * 127.0.0.1 (`--host-resolver-rules`). With the rule's `cookie.domain` the images load with
 * cookies only; with the default host-only cookies the browser keeps them for www and the CDN
 * refuses every image.
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

/** The site on 127.0.0.1:port, addressed as www.example.test; `domain` or host-only cookies. */
async function site(adapter: Adapter, domain: string | undefined): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  const cdnOrigin = `http://cdn.example.test:${cdnPort}`;
  const rules = {
    cdn: cdnOrigin,
    origins: [`http://www.example.test:${port}`],
    rules: [
      {
        match: '/hls/**',
        mode: 'cookie' as const,
        authorize: 'any-viewer' as const,
        expiresIn: '5m',
        // Plain http on the test hosts: not Secure (browsers keep Secure cookies for https only).
        cookie: { secure: false, ...(domain !== undefined && { domain }) },
      },
    ],
  };
  const html = `<!doctype html><html><body>${IMAGES.map((n) => `<img src="${cdnOrigin}/hls/${n}" alt="${n}">`).join('')}</body></html>`;
  if (adapter === 'express') {
    const app = express();
    app.use(expressSigner({ signer, rules }));
    app.get('/', (_req, res) => {
      res.type('html').send(html);
    });
    server.on('request', app);
  } else {
    const app = new Koa();
    app.use(koaSigner({ signer, rules }));
    app.use((ctx) => {
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
    const { seen, widths, cookies } = await visit(await site(adapter, 'example.test'));
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

  it('with host-only cookies (no domain), the browser keeps them for www and the CDN refuses', async () => {
    const { seen, widths, cookies } = await visit(await site(adapter, undefined));
    expect(seen).toEqual(['/hls/a.png 403 denied none', '/hls/b.png 403 denied none']);
    expect(widths).toEqual([0, 0]);
    const grant = cookies.filter((c) => c.name === 'CloudFront-Signature');
    expect(grant.map((c) => c.domain)).toEqual(['www.example.test']);
  }, 60_000);
});
