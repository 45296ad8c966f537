/**
 * The Hono middleware: bad options are refused when it is created (start-up, synchronous); the
 * middleware itself returns a promise and reports every failure by its rejection, which Hono hands
 * to `app.onError`.
 */
import { isCfsignError } from '@cfsign/core';
import { Context, Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { signer } from '../../../test/adapters/harness.js';
import { cloudfrontSigner } from '../src/index.js';

const rules = { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] };

describe('cloudfrontSigner (Hono)', () => {
  it('refuses bad options when created, with ERR_INVALID_OPTIONS naming the option', () => {
    expect(() => cloudfrontSigner({ rules, signer: {} as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: expect.stringMatching(/"signer"/) }),
    );
    expect(() => cloudfrontSigner({ rules, signer, memo: { ttl: -1 } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: expect.stringMatching(/"memo"/) }),
    );
  });

  it('the middleware rejects (never throws) when signing fails', async () => {
    const mw = cloudfrontSigner({ rules, signer });
    // A page at a file: URL: its links cannot be resolved, so the session cannot start.
    const c = new Context(new Request('file:///srv/page.html'));
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = mw(c as never, async () => {
        c.res = new Response('<img src="/private/a.jpg">', { headers: { 'content-type': 'text/html' } });
      }) as Promise<unknown>;
    }).not.toThrow();
    const err = await pending!.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCfsignError(err, 'ERR_INVALID_URL'), String(err)).toBe(true);
  });

  it('the rejection reaches app.onError as the CfsignError, with its code', async () => {
    const app = new Hono();
    const seen: unknown[] = [];
    app.use(cloudfrontSigner({ rules, signer }));
    app.get('*', (c) => c.html('<img src="/private/a.jpg">'));
    app.onError((err, c) => {
      seen.push(err);
      return c.text('error', 500);
    });
    const res = await app.request(new Request('file:///srv/page.html'));
    expect(res.status).toBe(500);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ code: 'ERR_INVALID_URL' });
    // A page at an http(s) URL signs.
    const ok = await app.request('https://www.example.com/page');
    expect(await ok.text()).toMatch(/Signature=/);
  });
});
