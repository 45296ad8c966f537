import { describe, expect, it } from 'vitest';
import type { LinkContext } from '../src/stream/link-resolver.js';
import { dec, enc, firstBadSplit, once, splitRewrite, streamed } from './helpers/run.js';

const SIG = 's=1&k=2';
const signed = (u: string) => `https://c.test${u}${u.includes('?') ? '&' : '?'}${SIG}`;
const resolve = (u: string) => (u.startsWith('/p/') ? signed(u) : null);
const A = (u: string) => signed(u).replace(/&/g, '&amp;');

// [name, input, expected]
const FIXTURES: [string, string, string][] = [
  ['img src', '<img src="/p/a.jpg">', `<img src="${A('/p/a.jpg')}">`],
  [
    'upper-case, single quotes, &amp; in input',
    "<IMG SRC='/p/a.jpg?x=1&amp;y=2'>",
    `<IMG SRC='${A('/p/a.jpg?x=1&y=2')}'>`,
  ],
  ['unquoted gets quotes', '<img src=/p/a.jpg alt=x>', `<img src="${A('/p/a.jpg')}" alt=x>`],
  [
    'duplicate attribute: only the first (the one browsers use)',
    '<img src="/p/a.jpg" src="/p/b.jpg">',
    `<img src="${A('/p/a.jpg')}" src="/p/b.jpg">`,
  ],
  [
    'numeric and named references',
    '<img src="/p&#47;a.jpg?a=1&amp;b=&lt;">',
    `<img src="${A('/p/a.jpg?a=1&b=<')}">`,
  ],
  [
    'srcset, every candidate',
    '<img srcset="/p/a.jpg 1x, /p/b.jpg 2x,/x.jpg 3x">',
    `<img srcset="${A('/p/a.jpg')} 1x, ${A('/p/b.jpg')} 2x,/x.jpg 3x">`,
  ],
  [
    'srcset with references',
    '<source srcset="/p/a.jpg 1x,&#32;/p/b.jpg 2x">',
    `<source srcset="${A('/p/a.jpg')} 1x, ${A('/p/b.jpg')} 2x">`,
  ],
  [
    'imagesrcset on link',
    '<link rel=preload as=image imagesrcset="/p/a.jpg 480w">',
    `<link rel=preload as=image imagesrcset="${A('/p/a.jpg')} 480w">`,
  ],
  [
    'style attribute',
    '<div style="background:url(/p/a.png) no-repeat">',
    `<div style="background:url(${A('/p/a.png')}) no-repeat">`,
  ],
  [
    'style attribute with &quot;',
    '<div style="background:url(&quot;/p/a.png&quot;)">',
    `<div style="background:url(&quot;${A('/p/a.png')}&quot;)">`,
  ],
  [
    'style element',
    '<style>a{background:url(\'/p/a.png\')}\n@import "/p/b.css";</style>',
    `<style>a{background:url('${signed('/p/a.png')}')}\n@import "${signed('/p/b.css')}";</style>`,
  ],
  [
    'decoys in script, comment, textarea, title, noscript, data-*',
    '<script>x="<img src=\'/p/a.jpg\'>"</script><!-- <img src="/p/b.jpg"> --><textarea><img src="/p/c.jpg"></textarea><title>/p/d.jpg <img src=/p/e.jpg></title><noscript><img src="/p/f.jpg"></noscript><div data-src="/p/g.jpg" title="/p/h.jpg">/p/i.jpg</div>',
    '<script>x="<img src=\'/p/a.jpg\'>"</script><!-- <img src="/p/b.jpg"> --><textarea><img src="/p/c.jpg"></textarea><title>/p/d.jpg <img src=/p/e.jpg></title><noscript><img src="/p/f.jpg"></noscript><div data-src="/p/g.jpg" title="/p/h.jpg">/p/i.jpg</div>',
  ],
  [
    'every link element',
    '<a href="/p/1"><area href="/p/2"><link href="/p/3"><video src="/p/4" poster="/p/5"><audio src="/p/6"><track src="/p/7"><script src="/p/8"></script><embed src="/p/9"><iframe src="/p/10"></iframe><object data="/p/11"><input type=image src="/p/12"><image src="/p/13">',
    `<a href="${A('/p/1')}"><area href="${A('/p/2')}"><link href="${A('/p/3')}"><video src="${A('/p/4')}" poster="${A('/p/5')}"><audio src="${A('/p/6')}"><track src="${A('/p/7')}"><script src="${A('/p/8')}"></script><embed src="${A('/p/9')}"><iframe src="${A('/p/10')}"></iframe><object data="${A('/p/11')}"><input type=image src="${A('/p/12')}"><image src="${A('/p/13')}">`,
  ],
  [
    'not link attributes',
    '<img alt="/p/1" title="/p/2"><a data-href="/p/3" name="/p/4"><div src="/p/5" href="/p/6">',
    '<img alt="/p/1" title="/p/2"><a data-href="/p/3" name="/p/4"><div src="/p/5" href="/p/6">',
  ],
  [
    'meta og:image / twitter:image only',
    '<meta property="og:image" content="/p/og.jpg"><meta name="twitter:image" content="/p/tw.jpg"><meta name="description" content="/p/x">',
    `<meta property="og:image" content="${A('/p/og.jpg')}"><meta name="twitter:image" content="${A('/p/tw.jpg')}"><meta name="description" content="/p/x">`,
  ],
  [
    'SVG href and xlink:href',
    '<svg><image href="/p/i.png"/><use xlink:href="/p/s.svg#i"/><style>.a{}</style></svg>',
    `<svg><image href="${A('/p/i.png')}"/><use xlink:href="${A('/p/s.svg#i')}"/><style>.a{}</style></svg>`,
  ],
  [
    'CRLF kept, value normalized',
    '<img\r\nsrc="/p/a.jpg"\r\n alt="x\r\ny">\r\n',
    `<img\r\nsrc="${A('/p/a.jpg')}"\r\n alt="x\r\ny">\r\n`,
  ],
  [
    'non-ASCII around',
    '<p>Café ☕</p><img alt="é" src="/p/é.jpg">',
    `<p>Café ☕</p><img alt="é" src="${A('/p/é.jpg')}">`,
  ],
  [
    'script escape states',
    '<script><!--<script></script><img src=/p/x></script>--></script><img src=/p/y>',
    `<script><!--<script></script><img src=/p/x></script>--></script><img src="${A('/p/y')}">`,
  ],
  ['no-value and empty', '<img src><img src=""><img src="  ">', '<img src><img src=""><img src="  ">'],
];

const opts = () => ({ resolve });

describe('HTML rewriting', () => {
  for (const [name, input, expected] of FIXTURES) {
    it(name, () => {
      expect(once('html', input, opts())).toBe(expected);
      expect(firstBadSplit('html', input, opts, expected)).toBe(-1);
    });
  }

  it('gives the same output fed one byte at a time and three-way split', () => {
    const all = FIXTURES.map((f) => f[1]).join('\n');
    const want = FIXTURES.map((f) => f[2]).join('\n');
    const bytes = enc.encode(all);
    expect(
      splitRewrite(
        'html',
        Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)),
        opts(),
      ),
    ).toBe(want);
    for (let a = 0; a < bytes.length; a += 7)
      for (let b = a; b < bytes.length; b += 13)
        expect(
          splitRewrite('html', [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)], opts()),
        ).toBe(want);
  });

  it('gives the same output with an async resolver through the TransformStream', async () => {
    const all = FIXTURES.map((f) => f[1]).join('\n');
    const want = FIXTURES.map((f) => f[2]).join('\n');
    const bytes = enc.encode(all);
    const asyncResolve = async (u: string) => resolve(u);
    for (const size of [1, 3, 64, 100_000]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(dec.decode(await streamed('html', chunks, { resolve: asyncResolve })), `chunk ${size}`).toBe(
        want,
      );
    }
  });

  it('escapes quotes and ampersands of the replacement for the original quote', () => {
    const r = () => `/x?a="1"&b='2'`;
    expect(once('html', `<img src="/p"><img src='/p'><img src=/p>`, { resolve: r })).toBe(
      `<img src="/x?a=&quot;1&quot;&amp;b='2'"><img src='/x?a="1"&amp;b=&#39;2&#39;'><img src="/x?a=&quot;1&quot;&amp;b='2'">`,
    );
  });

  it('honours configured extra attributes (data-src, data-srcset)', () => {
    const out = once('html', '<img data-src="/p/a.jpg" data-srcset="/p/b.jpg 2x">', {
      resolve,
      attributes: ['data-src', 'data-srcset'],
    });
    expect(out).toBe(`<img data-src="${A('/p/a.jpg')}" data-srcset="${A('/p/b.jpg')} 2x">`);
  });

  it('passes the <base href> and the context to the resolver', () => {
    const seen: [string, LinkContext][] = [];
    once('html', '<base href="/media/"><img src="a.jpg"><div style="background:url(b.png)">', {
      resolve: (u, ctx) => {
        seen.push([u, ctx]);
        return null;
      },
    });
    expect(seen).toEqual([
      ['a.jpg', { kind: 'html', tag: 'img', attr: 'src', base: '/media/' }],
      ['b.png', { kind: 'css', tag: 'div', attr: 'style', base: '/media/' }],
    ]);
  });

  it('passes an oversized tag through untouched, with a skip reason', () => {
    const big = `<img alt="${'x'.repeat(5000)}" src="/p/a.jpg"><img src="/p/b.jpg">`;
    const bytes = enc.encode(big);
    const skips: string[] = [];
    const out = splitRewrite('html', [bytes.subarray(0, 3000), bytes.subarray(3000)], {
      resolve,
      maxTokenBytes: 1024,
      onSkip: (r) => skips.push(r),
    });
    expect(out).toBe(`<img alt="${'x'.repeat(5000)}" src="/p/a.jpg"><img src="${A('/p/b.jpg')}">`);
    expect(skips).toEqual(['token-too-large']);
  });

  it('fails the stream when a signature fails (never a truncated body)', async () => {
    const bad = async (u: string) => {
      if (u === '/p/b.jpg') throw new Error('KMS down');
      return resolve(u);
    };
    await expect(
      streamed('html', [enc.encode('<img src="/p/a.jpg"><img src="/p/b.jpg">')], { resolve: bad }),
    ).rejects.toThrow('KMS down');
  });

  it('leaves non-ASCII-compatible charsets untouched', () => {
    const skips: string[] = [];
    expect(
      once('html', '<img src="/p/a.jpg">', { resolve, charset: 'utf-16le', onSkip: (r) => skips.push(r) }),
    ).toBe('<img src="/p/a.jpg">');
    expect(skips).toEqual(['charset']);
  });

  it('writes non-ASCII as references in windows-1252 documents', () => {
    const latin = new Uint8Array([...enc.encode('<img src="/p/a.jpg" alt="'), 0xe9, ...enc.encode('">')]);
    const out = rewriteLatin(latin);
    expect(out.slice(0, -3)).toEqual(new Uint8Array([...enc.encode(`<img src="${A('/p/a.jpg')}" alt="`)]));
    expect(out[out.length - 3]).toBe(0xe9);
  });
});

import { rewriteBytes } from '../src/resolver-rewriter.js';

function rewriteLatin(bytes: Uint8Array): Uint8Array {
  return rewriteBytes('html', bytes, { resolve, charset: 'windows-1252' }) as Uint8Array;
}
