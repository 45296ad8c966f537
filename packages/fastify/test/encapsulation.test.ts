import type { AddressInfo } from 'node:net';
import { createSigner } from '@cfsign/core';
import fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { PRIVATE_PEM } from '../../../test/adapters/harness.js';
import { cloudfrontSigner } from '../src/index.js';

const signer = createSigner({ keyPairId: 'K2ENCAPSULATION', privateKey: PRIVATE_PEM });
const rules = { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**', expiresIn: '10m' }] };
const html = '<img src="/private/a.jpg">';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function listen(a: FastifyInstance): Promise<string> {
  await a.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(a.server.address() as AddressInfo).port}`;
}

const signed = (text: string) => text.includes('https://cdn.example.com/private/a.jpg?Expires=');

describe('cloudfrontSigner follows Fastify encapsulation (fastify-plugin)', () => {
  it('registered at the root, it signs every route and decorates every reply', async () => {
    app = fastify();
    await app.register(cloudfrontSigner, { signer, rules });
    app.get('/', (_q, reply) => reply.type('text/html').send(html));
    await app.register(async (child) => {
      child.get('/child', (_q, reply) => reply.type('text/html').send(html));
    });
    const base = await listen(app);
    expect(signed(await (await fetch(`${base}/`)).text())).toBe(true);
    expect(signed(await (await fetch(`${base}/child`)).text())).toBe(true);
  });

  it('registered inside a plugin, it signs only that plugin (and its children), not its siblings', async () => {
    app = fastify();
    let siblingHasSignUrl: boolean | undefined;
    await app.register(async (scope) => {
      await scope.register(cloudfrontSigner, { signer, rules });
      scope.get('/in', (_q, reply) => reply.type('text/html').send(html));
    });
    await app.register(async (sibling) => {
      sibling.get('/out', (_q, reply) => {
        siblingHasSignUrl = typeof (reply as { signUrl?: unknown }).signUrl === 'function';
        return reply.type('text/html').send(html);
      });
    });
    const base = await listen(app);
    expect(signed(await (await fetch(`${base}/in`)).text())).toBe(true);
    expect(await (await fetch(`${base}/out`)).text()).toBe(html);
    expect(siblingHasSignUrl).toBe(false);
  });

  it('a route opts out with config: { signedUrls: false }, a reply with reply.signedUrls = false', async () => {
    const skips: string[] = [];
    app = fastify();
    await app.register(cloudfrontSigner, { signer, rules, onSkip: (r) => void skips.push(r) });
    app.get('/raw', { config: { signedUrls: false } }, (_q, reply) => reply.type('text/html').send(html));
    app.get('/reply', (_q, reply) => {
      reply.signedUrls = false;
      return reply.type('text/html').send(html);
    });
    const base = await listen(app);
    expect(await (await fetch(`${base}/raw`)).text()).toBe(html);
    expect(await (await fetch(`${base}/reply`)).text()).toBe(html);
    expect(skips).toEqual(['opted-out', 'opted-out']);
  });

  it('reply.signUrlSync signs with a synchronous signer, and a second registration in one tree is refused', async () => {
    app = fastify();
    await app.register(cloudfrontSigner, { signer, rules });
    app.get('/u', (_q, reply) => reply.type('text/plain').send(reply.signUrlSync('/private/a.jpg')));
    const base = await listen(app);
    expect(await (await fetch(`${base}/u`)).text()).toMatch(
      /^https:\/\/cdn\.example\.com\/private\/a\.jpg\?Expires=/,
    );
    const twice = fastify();
    await twice.register(cloudfrontSigner, { signer, rules });
    await expect(
      twice.register(async (child) => child.register(cloudfrontSigner, { signer, rules })).ready(),
    ).rejects.toThrow(/signUrl|already/i);
    await twice.close().catch(() => {});
  });
});
