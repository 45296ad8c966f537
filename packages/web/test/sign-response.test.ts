/**
 * signResponse on Fetch Request/Response objects, with real crypto: the body is streamed and signed,
 * headers follow the one policy, HEAD claims GET's exact length, early failures reject, and the
 * request guard drops validators only for pages.
 */
import { verifySignedUrl } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { failingSigner, KEY_ID, PUBLIC_PEM, signer } from '../../../test/adapters/harness.js';
import { createWebSigner, guardRequest, signResponse, untrustedHtml } from '../src/index.js';

const rules = {
  cdn: 'https://cdn.example.com',
  origins: ['https://www.example.com'],
  rules: [{ match: '/private/**', expiresIn: '10m' }],
};
const options = { signer, rules };
const html = '<!doctype html><img src="/private/a.jpg"><a href="/public/x.html">x</a>';
const page = (init: ResponseInit = {}) =>
  new Response(html, {
    ...init,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      etag: '"v1"',
      'content-length': '70',
      ...init.headers,
    },
  });
const keys = { [KEY_ID]: PUBLIC_PEM };
const link = (text: string) => /src="([^"]+)"/.exec(text)![1]!.replaceAll('&amp;', '&');

describe('signResponse', () => {
  it('streams the page through the rewriter and applies the header policy', async () => {
    const res = await signResponse(new Request('https://www.example.com/'), page(), options);
    const text = await res.text();
    expect((await verifySignedUrl(link(text), { keys })).ok).toBe(true);
    expect(text).toContain('href="/public/x.html"');
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('answers HEAD with the headers of GET and its exact Content-Length', async () => {
    const get = await signResponse(new Request('https://www.example.com/'), page(), options);
    const length = (await get.arrayBuffer()).byteLength;
    const head = await signResponse(
      new Request('https://www.example.com/', { method: 'HEAD' }),
      page(),
      options,
    );
    expect(head.body).toBeNull();
    expect(head.headers.get('content-length')).toBe(String(length));
    expect(head.headers.get('cache-control')).toBe(get.headers.get('cache-control'));
  });

  it('returns other responses as they are, with their skip reason', async () => {
    const skips: string[] = [];
    const o = { ...options, onSkip: (r: string) => void skips.push(r) };
    const png = new Response('PNG', { headers: { 'content-type': 'image/png' } });
    expect(await signResponse(new Request('https://www.example.com/a.png'), png, o)).toBe(png);
    const partial = page({ status: 206 });
    expect(await signResponse(new Request('https://www.example.com/'), partial, o)).toBe(partial);
    expect(skips).toEqual(['not-rewritable-type', 'partial-content']);
  });

  it('rejects when signing fails on the first links, before anything is sent', async () => {
    const o = { signer: failingSigner(1), rules };
    await expect(signResponse(new Request('https://www.example.com/'), page(), o)).rejects.toMatchObject({
      code: 'ERR_SIGNER_FAILED',
    });
  });

  it('signs JSON with signJson, and signUrl signs by the same rules', async () => {
    const web = createWebSigner({ ...options, signJson: true });
    const request = new Request('https://www.example.com/api');
    const s = web.begin(request);
    const res = await s.sign(Response.json({ poster: '/private/p.jpg', title: 'x' }));
    const body = (await res.json()) as { poster: string; title: string };
    expect((await verifySignedUrl(body.poster, { keys })).ok).toBe(true);
    expect(body.title).toBe('x');
    expect((await verifySignedUrl(await s.signUrl('/private/q.jpg'), { keys })).ok).toBe(true);
  });

  it('leaves user content unsigned: untrustedHtml regions and signJson untrustedKeys', async () => {
    const skips: string[] = [];
    const o = { ...options, onSkip: (r: string) => void skips.push(r) };
    const comment = '<!-- cfsign:on --><img src="/private/users/42/tax.pdf">';
    const body = `<img src="/private/a.jpg">${untrustedHtml(comment)}`;
    const res = await signResponse(
      new Request('https://www.example.com/'),
      new Response(body, { headers: { 'content-type': 'text/html' } }),
      o,
    );
    const text = await res.text();
    expect((await verifySignedUrl(link(text), { keys })).ok).toBe(true);
    expect(text).toContain('<img src="/private/users/42/tax.pdf">');
    expect(skips).toContain('untrusted-region');
    const web = createWebSigner({ ...options, signJson: { untrustedKeys: ['comments'] } });
    const s = web.begin(new Request('https://www.example.com/api'));
    const json = (await (
      await s.sign(
        Response.json({ poster: '/private/p.jpg', comments: [{ src: '/private/users/42/a.jpg' }] }),
      )
    ).json()) as { poster: string; comments: Array<{ src: string }> };
    expect((await verifySignedUrl(json.poster, { keys })).ok).toBe(true);
    expect(json.comments[0]!.src).toBe('/private/users/42/a.jpg');
  });

  it('refuses a per-entity rule without an authorize hook (ERR_INVALID_RULE)', async () => {
    const perEntity = { cdn: rules.cdn, rules: [{ match: '/private/users/:id/**' }] };
    let refused: unknown;
    try {
      createWebSigner({ signer, rules: perEntity });
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({ code: 'ERR_INVALID_RULE', message: expect.stringMatching(/authorize/) });
    const ok = await signResponse(new Request('https://www.example.com/'), page(), {
      signer,
      rules: perEntity,
      authorize: () => true,
    });
    expect(ok.status).toBe(200);
  });

  it('works with a WebCrypto signer (the build Workers, Deno and Bun use)', async () => {
    const { PRIVATE_PEM } = await import('../../../test/adapters/harness.js');
    const { createSigner: createWebCryptoSigner } = await import('../../core/src/index.web.js');
    const web = { signer: createWebCryptoSigner({ keyPairId: KEY_ID, privateKey: PRIVATE_PEM }), rules };
    const text = await (await signResponse(new Request('https://www.example.com/'), page(), web)).text();
    expect((await verifySignedUrl(link(text), { keys })).ok).toBe(true);
  });
});

describe('guardRequest', () => {
  const conditional = { range: 'bytes=0-9', 'if-none-match': '"v1"', 'if-range': '"v1"' };
  it('drops validators and ranges for pages (by path), keeps them for other files', () => {
    for (const path of ['/', '/a.html', '/s.css', '/v.m3u8']) {
      const r = guardRequest(new Request(`https://www.example.com${path}`, { headers: conditional }));
      expect(
        [r.headers.get('range'), r.headers.get('if-none-match'), r.headers.get('if-range')],
        path,
      ).toEqual([null, null, null]);
    }
    const img = new Request('https://www.example.com/a.png', { headers: conditional });
    expect(guardRequest(img)).toBe(img);
    const json = new Request('https://www.example.com/a.json', { headers: conditional });
    expect(guardRequest(json)).toBe(json);
    expect(guardRequest(json, true).headers.get('range')).toBeNull();
  });
});
