import type { AddressInfo } from 'node:net';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originGuard } from '../src/index.js';

const CURRENT = 'cur-6c1f0e9d8b7a-secret';
const PREVIOUS = 'prev-3b2a1f0e9d8c-secret';

describe.each([
  ['koa 3', Koa3],
  ['koa 2', Koa2],
])('originGuard with %s', (_name, Koa) => {
  let base = '';
  let close: () => Promise<void>;
  const rejects: unknown[] = [];
  const seen: Array<string | string[] | undefined> = [];

  beforeAll(async () => {
    const app = new Koa();
    app.use(
      originGuard({
        header: 'x-origin-secret',
        secrets: [CURRENT, PREVIOUS],
        onReject: (i) => rejects.push(i),
      }),
    );
    app.use(
      async (ctx: {
        path: string;
        body: unknown;
        headers: Record<string, string | string[] | undefined>;
      }) => {
        seen.push(ctx.headers['x-origin-secret']);
        if (ctx.path === '/hello') ctx.body = 'hello from origin';
      },
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('lets the current and the previous secret through, and hides the header from the app', async () => {
    for (const secret of [CURRENT, PREVIOUS]) {
      const res = await fetch(`${base}/hello`, { headers: { 'x-origin-secret': secret } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('hello from origin');
    }
    expect(seen).toEqual([undefined, undefined]);
  });

  it('answers a generic 403 without the header or with a wrong one', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'x-origin-secret': 'guess' },
      { 'x-origin-secret': PREVIOUS.slice(0, -1) },
    ]) {
      const res = await fetch(`${base}/hello`, { headers });
      expect(res.status).toBe(403);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).toBe('Forbidden');
    }
    expect(rejects).toEqual([
      { reason: 'missing', method: 'GET', path: '/hello' },
      { reason: 'mismatch', method: 'GET', path: '/hello' },
      { reason: 'mismatch', method: 'GET', path: '/hello' },
    ]);
    expect(seen).toHaveLength(2);
  });

  it('refuses to start with an empty secret', () => {
    expect(() => originGuard({ header: 'x-origin-secret', secrets: [] })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ORIGIN_SECRET' }),
    );
  });
});
