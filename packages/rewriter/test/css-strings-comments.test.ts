import { describe, expect, it } from 'vitest';
import { CssCursor, cssUrls } from '../src/css/css-urls.js';
import type { RewriteStreamOptions } from '../src/resolver-rewriter.js';
import { enc, firstBadSplit, once, splitRewrite } from './helpers/run.js';

const signed = (u: string) => `https://c.test${u}${u.includes('?') ? '&' : '?'}s=1&k=2`;
const A = (u: string) => signed(u).replace(/&/g, '&amp;');
const resolve = (u: string) => (u.startsWith('/p/') ? signed(u) : null);
const rewrite = (): RewriteStreamOptions => ({ resolve });
const skip = (): RewriteStreamOptions => ({ resolve, cssComments: 'skip' });

// [name, input, expected with comments rewritten (default), expected with cssComments: 'skip']
const CSS: [string, string, string, string][] = [
  [
    'url( inside double- and single-quoted strings is text',
    `p::before{content:"url(/p/a)"}q::after{content:'see url(/p/b)'}a{b:url(/p/c)}`,
    `p::before{content:"url(/p/a)"}q::after{content:'see url(/p/b)'}a{b:url(${signed('/p/c')})}`,
    `p::before{content:"url(/p/a)"}q::after{content:'see url(/p/b)'}a{b:url(${signed('/p/c')})}`,
  ],
  [
    'url("...") and url(\'...\') arguments are rewritten',
    `a{b:url("/p/a");c:url( '/p/b' )}p{content:"x"}d{e:url("/p/c")}`,
    `a{b:url("${signed('/p/a')}");c:url( '${signed('/p/b')}' )}p{content:"x"}d{e:url("${signed('/p/c')}")}`,
    `a{b:url("${signed('/p/a')}");c:url( '${signed('/p/b')}' )}p{content:"x"}d{e:url("${signed('/p/c')}")}`,
  ],
  [
    'escaped quotes and backslashes inside strings',
    `p{content:"a\\"url(/p/a)\\\\"}q{content:'it\\'s url(/p/b)'}r{b:url(/p/c)}`,
    `p{content:"a\\"url(/p/a)\\\\"}q{content:'it\\'s url(/p/b)'}r{b:url(${signed('/p/c')})}`,
    `p{content:"a\\"url(/p/a)\\\\"}q{content:'it\\'s url(/p/b)'}r{b:url(${signed('/p/c')})}`,
  ],
  [
    'the other quote inside a string does not end it',
    `p{content:"it's url(/p/a)"}q{content:'say "url(/p/b)"'}r{b:url(/p/c)}`,
    `p{content:"it's url(/p/a)"}q{content:'say "url(/p/b)"'}r{b:url(${signed('/p/c')})}`,
    `p{content:"it's url(/p/a)"}q{content:'say "url(/p/b)"'}r{b:url(${signed('/p/c')})}`,
  ],
  [
    'escaped newline continues a string; a bare newline ends it',
    `p{content:"a\\\nurl(/p/a)"}q{content:"bad\nr{b:url(/p/b)}`,
    `p{content:"a\\\nurl(/p/a)"}q{content:"bad\nr{b:url(${signed('/p/b')})}`,
    `p{content:"a\\\nurl(/p/a)"}q{content:"bad\nr{b:url(${signed('/p/b')})}`,
  ],
  [
    'escaped CRLF continues a string',
    `p{content:"a\\\r\nurl(/p/a)"}r{b:url(/p/b)}`,
    `p{content:"a\\\r\nurl(/p/a)"}r{b:url(${signed('/p/b')})}`,
    `p{content:"a\\\r\nurl(/p/a)"}r{b:url(${signed('/p/b')})}`,
  ],
  [
    'quotes inside comments do not open strings',
    `/* it's old: url(/p/a) */a{b:url(/p/b)}/* "x */c{d:url(/p/c)}`,
    `/* it's old: url(${signed('/p/a')}) */a{b:url(${signed('/p/b')})}/* "x */c{d:url(${signed('/p/c')})}`,
    `/* it's old: url(/p/a) */a{b:url(${signed('/p/b')})}/* "x */c{d:url(${signed('/p/c')})}`,
  ],
  [
    'comment delimiters inside strings are text',
    `p{content:"/*"}a{b:url(/p/a)}q{content:"*/ url(/p/b)"}`,
    `p{content:"/*"}a{b:url(${signed('/p/a')})}q{content:"*/ url(/p/b)"}`,
    `p{content:"/*"}a{b:url(${signed('/p/a')})}q{content:"*/ url(/p/b)"}`,
  ],
  [
    'a url() in a comment that runs past the comment end is not a URL',
    `/* url(/p/a*/) */a{b:url(/p/b)}/**/c{d:url(/p/c)}`,
    `/* url(/p/a*/) */a{b:url(${signed('/p/b')})}/**/c{d:url(${signed('/p/c')})}`,
    `/* url(/p/a*/) */a{b:url(${signed('/p/b')})}/**/c{d:url(${signed('/p/c')})}`,
  ],
  [
    'bad url remnants: quotes inside do not open strings',
    `a{b:url(/p/x"y) c}d{e:url(/p/b)}`,
    `a{b:url(/p/x"y) c}d{e:url(${signed('/p/b')})}`,
    `a{b:url(/p/x"y) c}d{e:url(${signed('/p/b')})}`,
  ],
  [
    'an escaped quote outside a string does not open one',
    `a\\"b{c:url(/p/a)}`,
    `a\\"b{c:url(${signed('/p/a')})}`,
    `a\\"b{c:url(${signed('/p/a')})}`,
  ],
  [
    '@import strings are still rewritten; strings after them are skipped',
    `@import "/p/a.css";p{content:"@import '/p/b.css'"}`,
    `@import "${signed('/p/a.css')}";p{content:"@import '/p/b.css'"}`,
    `@import "${signed('/p/a.css')}";p{content:"@import '/p/b.css'"}`,
  ],
];

describe('CSS strings and comments (CSS responses)', () => {
  for (const [name, input, withComments, withoutComments] of CSS)
    it(name, () => {
      expect(once('css', input, rewrite())).toBe(withComments);
      expect(once('css', input, skip())).toBe(withoutComments);
      expect(firstBadSplit('css', input, rewrite, withComments)).toBe(-1);
      expect(firstBadSplit('css', input, skip, withoutComments)).toBe(-1);
    });

  it('gives the same output under every three-way split', () => {
    const input = `/* a'b */p{content:"x\\"url(/p/a)"}a{b:url("/p/b")}/*url(/p/c)*/`;
    const expected = `/* a'b */p{content:"x\\"url(/p/a)"}a{b:url("${signed('/p/b')}")}/*url(${signed('/p/c')})*/`;
    const bytes = enc.encode(input);
    for (let a = 0; a <= bytes.length; a++)
      for (let b = a; b <= bytes.length; b++) {
        const chunks = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)];
        expect(splitRewrite('css', chunks, rewrite()), `${a},${b}`).toBe(expected);
      }
  });

  it('rejects an unknown cssComments value', () => {
    expect(() => once('css', 'a{}', { resolve, cssComments: 'drop' as 'skip' })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringMatching(/"cssComments"/),
      }),
    );
  });

  it('cssUrls resumes inside a string and a comment across calls (CssCursor)', () => {
    const text = 'p{content:"url(/x)"}/* it\'s */a{b:url(/y)}';
    const bytes = enc.encode(text);
    const y = text.indexOf('/y');
    const whole: number[] = [];
    cssUrls(bytes, 0, bytes.length, true, whole, 1 << 16);
    expect(whole).toEqual([y, y + 2, 0]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const cur = new CssCursor();
      const spans: number[] = [];
      const resume = cssUrls(bytes, 0, cut, false, spans, 1 << 16, 0, cur);
      cssUrls(bytes, resume, bytes.length, true, spans, 1 << 16, 0, cur);
      expect(spans, `cut ${cut}`).toEqual(whole);
    }
  });
});

describe('CSS strings and comments in HTML', () => {
  const HTML: [string, string, string, string][] = [
    [
      '<style> string vs url("...")',
      `<style>p::before{content:"url(/p/a)"} a{background:url("/p/b")}</style>`,
      `<style>p::before{content:"url(/p/a)"} a{background:url("${signed('/p/b')}")}</style>`,
      `<style>p::before{content:"url(/p/a)"} a{background:url("${signed('/p/b')}")}</style>`,
    ],
    [
      '<style> comment with a quote',
      `<style>/* don't: url(/p/a) */a{b:url(/p/b)}</style>`,
      `<style>/* don't: url(${signed('/p/a')}) */a{b:url(${signed('/p/b')})}</style>`,
      `<style>/* don't: url(/p/a) */a{b:url(${signed('/p/b')})}</style>`,
    ],
    [
      'style="" with a single-quoted string and a comment',
      `<p style="content:'url(/p/a)';/* url(/p/b) */background:url(/p/c)">`,
      `<p style="content:'url(/p/a)';/* url(${A('/p/b')}) */background:url(${A('/p/c')})">`,
      `<p style="content:'url(/p/a)';/* url(/p/b) */background:url(${A('/p/c')})">`,
    ],
    [
      'style="" with &quot; strings (decoded before scanning)',
      `<p style="content:&quot;url(/p/a)&quot;;background:url(&quot;/p/b&quot;)">`,
      `<p style="content:&quot;url(/p/a)&quot;;background:url(&quot;${A('/p/b')}&quot;)">`,
      `<p style="content:&quot;url(/p/a)&quot;;background:url(&quot;${A('/p/b')}&quot;)">`,
    ],
  ];
  for (const [name, input, withComments, withoutComments] of HTML)
    it(name, () => {
      expect(once('html', input, rewrite())).toBe(withComments);
      expect(once('html', input, skip())).toBe(withoutComments);
      expect(firstBadSplit('html', input, rewrite, withComments)).toBe(-1);
      expect(firstBadSplit('html', input, skip, withoutComments)).toBe(-1);
    });
});
