/**
 * The example Worker on workerd (Miniflare): its page carries signed links that verify with the
 * public key, and its API signs with c.get('signUrl').
 */
import { generateKeyPairSync } from 'node:crypto';
import { verifySignedUrl } from '@cfsign/core';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, test } from 'vitest';
// @ts-expect-error plain ESM module of the example
import { bundleWorker } from '../src/bundle.mjs';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keys = { KHONOEXAMPLE1: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
let mf: Miniflare;

beforeAll(async () => {
  mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: await bundleWorker() }],
    compatibilityDate: '2025-01-01',
    bindings: {
      CLOUDFRONT_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      KEY_PAIR_ID: 'KHONOEXAMPLE1',
      CDN,
    },
  });
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
});

test('the page leaves the Worker with its private links signed', async () => {
  const res = await mf.dispatchFetch('http://www.example.com/');
  const html = await res.text();
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  const signed = [...html.matchAll(/(?:src|href)="(https:\/\/d111111abcdef8[^"]+)"/g)].map((m) =>
    m[1]!.replaceAll('&amp;', '&'),
  );
  expect(signed).toHaveLength(2);
  for (const url of signed) expect((await verifySignedUrl(url, { keys })).ok).toBe(true);
  expect(html).toContain('href="/about"');
});

test('the API signs with c.get("signUrl"); pages without private links pass as they are', async () => {
  const { url } = (await (await mf.dispatchFetch('http://www.example.com/api/poster')).json()) as {
    url: string;
  };
  expect((await verifySignedUrl(url, { keys })).ok).toBe(true);
  expect(await (await mf.dispatchFetch('http://www.example.com/about')).text()).toBe(
    '<p>No private links here.</p>',
  );
});
