import { describe, expect, it } from 'vitest';
import { escapeAttr } from '../src/html/attr-value.js';
import type { RewriteStreamOptions } from '../src/resolver-rewriter.js';
import { dec, enc, firstBadSplit, once, streamed } from './helpers/run.js';

// Replacement texts that exercise the escape-while-writing path of the engine: `&`, both quotes,
// adjacent specials, specials at both ends, and non-ASCII (which takes the exact path).
const REPLACEMENTS = [
  'https://c.test/p/a?x=1&y=2&z=3',
  `https://c.test/p/"q"&'s'&&""`,
  `&"'&`,
  'https://c.test/p/caf\u00e9?a=1&b="2"',
  'plain',
];

const input = (v: string) =>
  `<img src="/p/1"><img src='/p/2'><img src=/p/3 alt=x><img srcset="/p/4 1x, /p/5 2x"><p style='background:url("/p/6")'>${v}`;

function expected(r: string, rest: string): string {
  const dq = escapeAttr(r, '"');
  const sq = escapeAttr(r, "'");
  const css = r.replace(/[\\\n\r\f]/g, (ch) => (ch === '\\' ? '\\\\' : ch)).replace(/"/g, '\\"');
  return `<img src="${dq}"><img src='${sq}'><img src="${dq}" alt=x><img srcset="${dq} 1x, ${dq} 2x"><p style='background:url("${escapeAttr(css, "'")}")'>${rest}`;
}

describe('attribute escaping while writing the output', () => {
  for (const r of REPLACEMENTS)
    it(JSON.stringify(r), async () => {
      const opts = (): RewriteStreamOptions => ({ resolve: (u) => (u.startsWith('/p/') ? r : null) });
      const want = expected(r, 'x');
      expect(once('html', input('x'), opts())).toBe(want);
      expect(firstBadSplit('html', input('x'), opts, want)).toBe(-1);
      // a non-ASCII byte elsewhere in the chunk forces nothing: output is still exact
      expect(once('html', input('\u00fc'), opts())).toBe(expected(r, '\u00fc'));
      // async resolver: escaped after the chunk settles
      const out = await streamed('html', [enc.encode(input('x'))], {
        resolve: async (u) => (u.startsWith('/p/') ? r : null),
      });
      expect(dec.decode(out)).toBe(want);
    });
});
