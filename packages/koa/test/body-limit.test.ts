/**
 * A streamed JSON body over `maxJsonBytes`, or one that is not JSON, fails with a coded
 * `CfsignError` (`ERR_BODY_TOO_LARGE`, `ERR_REWRITE_FAILED`) that reaches Koa's error handling.
 */
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createSigner } from '@cfsign/core';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_PEM } from '../../../test/adapters/harness.js';
import { cloudfrontSigner } from '../src/index.js';

const signer = createSigner({ keyPairId: 'K2BODYLIMITKOA', privateKey: PRIVATE_PEM });
const rules = { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] };

describe('maxJsonBytes on Koa', () => {
  let base = '';
  let close: () => Promise<void>;
  const errors: unknown[] = [];

  beforeAll(async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        errors.push(err);
        ctx.status = 500;
        ctx.body = 'failed';
      }
    });
    app.use(cloudfrontSigner({ signer, rules, signJson: true, maxJsonBytes: 64 }));
    app.use((ctx) => {
      ctx.type = 'application/json';
      const text =
        ctx.path === '/big'
          ? JSON.stringify({ src: '/private/a.jpg', pad: 'x'.repeat(100) })
          : ctx.path === '/broken'
            ? '{"src": /private/a.jpg'
            : JSON.stringify({ src: '/private/a.jpg' });
      ctx.body = Readable.from([text.slice(0, 10), text.slice(10)]);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('signs a streamed body within the limit', async () => {
    const body = (await (await fetch(`${base}/small`)).json()) as { src: string };
    expect(body.src).toMatch(/^https:\/\/cdn\.example\.com\/private\/a\.jpg\?.*Signature=/);
  });

  it('fails a larger one with ERR_BODY_TOO_LARGE, and one that is not JSON with ERR_REWRITE_FAILED', async () => {
    for (const [path, code, message] of [
      ['/big', 'ERR_BODY_TOO_LARGE', /over 64 bytes/],
      ['/broken', 'ERR_REWRITE_FAILED', /not valid JSON; send valid JSON, or the right Content-Type/],
    ] as const) {
      errors.length = 0;
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(500);
      expect(errors, path).toHaveLength(1);
      expect(errors[0], path).toMatchObject({ code, message: expect.stringMatching(message) });
    }
  });
});
