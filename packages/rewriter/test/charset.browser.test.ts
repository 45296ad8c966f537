// The encoding sniffing cases of charset.test.ts, asked of Chromium: `document.characterSet` of
// each body served from a real server on 127.0.0.1 must be the encoding the rewriter found.
// (Undeclared: Chromium guesses from the bytes and the locale, but not from a skipped meta.)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../test/support/chromium.js';
import { sniffCharset } from '../src/html/charset-prescan.js';
import { SNIFF_CASES } from './helpers/sniff-cases.js';

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  server = createServer((req, res) => {
    const k = Number(new URL(req.url!, 'http://x').searchParams.get('case'));
    const c = SNIFF_CASES[k];
    if (c === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': c[2] === undefined ? 'text/html' : `text/html; charset=${c[2]}` });
    res.end(Buffer.from(c[1]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('encoding sniffing agrees with Chromium', () => {
  it('document.characterSet of every declared case', async () => {
    const page = await browser.newPage();
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const [k, [name, body, ct, expected]] of SNIFF_CASES.entries()) {
      await page.goto(`${origin}/?case=${k}`);
      const set = (await page.evaluate(() => document.characterSet)).toLowerCase();
      if (expected === null) {
        // undeclared: Chromium guesses, but never from the meta the prescan must skip
        expect(set, name).not.toBe('euc-kr');
        continue;
      }
      got[name] = set;
      want[name] = sniffCharset(body, ct).encoding!;
    }
    await page.close();
    expect(got).toEqual(want);
    expect(Object.keys(got).length).toBeGreaterThan(10);
  }, 120_000);
});
