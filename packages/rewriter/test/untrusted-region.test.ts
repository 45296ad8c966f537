// Untrusted regions: between <!-- cfsign:off --> and <!-- cfsign:on --> nothing is signed, at
// every split point; a marker only counts as a real comment token, as the tokenizer sees it.
import { describe, expect, it } from 'vitest';
import type { RewriteSkipReason } from '../src/stream/scan-options.js';
import { firstBadSplit, once, splitRewrite } from './helpers/run.js';

const resolve = (u: string) => (u.includes('/private/') ? `${u}?sig` : null);

function run(html: string) {
  const skips: [RewriteSkipReason, string][] = [];
  const out = once('html', html, { resolve, onSkip: (r, d) => skips.push([r, d]) });
  return { out, skips };
}

/**
 * Same output whole, at every two-chunk split, and one byte at a time. The charset is declared,
 * so that no prescan holds the (short) document back: every split reaches the scanner.
 */
function chunkSafe(html: string): string {
  const { out } = run(html);
  const opts = () => ({ resolve, charset: 'utf-8' });
  expect(firstBadSplit('html', html, opts, out)).toBe(-1);
  const bytes = new TextEncoder().encode(html);
  const singles = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  expect(splitRewrite('html', singles, opts())).toBe(out);
  return out;
}

const OWN_BEFORE = '<img src="/private/own-1.jpg">';
const OWN_AFTER = '<img src="/private/own-2.jpg">';
const page = (region: string, off = '<!-- cfsign:off -->', on = '<!-- cfsign:on -->') =>
  `<p>${OWN_BEFORE}</p>${off}${region}${on}<p>${OWN_AFTER}</p>`;

describe('untrusted regions', () => {
  it('leaves every link between the markers untouched, and signs the page around them', () => {
    const region =
      '<a href="/private/users/42/tax.pdf">x</a><img src=/private/a.jpg srcset="/private/b.jpg 2x">' +
      '<p style="background:url(/private/c.png)"></p><style>p{background:url(/private/d.png)}</style>' +
      '<svg><image href="/private/e.svg"/></svg><video poster=/private/f.jpg></video>';
    const out = chunkSafe(page(region));
    expect(out).toBe(
      page(region).replace('own-1.jpg', 'own-1.jpg?sig').replace('own-2.jpg', 'own-2.jpg?sig'),
    );
  });

  it('reports each region with the number of links it left alone', () => {
    const html = page('<img src=/private/a.jpg><a href=/public/x>y</a><img alt=none>');
    const { skips } = run(html);
    expect(skips).toEqual([
      [
        'untrusted-region',
        `2 link(s) left unsigned between bytes ${html.indexOf('<!-- cfsign:off')} and ${html.indexOf('<!-- cfsign:on') + 18}`,
      ],
    ]);
  });

  it.each([
    ['<!--cfsign:off-->', '<!--cfsign:on-->'],
    ['<!-- CFSIGN:OFF -->', '<!-- CfSign:On -->'],
    ['<!--\tcfsign:off\n-->', '<!--\r\n cfsign:on \f-->'],
    ['<!-- cfsign:off --!>', '<!-- cfsign:on --!>'],
  ])('recognises %j ... %j', (off, on) => {
    const out = chunkSafe(page('<img src=/private/a.jpg>', off, on));
    expect(out).toContain('<img src=/private/a.jpg>');
    expect(out).toContain('own-1.jpg?sig');
    expect(out).toContain('own-2.jpg?sig');
  });

  it.each([
    '<!-- cfsign: off -->',
    '<!-- cfsign:offf -->',
    '<!cfsign:off>',
    '<?cfsign:off>',
    '<!-- x cfsign:off -->',
    `<!-- cfsign:off${' '.repeat(60)}-->`,
  ])('does not take %j for a marker', (off) => {
    const out = chunkSafe(`${off}<img src=/private/a.jpg>`);
    expect(out).toContain('/private/a.jpg?sig');
  });

  it.each([
    ['an attribute value', '<a title="<!-- cfsign:on -->" href=/private/a>x</a>'],
    ['a single-quoted attribute value', "<a title='<!--cfsign:on-->' href=/private/a>x</a>"],
    ['script text', '<script>var s = "<!-- cfsign:on -->";</script><img src=/private/a.jpg>'],
    ['escaped script text', '<script><!-- <!-- cfsign:on --> --></script><img src=/private/a.jpg>'],
    ['style text', '<style>/* <!-- cfsign:on --> */</style><img src=/private/a.jpg>'],
    ['textarea text', '<textarea><!-- cfsign:on --></textarea><img src=/private/a.jpg>'],
    ['title text', '<title><!--cfsign:on--></title><img src=/private/a.jpg>'],
    ['a CDATA section in SVG', '<svg><![CDATA[<!-- cfsign:on -->]]><image href=/private/a.svg /></svg>'],
    ['a CDATA section in MathML', '<math><![CDATA[x<!--cfsign:on-->]]></math><img src=/private/a.jpg>'],
    ['another comment', '<!-- x <!-- cfsign:on --><img src=/private/a.jpg>'],
    ['a bogus comment', '<!x <!-- cfsign:on --><img src=/private/a.jpg>'],
  ])('a marker inside %s does not end the region', (_where, region) => {
    const html = `<!-- cfsign:off -->${region}`;
    const { out, skips } = run(html);
    expect(chunkSafe(html)).toBe(html);
    expect(out).toBe(html);
    expect(skips.map(([r]) => r)).toEqual(['untrusted-region-unclosed']);
  });

  it('a marker split across chunks is still found (and the links after it signed)', () => {
    const html = page('<img src=/private/a.jpg>');
    const bytes = new TextEncoder().encode(html);
    const at = html.indexOf('cfsign:on') + 4;
    const out = splitRewrite(
      'html',
      [bytes.subarray(0, at), bytes.subarray(at, at + 3), bytes.subarray(at + 3)],
      { resolve, charset: 'utf-8' },
    );
    expect(out).toContain('own-2.jpg?sig');
    expect(out).toContain('<img src=/private/a.jpg>');
  });

  it('an unclosed region leaves the rest of the page unsigned and says so', () => {
    const html = `${OWN_BEFORE}<!-- cfsign:off --><img src=/private/a.jpg>${OWN_AFTER}`;
    const { out, skips } = run(html);
    expect(out).toBe(html.replace('own-1.jpg', 'own-1.jpg?sig'));
    expect(skips).toEqual([
      [
        'untrusted-region-unclosed',
        'the untrusted region opened at byte 30 has no <!-- cfsign:on --> after it: 2 link(s) to the end of the page left unsigned',
      ],
    ]);
  });

  it('regions do not nest; a stray on outside a region is nothing', () => {
    const html = `<!-- cfsign:on --><img src=/private/a.jpg><!-- cfsign:off --><!-- cfsign:off --><img src=/private/b.jpg><!-- cfsign:on --><img src=/private/c.jpg>`;
    const out = chunkSafe(html);
    expect(out).toContain('/private/a.jpg?sig');
    expect(out).toContain('<img src=/private/b.jpg>');
    expect(out).toContain('/private/c.jpg?sig');
  });

  it('a <base href> inside a region is not taken as the base of the page', () => {
    const seen: (string | undefined)[] = [];
    const skips: string[] = [];
    const html = '<!-- cfsign:off --><base href="/private/users/42/"><!-- cfsign:on --><img src=avatar.jpg>';
    once('html', html, {
      resolve: (u, ctx) => {
        seen.push(ctx.base);
        return `${u}?sig`;
      },
      onSkip: (r) => skips.push(r),
    });
    expect(seen).toEqual([undefined]);
    expect(skips).toContain('base-in-untrusted-region');
  });

  it('foreign content and raw text opened in a region keep their meaning after it', () => {
    // The region's own <svg> stays open: the page's <img> after it breaks out as a browser does.
    const html = page('<svg><a href=/private/a>');
    const out = chunkSafe(html);
    expect(out).toContain('own-2.jpg?sig');
    expect(out).toContain('<a href=/private/a>');
  });
});
