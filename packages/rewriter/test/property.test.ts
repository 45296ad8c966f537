// Property: for random attribute values and random replacement URLs, a parse5 re-parse of the
// output shows only the target attribute changed, and it decodes to exactly the replacement.
import fc from 'fast-check';
import { parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import { once } from './helpers/run.js';

type El = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: El[] };

function elements(html: string): { tag: string; attrs: [string, string][] }[] {
  const out: { tag: string; attrs: [string, string][] }[] = [];
  const walk = (n: El) => {
    if (n.attrs) out.push({ tag: n.nodeName, attrs: n.attrs.map((a) => [a.name, a.value]) });
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(parseFragment(html) as unknown as El);
  return out;
}

const CHARS = [
  'a',
  '/',
  '?',
  '=',
  '&',
  '&amp;',
  '&#0;',
  '&lt',
  '"',
  "'",
  '<',
  '>',
  '`',
  '\0',
  ' ',
  '\t',
  '\n',
  '\r\n',
  'é',
  '😀',
  ',',
  '(',
  ')',
  '#',
  '%',
];
const value = fc.array(fc.constantFrom(...CHARS), { maxLength: 12, size: 'max' }).map((a) => a.join(''));

function quoteAs(v: string, q: string): string {
  if (q === '"') return `"${v.replace(/"/g, '&quot;')}"`;
  if (q === "'") return `'${v.replace(/'/g, '&#39;')}'`;
  return v.replace(/[\s"'<>=`]/g, (c) => `&#${c.charCodeAt(0)};`) || 'x';
}

describe('property: only the target attribute changes', () => {
  it('for random values, quotes and replacements', () => {
    fc.assert(
      fc.property(value, value, fc.constantFrom('"', "'", ''), value, (before, raw, q, replacement) => {
        const html = `<p title=${quoteAs(before, '"')}><img alt=${quoteAs(before, "'")} src=${quoteAs(`/p${raw}`, q)} data-x=${quoteAs(before, '"')}>x</p>`;
        const target = `/signed?${replacement}`;
        const out = once('html', html, { resolve: () => target });
        const a = elements(html);
        const b = elements(out);
        expect(b.length).toBe(a.length);
        for (let i = 0; i < a.length; i++) {
          expect(b[i]!.tag).toBe(a[i]!.tag);
          const expectAttrs = a[i]!.attrs.map(([n, v]) => [
            n,
            a[i]!.tag === 'img' && n === 'src' ? target.replace(/\0/g, '\uFFFD').replace(/\r\n?/g, '\n') : v,
          ]);
          expect(b[i]!.attrs).toEqual(expectAttrs);
        }
        // Bytes outside the src value are untouched.
        const at = html.indexOf(' src=');
        expect(out.slice(0, at)).toBe(html.slice(0, at));
      }),
      { numRuns: 500 },
    );
  });
});
