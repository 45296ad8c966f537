/**
 * The example as a visitor sees it: its page and API over real HTTP, every private link signed,
 * verified with the public key and fetched through the CloudFront emulator; the public page untouched.
 */
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createSigner, verifySignedUrl } from '@cfsign/core';
import { createEmulator } from '@cfsign/emulator';
import { afterAll, beforeAll, expect, test } from 'vitest';
// @ts-expect-error: the example is plain JavaScript
import { buildSite } from '../src/site.mjs';

const keyPairId = 'KFASTIFYEXAMPLE';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
let cdn: { url: string; close(): Promise<void> };
let app: { listen(o: object): Promise<string>; close(): Promise<void> };
let base = '';

beforeAll(async () => {
  cdn = await createEmulator({
    behaviors: [
      { pathPattern: '/private/*', trustedKeyGroups: [{ [keyPairId]: publicPem }], origin: 'media' },
    ],
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'media' },
    origins: { media: { type: 'directory', root: fileURLToPath(new URL('../media', import.meta.url)) } },
  }).listen(0);
  app = await buildSite({
    signer: createSigner({ keyPairId, privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) }),
    cdn: cdn.url,
    origin: 'http://127.0.0.1',
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await cdn?.close();
});

const links = (html: string) =>
  [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

test('the home page (served by @fastify/static, compressed) carries signed links that open on the CDN', async () => {
  const res = await fetch(`${base}/`, { headers: { 'accept-encoding': 'gzip' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-encoding')).toBe('gzip');
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  const privateLinks = links(await res.text()).filter((l) => l.includes('/private/'));
  expect(privateLinks).toHaveLength(3);
  for (const link of privateLinks) {
    expect(link.startsWith(`${cdn.url}/private/`)).toBe(true);
    expect((await verifySignedUrl(link, { keys: { [keyPairId]: publicPem } })).ok).toBe(true);
    expect((await fetch(link)).status).toBe(200);
  }
  expect((await fetch(`${cdn.url}/private/notes.txt`)).status).toBe(403);
});

test('the API signs with reply.signUrl; the public page passes untouched', async () => {
  const { url } = (await (await fetch(`${base}/api/poster`)).json()) as { url: string };
  expect((await fetch(url)).status).toBe(200);
  const about = await fetch(`${base}/about.html`);
  expect(await about.text()).toContain('This page has no private links');
});
