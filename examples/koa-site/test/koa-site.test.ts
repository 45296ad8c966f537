import { verifySignedUrl } from '@cfsign/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
// @ts-expect-error plain ESM module of the example
import { startKoaSite } from '../app.mjs';

let site: { url: string; appUrl: string; keyPairId: string; publicKey: string; close(): Promise<void> };
beforeAll(async () => {
  site = await startKoaSite();
});
afterAll(() => site?.close());

test('the Koa example: every private image link is signed, verifies and loads through the distribution', async () => {
  const page = await fetch(site.url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const links = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
  expect(links).toHaveLength(3);
  for (const link of links) {
    expect((await verifySignedUrl(link, { keys: { [site.keyPairId]: site.publicKey } })).ok).toBe(true);
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
  }
  expect((await fetch(links[0]!.replace(/Signature=./, 'Signature=A'))).status).toBe(403);
  expect((await fetch(site.appUrl)).status).toBe(403);
});
