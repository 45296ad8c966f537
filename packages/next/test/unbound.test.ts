/**
 * `@cfsign/next`'s own helpers, in a process where no module called `cfsign({...})`: configured by
 * the environment alone, they need `CLOUDFRONT_RULES` and never sign with defaults.
 */
import { generateKeyPairSync } from 'node:crypto';
import { verifySignedUrl } from '@cfsign/core';
import { afterEach, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/server', () => ({ connection: async () => {} }));

const next = await import('@cfsign/next');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keys = { K2ENVONLY: publicKey.export({ type: 'spki', format: 'pem' }).toString() };

function env(rules?: string): void {
  vi.stubEnv('CLOUDFRONT_KEY_PAIR_ID', 'K2ENVONLY');
  vi.stubEnv('CLOUDFRONT_PRIVATE_KEY', pem.trim().replace(/\n/g, '\\n'));
  vi.stubEnv('CLOUDFRONT_DOMAIN', 'cdn.example.com');
  if (rules !== undefined) vi.stubEnv('CLOUDFRONT_RULES', rules);
}
afterEach(() => vi.unstubAllEnvs());

it('used before any configuration (key and CDN, but no rules), every helper throws ERR_NOT_CONFIGURED', async () => {
  env();
  const attempts = [
    () => next.signUrl('/media/a.jpg'),
    () => next.mediaRedirect()(new Request('https://www.example.com/media/a.jpg')),
    () =>
      next.withSignedLinks(
        () => new Response('<img src="/media/a.jpg">', { headers: { 'content-type': 'text/html' } }),
      )(new Request('https://www.example.com/'), {}),
    () => next.SignedImage({ src: '/media/a.jpg', alt: '', width: 1, height: 1 }),
    () => next.signedCookieHeaders(),
    () => next.getSigning(),
  ];
  for (const attempt of attempts)
    await expect(attempt()).rejects.toMatchObject({
      code: 'ERR_NOT_CONFIGURED',
      message: expect.stringMatching(/No signing rules: nothing is signed by default/),
    });
});

it('env-only configuration: a route handler first, then a page, both with the rules of CLOUDFRONT_RULES', async () => {
  env('[{"match":"/media/**","expiresIn":"3m"}]');
  const now = Math.floor(Date.now() / 1000);
  const res = await next.mediaRedirect()(new Request('https://www.example.com/media/a.jpg'));
  expect(res.status).toBe(307);
  const location = res.headers.get('location')!;
  expect((await verifySignedUrl(location, { keys })).ok).toBe(true);
  expect(Number(new URL(location).searchParams.get('Expires'))).toBeLessThanOrEqual(now + 180 + 61);
  expect((await next.mediaRedirect()(new Request('https://www.example.com/other/a.jpg'))).status).toBe(404);
  expect((await verifySignedUrl(await next.signUrl('/media/b.jpg'), { keys })).ok).toBe(true);
});

it('once a config module called cfsign({...}), the env-only helpers refuse: no bypass of its authorize', async () => {
  env('[{"match":"/media/**"}]');
  next.cfsign({ rules: [{ match: '/media/**' }], authorize: () => false });
  await expect(
    next.mediaRedirect()(new Request('https://www.example.com/media/a.jpg')),
  ).rejects.toMatchObject({
    code: 'ERR_NOT_CONFIGURED',
  });
});
