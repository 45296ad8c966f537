/**
 * A JSON body over `maxJsonBytes` is not sent half-signed: the response fails with `CfsignError`
 * `ERR_BODY_TOO_LARGE`, handed to Express's error handler; a body within the limit is signed.
 */
import type { AddressInfo } from 'node:net';
import { createSigner, isCfsignError } from '@cfsign/core';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_PEM } from '../../../test/adapters/harness.js';
import { cloudfrontSigner } from '../src/index.js';

const signer = createSigner({ keyPairId: 'K2BODYLIMITEXP', privateKey: PRIVATE_PEM });
const rules = { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] };

describe('maxJsonBytes on Express', () => {
  let base = '';
  let close: () => Promise<void>;
  const errors: unknown[] = [];

  beforeAll(async () => {
    const app = express();
    app.use(cloudfrontSigner({ signer, rules, signJson: true, maxJsonBytes: 64 }));
    app.get('/small', (_req, res) => res.json({ src: '/private/a.jpg' }));
    app.get('/big', (_req, res) => res.json({ src: '/private/a.jpg', pad: 'x'.repeat(100) }));
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(err);
      res.status(500).send('failed');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('signs a body within the limit', async () => {
    const body = (await (await fetch(`${base}/small`)).json()) as { src: string };
    expect(body.src).toMatch(/^https:\/\/cdn\.example\.com\/private\/a\.jpg\?.*Signature=/);
  });

  it('fails a larger one with ERR_BODY_TOO_LARGE that names the option, never sends it unsigned', async () => {
    const res = await fetch(`${base}/big`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('/private/a.jpg');
    expect(errors).toHaveLength(1);
    expect(isCfsignError(errors[0], 'ERR_BODY_TOO_LARGE')).toBe(true);
    expect((errors[0] as Error).message).toMatch(/over 64 bytes \("maxJsonBytes"\); raise "maxJsonBytes"/);
  });
});
