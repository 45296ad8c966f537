// `<base href>` as Chromium applies it (see base-href.browser.test.ts for the browser's own
// word): the first HTML <base href> in the document, outside templates, is the base of every
// link after it; links before it keep the page URL, and the rewriter says so when a browser
// would have followed one of them with the later base.
import { describe, expect, it } from 'vitest';
import type { LinkContext } from '../src/stream/link-resolver.js';
import { once } from './helpers/run.js';

function seen(html: string) {
  const links: [string, string | undefined][] = [];
  const skips: [string, string][] = [];
  once('html', html, {
    resolve: (u: string, ctx: LinkContext) => {
      links.push([u, ctx.base]);
      return `${u}?sig`;
    },
    onSkip: (r, d) => skips.push([r, d]),
  });
  return { links, skips };
}

describe('<base href>', () => {
  it('applies to the links after it, wherever it stands (even in <body>)', () => {
    const { links } = seen('<img src=a.png><p><base href="/b/"><img src=c.png><link href=d.css>');
    expect(links).toEqual([
      ['a.png', undefined],
      ['c.png', '/b/'],
      ['d.css', '/b/'],
    ]);
  });

  it('only the first <base href> counts', () => {
    const { links } = seen('<base target=_top><base href="/one/"><base href="/two/"><img src=x.png>');
    expect(links).toEqual([['x.png', '/one/']]);
  });

  it('a <base> in a template or in SVG is no document base', () => {
    const { links } = seen(
      '<template><base href="/t/"></template><svg><base href="/s/"></base></svg><img src=x.png><base href="/real/"><img src=y.png>',
    );
    expect(links.filter(([u]) => u.endsWith('.png'))).toEqual([
      ['x.png', undefined],
      ['y.png', '/real/'],
    ]);
  });

  it('reports late links (followed or fetched after parsing) signed before a later <base>', () => {
    const html =
      '<img src=early.png><a href=late.html>x</a><video poster=p.png></video><a href="https://x.test/abs">y</a><base href="/b/"><a href=after.html>z</a>';
    const { skips } = seen(html);
    expect(skips).toHaveLength(1);
    expect(skips[0]![0]).toBe('base-after-links');
    expect(skips[0]![1]).toMatch(
      `2 relative link(s) before the <base href> at byte ${html.indexOf('<base')} `,
    );
  });

  it('says nothing when only early links come before the <base>', () => {
    expect(seen('<img src=a.png><script src=s.js></script><base href="/b/"><a href=x>').skips).toEqual([]);
  });
});
