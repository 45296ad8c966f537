/**
 * A JSON payload over `maxJsonBytes` (whole or streamed) fails the reply with `CfsignError`
 * `ERR_BODY_TOO_LARGE`, handed to Fastify's error handler; one within the limit is signed.
 */
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createSigner } from '@cfsign/core';
import fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_PEM } from '../../../test/adapters/harness.js';
import { cloudfrontSigner } from '../src/index.js';

const signer = createSigner({ keyPairId: 'K2BODYLIMITFST', privateKey: PRIVATE_PEM });
const rules = { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] };
const big = JSON.stringify({ src: '/private/a.jpg', pad: 'x'.repeat(100) });

describe('maxJsonBytes on Fastify', () => {
  let app: FastifyInstance;
  let base = '';
  const errors: unknown[] = [];

  beforeAll(async () => {
    app = fastify();
    await app.register(cloudfrontSigner, { signer, rules, signJson: true, maxJsonBytes: 64 });
    app.get('/small', (_q, reply) => reply.send({ src: '/private/a.jpg' }));
    app.get('/big', (_q, reply) => reply.type('application/json').send(big));
    app.get('/big-stream', (_q, reply) =>
      reply.type('application/json').send(Readable.from([big.slice(0, 50), big.slice(50)])),
    );
    app.setErrorHandler((err, _q, reply) => {
      errors.push(err);
      return reply.status(500).send('failed');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('signs a payload within the limit', async () => {
    const body = (await (await fetch(`${base}/small`)).json()) as { src: string };
    expect(body.src).toMatch(/^https:\/\/cdn\.example\.com\/private\/a\.jpg\?.*Signature=/);
  });

  it.each(['/big', '/big-stream'])('%s: fails with ERR_BODY_TOO_LARGE naming the option', async (path) => {
    errors.length = 0;
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('/private/a.jpg');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'ERR_BODY_TOO_LARGE',
      message: expect.stringMatching(/over 64 bytes \("maxJsonBytes"\)/),
    });
  });
});
