// The Fastify site: static pages from public/, one JSON API, every private link signed on the way out.
import { fileURLToPath } from 'node:url';
import { cloudfrontSigner } from '@cfsign/fastify';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';

/**
 * Builds the site. `signer` comes from createSigner (@cfsign/core), `cdn` is the distribution's URL,
 * `origin` the public URL of the site (links to it map to the CDN).
 */
export async function buildSite({ signer, cdn, origin }) {
  const app = Fastify({ trustProxy: '127.0.0.1' });
  // Order does not matter: @fastify/compress runs per route, after the signer's onSend.
  await app.register(compress);
  await app.register(cloudfrontSigner, {
    signer,
    rules: { cdn, origins: [origin], rules: [{ match: '/private/**', expiresIn: '10m' }] },
    referrerPolicy: 'strict-origin-when-cross-origin',
  });
  await app.register(fastifyStatic, { root: fileURLToPath(new URL('../public', import.meta.url)) });
  app.get('/api/poster', async (_request, reply) => ({ url: await reply.signUrl('/private/photo.svg') }));
  return app;
}
