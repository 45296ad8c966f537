import type { AddressInfo } from 'node:net';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originGuard } from '../src/index.js';

const CURRENT = 'cur-6c1f0e9d8b7a-secret';
const PREVIOUS = 'prev-3b2a1f0e9d8c-secret';

describe.each([
  ['express 5', express5],
  ['express 4', express4],
])('originGuard with %s', (_name, express) => {
  let base = '';
  let close: () => Promise<void>;
  const rejects: unknown[] = [];
  const seen: Array<string | undefined> = [];

  beforeAll(async () => {
    const app = express();
    app.use(
      originGuard({
        header: 'X-Origin-Secret',
        secrets: [CURRENT, PREVIOUS],
        onReject: (i) => rejects.push(i),
      }),
    );
    app.get('/hello', (req, res) => {
      seen.push(req.headers['x-origin-secret'] as string | undefined);
      res.send('hello from origin');
    });
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
      { 'x-origin-secret': `${CURRENT} ` + 'x' },
    ]) {
      const res = await fetch(`${base}/hello`, { headers });
      expect(res.status).toBe(403);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.text();
      expect(body).toBe('Forbidden');
    }
    expect(rejects).toEqual([
      { reason: 'missing', method: 'GET', path: '/hello' },
      { reason: 'mismatch', method: 'GET', path: '/hello' },
      { reason: 'mismatch', method: 'GET', path: '/hello' },
    ]);
    expect(JSON.stringify(rejects)).not.toContain('guess');
  });

  it('refuses to start with an empty secret', () => {
    expect(() => originGuard({ header: 'x-origin-secret', secrets: [''] })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ORIGIN_SECRET' }),
    );
  });
});
