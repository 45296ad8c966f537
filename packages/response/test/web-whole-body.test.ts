/**
 * signWebResponse's two paths for a rewritable body: complete at once and small, rewritten whole in
 * one pass; otherwise streamed through the rewriter. Both give the same bytes and the same headers;
 * a streamed body's first bytes never wait for its end; a failure on the whole path rejects (no
 * page is ever cut short). `prime` is called for streamed answers only: it tells the paths apart.
 * RSA signatures are deterministic and the clock is fixed, so the two outputs compare byte for byte.
 */
import { CfsignError, type Signer, verifySignedUrl } from '@cfsign/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generatePage } from '../../../bench/page/generate.mjs';
import { createSession, prepareOptions, signWebResponse } from '../src/index.js';
import { keyPair, rules } from './fixture.js';

const KEY = 'K2WHOLEBODYTEST';
const { signer, keys } = keyPair('rsa', KEY);
const { html: standard } = generatePage();
const enc = new TextEncoder();
const dec = new TextDecoder();
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  etag: '"v1"',
  'last-modified': new Date(0).toUTCString(),
  'accept-ranges': 'bytes',
  'content-length': '999',
  vary: 'Accept-Language',
  'x-app': 'kept',
};

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-06-01T12:00:00Z'));
});
afterAll(() => vi.useRealTimers());

/** Signs `response` and says which path it took. */
async function sign(
  response: Response,
  o: {
    whole?: number;
    signer?: Signer;
    knownBody?: (r: Response) => string | Uint8Array | null | undefined;
  } = {},
) {
  const prepared = prepareOptions({ rules, signer: o.signer ?? signer, referrerPolicy: 'same-origin' });
  let streamed = false;
  const out = await signWebResponse(new Request('https://www.example.com/p'), response, {
    signJson: false,
    begin: () => ({
      prepared,
      session: createSession(prepared, { url: 'https://www.example.com/p', clientIp: undefined, req: null }),
    }),
    ...(o.whole !== undefined && { wholeBodyBytes: o.whole }),
    ...(o.knownBody !== undefined && { knownBody: o.knownBody }),
    prime: (r) => {
      streamed = true;
      return r;
    },
  });
  return { out, streamed };
}

/** A body whose chunks are all queued at once: `text` cut at `cuts`. */
function chunked(text: string, cuts: readonly number[]): ReadableStream<Uint8Array> {
  const bytes = enc.encode(text);
  const at = [0, ...cuts, bytes.length];
  return new ReadableStream({
    start(c) {
      for (let i = 0; i + 1 < at.length; i++) c.enqueue(bytes.subarray(at[i], at[i + 1]));
      c.close();
    },
  });
}

/** Cuts inside protected links: in `/private/`, inside `Expires`-free paths, in `srcset`, in entities. */
function cutsInsideLinks(text: string): number[] {
  const cuts: number[] = [];
  for (const m of text.matchAll(/\/private\//g)) {
    cuts.push(m.index + 1, m.index + 5, m.index + 9);
    if (cuts.length > 60) break;
  }
  return cuts;
}

const headerList = (r: Response) => [...r.headers].sort(([a], [b]) => a.localeCompare(b));

describe('signWebResponse: the whole-body path and the streaming path', () => {
  it('takes a small string body whole, byte-identical to the streamed output (standard page)', async () => {
    const whole = await sign(new Response(standard, { headers: HEADERS }));
    const streamed = await sign(new Response(standard, { headers: HEADERS }), { whole: 0 });
    expect(whole.streamed).toBe(false);
    expect(streamed.streamed).toBe(true);
    const a = await whole.out.text();
    const b = await streamed.out.text();
    expect(a).not.toBe(standard);
    expect(a).toBe(b);
    const link = /src="(https:\/\/d111111abcdef8[^"]+)"/.exec(a)![1]!.replaceAll('&amp;', '&');
    expect((await verifySignedUrl(link, { keys, now: new Date('2026-06-01T12:00:00Z') })).ok).toBe(true);
  });

  it('gives the same bytes for pages whose links are split across chunks, on either path', async () => {
    const reference = await (await sign(new Response(standard, { headers: HEADERS }))).out.text();
    const splits = [
      cutsInsideLinks(standard),
      [1, 2, 3],
      Array.from({ length: 60 }, (_, i) => (i + 1) * 4093),
    ];
    for (const cuts of splits) {
      const queued = await sign(new Response(chunked(standard, cuts), { headers: HEADERS }));
      expect(queued.streamed).toBe(false); // every chunk was there at once
      expect(await queued.out.text()).toBe(reference);
      const streamed = await sign(new Response(chunked(standard, cuts), { headers: HEADERS }), { whole: 0 });
      expect(streamed.streamed).toBe(true);
      expect(await streamed.out.text()).toBe(reference);
    }
    const small = '<img srcset="/private/a.jpg 1x, /private/b.jpg 2x"><a href="/private/c&amp;d.html">c</a>';
    const smallWhole = await (await sign(new Response(small, { headers: HEADERS }))).out.text();
    for (let cut = 1; cut < small.length; cut += 3) {
      const r = await sign(new Response(chunked(small, [cut]), { headers: HEADERS }), { whole: 0 });
      expect(await r.out.text(), `cut at ${cut}`).toBe(smallWhole);
    }
  });

  it('sets the same headers on both paths: the one policy, cookies, no Content-Length', async () => {
    const page = '<img src="/private/a.jpg"><video src="/private/hls/x.ts"></video>';
    const whole = await sign(new Response(page, { headers: HEADERS }));
    const streamed = await sign(new Response(page, { headers: HEADERS }), { whole: 0 });
    expect(whole.streamed).toBe(false);
    expect(headerList(whole.out)).toEqual(headerList(streamed.out));
    const h = whole.out.headers;
    expect([h.get('content-length'), h.get('etag'), h.get('last-modified'), h.get('accept-ranges')]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(h.get('cache-control')).toBe('private, no-store');
    expect(h.get('referrer-policy')).toBe('same-origin');
    expect(h.get('x-app')).toBe('kept');
    expect(h.getSetCookie().some((c) => c.startsWith('CloudFront-Policy='))).toBe(true);
    expect(whole.out.status).toBe(streamed.out.status);
  });

  it('streams a body over the bound, with the same bytes', async () => {
    const bounded = await sign(new Response(standard, { headers: HEADERS }), { whole: 64 * 1024 });
    expect(bounded.streamed).toBe(true);
    const reference = await (await sign(new Response(standard, { headers: HEADERS }))).out.text();
    expect(await bounded.out.text()).toBe(reference);
    // Default bound, 1 MiB: a larger page streams.
    const big = `${standard}<!--${'x'.repeat(1 << 20)}-->`;
    const streamedBig = await sign(new Response(big, { headers: HEADERS }));
    expect(streamedBig.streamed).toBe(true);
    expect(
      (await streamedBig.out.text()).startsWith(reference.slice(0, reference.lastIndexOf('</html>'))),
    ).toBe(true);
  });

  it('streams a body whose later chunks are not there yet, and its first bytes come out before the rest exists', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode('<!doctype html><body><img src="/private/a.jpg">'));
      },
      async pull(c) {
        await gate;
        c.enqueue(enc.encode('<img src="/private/b.jpg"></body>'));
        c.close();
      },
    });
    const { out, streamed } = await sign(new Response(body, { headers: HEADERS }));
    expect(streamed).toBe(true);
    const reader = out.body!.getReader();
    let first = '';
    while (!first.includes('Signature=')) first += dec.decode((await reader.read()).value);
    // The gate is still shut: the signed first link came out before the body's end existed.
    open();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += dec.decode(r.value);
    expect(`${first}${rest}`).toMatch(/private\/a\.jpg\?Expires=.*private\/b\.jpg\?Expires=/s);
  });

  it('rejects on the whole path when a signature fails mid-page: never a page cut short', async () => {
    let n = 0;
    const failing = Object.create(signer, {
      signUrlSync: {
        value: (url: string, o: never) => {
          if (++n === 40) throw new CfsignError('ERR_SIGNER_FAILED', 'test signer refuses link #40');
          return signer.signUrlSync(url, o);
        },
      },
    }) as Signer;
    await expect(
      sign(new Response(standard, { headers: HEADERS }), { signer: failing }),
    ).rejects.toMatchObject({
      code: 'ERR_SIGNER_FAILED',
    });
    expect(n).toBe(40);
  });
});

/** A response whose stream must not be built: reading `body` or `statusText` throws. */
function untouchable(text: string | null, headers: Record<string, string>): Response {
  const r = new Response(text, { headers });
  for (const name of ['body', 'statusText', 'text', 'arrayBuffer'])
    Object.defineProperty(r, name, {
      get() {
        throw new Error(`${name} was read`);
      },
    });
  return r;
}

describe('signWebResponse: a body the adapter already knows (knownBody)', () => {
  it('is rewritten whole without building or reading the stream, byte-identical to the streamed output', async () => {
    const reference = await (
      await sign(new Response(standard, { headers: HEADERS }), { whole: 0 })
    ).out.text();
    const known = await sign(untouchable(standard, HEADERS), { knownBody: () => standard });
    expect(known.streamed).toBe(false);
    expect(await known.out.text()).toBe(reference);
    const bytes = await sign(untouchable(standard, HEADERS), { knownBody: () => enc.encode(standard) });
    expect(await bytes.out.text()).toBe(reference);
  });

  it('gives the same headers as the stream path, and none of the unsigned validators', async () => {
    const streamed = await sign(new Response(standard, { headers: HEADERS }), { whole: 0 });
    const known = await sign(untouchable(standard, HEADERS), { knownBody: () => standard });
    expect(headerList(known.out)).toEqual(headerList(streamed.out));
  });

  it('is taken whole even past the 1 MiB bound (it is in memory already)', async () => {
    const big = `${standard}<!--${'x'.repeat(1 << 20)}-->`;
    const known = await sign(untouchable(big, HEADERS), { knownBody: () => big });
    expect(known.streamed).toBe(false);
    expect(await known.out.text()).toBe(
      await (await sign(new Response(big, { headers: HEADERS }))).out.text(),
    );
  });

  it('null is no body; undefined means unknown, and the stream is read as before', async () => {
    const empty = untouchable(null, HEADERS);
    const none = await sign(empty, { knownBody: () => null });
    expect(none.out).toBe(empty); // nothing to rewrite: passed through, its stream never asked for
    const unknown = await sign(new Response(standard, { headers: HEADERS }), { knownBody: () => undefined });
    expect(await unknown.out.text()).toBe(
      await (await sign(new Response(standard, { headers: HEADERS }))).out.text(),
    );
  });
});
