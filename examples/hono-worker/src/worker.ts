/**
 * A Worker: a Hono app whose pages leave with their private links signed for CloudFront.
 * Bindings: CLOUDFRONT_KEY (the PEM private key, a secret), KEY_PAIR_ID, CDN (the distribution's URL).
 */
import { createSigner } from '@cfsign/core';
import { type CfsignVariables, cloudfrontSigner } from '@cfsign/hono';
import { Hono, type MiddlewareHandler } from 'hono';

type Bindings = { CLOUDFRONT_KEY: string; KEY_PAIR_ID: string; CDN: string };
type Env = { Bindings: Bindings; Variables: CfsignVariables };

const app = new Hono<Env>();

// The middleware is built once per isolate, from the bindings of the first request.
let signer: MiddlewareHandler<{ Variables: CfsignVariables }> | undefined;
app.use((c, next) => {
  signer ??= cloudfrontSigner({
    signer: createSigner({ keyPairId: c.env.KEY_PAIR_ID, privateKey: c.env.CLOUDFRONT_KEY }),
    rules: { cdn: c.env.CDN, rules: [{ match: '/private/**', expiresIn: '10m' }] },
    referrerPolicy: 'strict-origin-when-cross-origin',
  });
  return signer(c as never, next);
});

app.get('/', (c) =>
  c.html(`<!doctype html><html><head><title>cfsign on Workers</title></head><body>
<h1>Members' gallery</h1>
<img src="/private/photo.jpg" alt="A green card, for members only">
<a href="/private/notes.pdf">Notes (PDF)</a> · <a href="/about">About</a>
</body></html>`),
);
app.get('/about', (c) => c.html('<p>No private links here.</p>'));
app.get('/api/poster', async (c) => c.json({ url: await c.get('signUrl')('/private/poster.jpg') }));

export default app;
