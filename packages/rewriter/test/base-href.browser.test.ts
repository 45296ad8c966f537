// `<base href>` in Chromium: which URL each kind of link is fetched or followed with, on the
// original page and on the rewritten one. Two real servers on 127.0.0.1 (the site and a stand-in
// CDN that records what it is asked for), real Chromium (Debian's, shared launch configuration).
//
// What Chromium does (checked here, every run):
// - links after <base href> are fetched/followed with the base, whatever their kind;
// - img, srcset, script, link, iframe, style and SVG image links before it are fetched with the
//   page URL (they are fetched while the parser stands there);
// - a/area before it are followed with the later base (resolved when clicked); video/audio/
//   source/track src, poster, embed, object and input type=image before it are fetched by a
//   later task, with the later base if the parser reached it by then (usually, not always).
//   A streaming rewriter cannot know that base yet: it signs them for the page URL and reports
//   'base-after-links'.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../test/support/chromium.js';
import { compileRules } from '../src/rules/compile-rules.js';
import { createRewriter } from '../src/rules-rewriter.js';
import { fakeSigner } from './helpers/fake-signer.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** Fetched kinds: name -> markup for a relative link `<name>.<ext>`. */
const EARLY: Record<string, string> = {
  img: '<img src="img.png">',
  srcset: '<img srcset="srcset.png 1x">',
  script: '<script src="script.js"></script>',
  stylesheet: '<link rel=stylesheet href="stylesheet.css">',
  iframe: '<iframe src="iframe.html"></iframe>',
  styleattr: '<div style="background:url(styleattr.png);width:4px;height:4px"></div>',
  styleel: '<style>html{background:url(styleel.png)}</style>',
  svgimage: '<svg><image href="svgimage.png" width="4" height="4"/></svg>',
};
const LATE: Record<string, string> = {
  poster: '<video poster="poster.png"></video>',
  videosrc: '<video preload=auto src="videosrc.png"></video>',
  audio: '<audio preload=auto src="audio.png"></audio>',
  source: '<video preload=auto><source src="source.png"></video>',
  embed: '<embed src="embed.png" type="image/png">',
  object: '<object data="object.png" type="image/png" width="4" height="4"></object>',
  inputimage: '<input type=image src="inputimage.png">',
};
const FOLLOWED: Record<string, string> = {
  anchor: '<a id="anchor" href="anchor.html">a</a>',
  area: '<map name=m><area id="area" href="area.html" shape=rect coords="0,0,4,4"></map>',
};
// (<track> is left out: a cross-origin track needs CORS, which is no matter of base URLs)
const fetchedNames = (kinds: Record<string, string>) => Object.keys(kinds);
/** The same markup with every link renamed `a-<name>` (and its own element for the style rule). */
const renamed = (m: string) =>
  m
    .replace(/(src|href|data|poster|srcset)="/g, '$1="a-')
    .replace(/url\(/g, 'url(a-')
    .replace('html{', 'body{');

const page = (before: string, after: string) =>
  `<!doctype html><html><head><title>base</title></head><body>${before}<p>x</p><base href="/b/"><p>y</p>${after}</body></html>`;

interface Recorder {
  server: Server;
  origin: string;
  hits: string[];
  /** Called after each recorded request. */
  onHit: () => void;
}

async function recorder(handle?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<Recorder> {
  const hits: string[] = [];
  const rec: Partial<Recorder> = { hits, onHit: () => {} };
  const server = createServer((req, res) => {
    if (handle?.(req, res)) return;
    hits.push(new URL(req.url!, 'http://x').pathname);
    rec.onHit!();
    const ext = req.url!.split('?')[0]!.split('.').pop();
    const type =
      ext === 'css'
        ? 'text/css'
        : ext === 'js'
          ? 'text/javascript'
          : ext === 'html'
            ? 'text/html'
            : 'image/png';
    res.writeHead(200, { 'content-type': type });
    res.end(type === 'image/png' ? PNG : '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(rec, {
    server,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }) as Recorder;
}

let site: Recorder;
let cdn: Recorder;
let browser: Browser;
const pages = new Map<string, string>();

beforeAll(async () => {
  cdn = await recorder();
  site = await recorder((req, res) => {
    const html = pages.get(req.url!);
    if (html === undefined) return false;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
    return true;
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  site?.server.close();
  cdn?.server.close();
});

/** Serves `html` as is and rewritten; returns both paths and what the rewriter reported. */
async function serve(name: string, html: string) {
  const rules = compileRules({
    cdn: cdn.origin,
    origins: [site.origin],
    rules: [{ match: '/**', expiresIn: '10m' }],
  });
  const skips: string[] = [];
  const url = `${site.origin}/doc/${name}-rewritten.html`;
  const rw = createRewriter({
    rules,
    signer: fakeSigner().signer,
    request: { url },
    onSkip: (r) => skips.push(r),
  });
  const out = await new Response(new Response(html).body!.pipeThrough(rw.stream('html'))).text();
  pages.set(`/doc/${name}.html`, html);
  pages.set(`/doc/${name}-rewritten.html`, out);
  return { original: `/doc/${name}.html`, rewritten: `/doc/${name}-rewritten.html`, skips, out };
}

/** Loads a page until every named resource was asked for; returns their paths and the followed links. */
async function load(path: string, rec: Recorder, names: string[]) {
  rec.hits.length = 0;
  const stem = (p: string) => p.split('/').pop()!.split('.')[0]!;
  const all = new Promise<void>((resolve) => {
    rec.onHit = () => {
      if (names.every((n) => rec.hits.some((h) => stem(h) === n))) resolve();
    };
  });
  const tab = await browser.newPage();
  await tab.goto(site.origin + path, { waitUntil: 'load' });
  // media and plugins load after the load event; name what never came, rather than time out
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((r) => {
    timer = setTimeout(r, 30_000);
  });
  await Promise.race([all, late]);
  clearTimeout(timer);
  expect(
    names.filter((n) => !rec.hits.some((h) => stem(h) === n)),
    `not requested by ${path}`,
  ).toEqual([]);
  const followed: Record<string, string> = {};
  for (const id of Object.keys(FOLLOWED))
    if ((await tab.$(`#${id}`)) !== null)
      followed[id] = new URL(await tab.$eval(`#${id}`, (a) => (a as HTMLAnchorElement).href)).pathname;
  await tab.close();
  const fetched: Record<string, string> = {};
  // the last request for a resource is the element's own (the preload scanner may guess first)
  for (const h of rec.hits) if (names.includes(stem(h))) fetched[stem(h)] = h;
  return { fetched, followed, hits: [...rec.hits] };
}

describe('<base href> in Chromium, original and rewritten', () => {
  it('every link after <base>, and every early link before it, is signed for the URL Chromium uses', async () => {
    const { original, rewritten, skips } = await serve(
      'after',
      page(
        Object.values(EARLY).join(''),
        [EARLY, LATE, FOLLOWED].flatMap((k) => Object.values(k).map(renamed)).join(''),
      ),
    );
    const names = [
      ...fetchedNames(EARLY),
      ...fetchedNames(EARLY).map((n) => `a-${n}`),
      ...fetchedNames(LATE).map((n) => `a-${n}`),
    ];
    const before = await load(original, site, names);
    const after = await load(rewritten, cdn, names);
    // the browser's own behaviour, as documented above
    for (const n of fetchedNames(EARLY))
      expect(before.fetched[n], n).toBe(`/doc/${n}.${before.fetched[n]!.split('.').pop()}`);
    for (const n of names.filter((x) => x.startsWith('a-'))) expect(before.fetched[n], n).toMatch(/^\/b\//);
    expect(before.followed).toEqual({ anchor: '/b/a-anchor.html', area: '/b/a-area.html' });
    // the rewritten page asks the CDN for exactly those paths, signed
    expect(after.fetched).toEqual(before.fetched);
    expect(after.followed).toEqual(before.followed);
    expect(Object.keys(after.fetched).sort()).toEqual([...names].sort());
    expect(skips).toEqual([]);
  }, 120_000);

  it('late links before <base>: Chromium follows them with the later base; the rewriter reports them', async () => {
    const { original, skips, out } = await serve(
      'late',
      page([LATE, FOLLOWED].flatMap((k) => Object.values(k)).join(''), ''),
    );
    const names = fetchedNames(LATE);
    const before = await load(original, site, names);
    // fetched when the element's task runs: with the later base if the parser got there first
    for (const n of names) expect(before.fetched[n], n).toMatch(/^\/(b|doc)\//);
    expect(before.followed).toEqual({ anchor: '/b/anchor.html', area: '/b/area.html' });
    expect(skips).toEqual(['base-after-links']);
    expect(out).toContain(`${cdn.origin}/doc/anchor.html?`);
  }, 120_000);
});
