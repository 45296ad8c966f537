/**
 * `@fastify/static` with `extensions: ['html']` serves `/page` from `page.html`, and reads the
 * conditionals and `Range` before it sets the type: such a page must still be answered whole and
 * signed (README: never a 304 with stale signatures nor a 206 slice of the unsigned file), while
 * other files and the app's own routes keep their 206s and 304s.
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import static5 from '@fastify/static';
import fastify5 from 'fastify';
import static4 from 'fastify-static4';
import fastify4 from 'fastify4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, get, signedLinks, signer, startFixture } from '../../../test/adapters/harness.js';
import { cloudfrontSigner } from '../src/index.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
  writeFileSync(join(fx.dir, 'logo.png'), 'PNG-BYTES-0123456789');
});
afterAll(() => fx.close());

const later = () => new Date(Date.now() + 3_600_000).toUTCString();

describe.each([
  ['fastify 5, @fastify/static 10', fastify5, static5],
  ['fastify 4, @fastify/static 7', fastify4, static4],
] as const)('%s with extensions', (_name, Fastify, serveStatic) => {
  let base = '';
  let close = async () => {};
  beforeAll(async () => {
    const app = (Fastify as typeof fastify5)();
    await app.register(cloudfrontSigner, { rules: fx.rules as never, signer });
    await app.register(serveStatic as typeof static5, {
      root: fx.dir,
      prefix: '/site/',
      extensions: ['html'],
    });
    app.get('/api/item', (request, reply) => {
      reply.type('application/json').header('etag', '"i1"');
      return request.headers['if-none-match'] === '"i1"' ? reply.code(304).send() : reply.send('{"a":1}');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = () => app.close();
  });
  afterAll(() => close());

  it.each([
    ['/site/page', { range: 'bytes=0-9' }],
    ['/site/page%2Ehtml', { range: 'bytes=0-9' }],
    ['/site/page', { 'if-none-match': '*' }],
    ['/site/page', { 'if-modified-since': later() }],
    ['/site/page', { range: 'bytes=0-9', 'if-range': later() }],
  ])('%s with %j: the whole page, signed, as a 200', async (path, headers) => {
    const r = await get(base, path, { headers });
    expect(r.status).toBe(200);
    expect(r.headers['content-range']).toBeUndefined();
    expect(r.headers['cache-control']).toBe('private, no-store');
    expect(r.headers.etag).toBeUndefined();
    expect(signedLinks(r.body.toString(), fx.cdn)).toHaveLength(3);
  });

  it('other files keep their ranges, and routes of the app their 304s', async () => {
    const png = await get(base, '/site/logo.png', { headers: { range: 'bytes=0-3' } });
    expect(png.status).toBe(206);
    expect(png.body.toString()).toBe('PNG-');
    const api = await get(base, '/api/item', { headers: { 'if-none-match': '"i1"' } });
    expect(api.status).toBe(304);
  });
});
