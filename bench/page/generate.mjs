// The standard benchmark page: a deterministic (seeded) ~250 KB page of an online course platform,
// built together with its ideal rewritten form, so that a rewriter's output can be compared byte for
// byte. The rule is in ./spec.mjs. The page mixes what real pages hold: protected links in every
// attribute a browser fetches or follows (src, srcset, poster, href, style url()), protected url()s
// in a <style> element, links written with entities, single quotes and no quotes, upper-case
// markup, public assets, and decoys that must stay untouched (script and JSON text, comments, text,
// textarea and noscript content, data-* and title attributes, other hosts, "/privateer/").
//
//   node bench/page/generate.mjs [--expected | --stats] [--seed N] > page.html
import { escapeAttr, fakeSignUrl } from './spec.mjs';

/** splitmix32: a small, well-mixed 32-bit generator; deterministic for a seed. */
function splitmix32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

const TOPICS = ['photography', 'lighting', 'color', 'editing', 'portrait', 'landscape', 'studio', 'film'];
const WORDS = (
  'the a of and to in learn lesson light shadow frame lens focus exposure aperture shutter story color ' +
  'grade scene camera studio portrait street night natural soft hard edge detail print archive module ' +
  'practice project review chapter notes quiet bright warm cool texture depth motion still handheld'
).split(' ');

/** Builds the input and the ideal output side by side. */
class PageBuilder {
  input = [];
  expected = [];
  stats = { targets: 0, publicRefs: 0, decoys: 0, byContext: {} };

  /** Text that is the same in both. */
  same(text) {
    this.input.push(text);
    this.expected.push(text);
  }

  /** Text that differs: the input and its rewritten form. */
  pair(input, expected, context, links = 1) {
    this.input.push(input);
    this.expected.push(expected);
    this.stats.targets += links;
    this.stats.byContext[context] = (this.stats.byContext[context] ?? 0) + links;
  }

  /** ` name="url"` with a protected URL; `raw` writes the input value differently (entities). */
  link(name, url, { quote = '"', raw, context = name } = {}) {
    const written = raw ?? (quote === '' ? url : escapeAttr(url, quote));
    const q = quote === '' ? '"' : quote;
    this.pair(
      ` ${name}=${quote}${written}${quote}`,
      ` ${name}=${q}${escapeAttr(fakeSignUrl(url), q)}${q}`,
      context,
    );
  }

  /** ` srcset="..."` whose candidates are all protected. */
  srcset(name, candidates) {
    const before = candidates.map(([u, d]) => `${u} ${d}`).join(', ');
    const after = candidates.map(([u, d]) => `${fakeSignUrl(u)} ${d}`).join(', ');
    this.pair(
      ` ${name}="${escapeAttr(before)}"`,
      ` ${name}="${escapeAttr(after)}"`,
      'srcset',
      candidates.length,
    );
  }

  /** ` style="..."` with one protected url(), quoted with `q` inside the CSS. */
  style(url, q, css = (u) => `background-image:url(${q}${u}${q});background-position:center`) {
    this.pair(
      ` style="${escapeAttr(css(url))}"`,
      ` style="${escapeAttr(css(fakeSignUrl(url)))}"`,
      'style-attribute',
    );
  }

  /** A public asset reference (never rewritten). */
  asset(name, url) {
    this.same(` ${name}="${escapeAttr(url)}"`);
    this.stats.publicRefs++;
  }

  /** Text holding a protected-looking URL in a place no browser fetches it from. */
  decoy(text) {
    this.same(text);
    this.stats.decoys++;
  }

  bytes() {
    let n = 0;
    for (const s of this.input) n += Buffer.byteLength(s);
    return n;
  }
}

/**
 * Generates the standard page.
 * @param {{ seed?: number, targetBytes?: number }} [options]
 * @returns {{ html: string, expected: string, stats: { targets: number, publicRefs: number, decoys: number, byContext: Record<string, number>, inputBytes: number, expectedBytes: number } }}
 */
export function generatePage({ seed = 7_2024, targetBytes = 250_000 } = {}) {
  const rnd = splitmix32(seed);
  const textRnd = splitmix32(seed ^ 0x5bd1e995);
  const int = (lo, hi, r = rnd) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (list, r = rnd) => list[Math.floor(r() * list.length)];
  const words = (n, r = rnd) => Array.from({ length: n }, () => pick(WORDS, r)).join(' ');
  const sentence = (r = rnd) => {
    const w = words(int(7, 15, r), r);
    return `${w[0].toUpperCase()}${w.slice(1)}.`;
  };
  const id = (n) =>
    Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[int(0, 35)]).join('');
  const p = new PageBuilder();

  // ---- head -----------------------------------------------------------------------------------
  p.same('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n');
  p.same('<meta name="viewport" content="width=device-width, initial-scale=1">\n');
  p.same('<title>Light &amp; Shadow &mdash; Courses &lt;members&gt;</title>\n');
  p.same('<link rel="preconnect" href="https://d111111abcdef8.cloudfront.net" crossorigin>\n');
  p.same('<link rel="stylesheet"');
  p.asset('href', `/assets/app.${id(10)}.css`);
  p.same('>\n<link rel="stylesheet"');
  p.link('href', '/private/css/course-theme.css?v=12&dark=1', { context: 'link-href-query' });
  p.same(' media="screen">\n<link rel="preload" as="image"');
  p.link('href', '/private/img/hero/studio-2000.jpg');
  p.same(' fetchpriority="high">\n<link rel="modulepreload"');
  p.link('href', '/private/js/player.mjs');
  p.same('>\n<script type="module"');
  p.link('src', '/private/js/player.mjs');
  p.same('></script>\n<script');
  p.asset('src', `/assets/vendor.${id(10)}.js`);
  p.same(' defer></script>\n');

  // <style>: protected url()s in the three quotings, public ones, a data: URI, a commented one
  p.same('<style>\n:root{--accent:#e4572e;--gap:12px}\nbody{margin:0;font:15px/1.6 Georgia,serif}\n');
  for (let i = 0; i < 24; i++) {
    const q = ['"', '', "'"][i % 3];
    const u = `/private/img/icons/${pick(TOPICS)}-${i}.${i % 4 === 0 ? 'svg' : 'png'}`;
    const rule = (x) =>
      `.ico-${i}::before{content:"";background:url(${q}${x}${q}) center/contain no-repeat}\n`;
    p.pair(rule(u), rule(fakeSignUrl(u)), 'style-element');
    if (i % 6 === 0) {
      p.same(`.pat-${i}{background-image:url(/assets/patterns/p-${i}.png)}\n`);
      p.stats.publicRefs++;
    }
  }
  p.same(
    '.loading{background:url("data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E")}\n',
  );
  p.pair(
    '/* retired: url(/private/img/icons/old-sprite.png) */\n',
    `/* retired: url(${fakeSignUrl('/private/img/icons/old-sprite.png')}) */\n`,
    'style-element',
  );
  p.same('</style>\n');

  // scripts and JSON: text, never fetched by the browser from there
  const lessons = Array.from({ length: 10 }, (_, i) => `"/private/video/l-${i}/master.m3u8"`).join(',');
  p.decoy(
    `<script>self.__BOOT__={"media":"/private/","lessons":[${lessons}]};\n` +
      `if (a < b && b > c) { fetch("/private/api/progress?u=" + uid); }\nconst tpl = '<img src="/private/img/x.jpg">';\n</script>\n`,
  );
  p.decoy(
    '<script type="application/ld+json">{"@type":"Course","image":"/private/img/courses/ld.jpg","hasPart":["/private/video/ld.mp4"]}</script>\n',
  );
  p.same('</head>\n');

  // ---- body: navigation and hero ------------------------------------------------------------
  p.same('<body class="catalog">\n<header>\n<a href="/"><img');
  p.asset('src', '/assets/logo.svg');
  p.same(' alt="Light &amp; Shadow" width="140" height="28"></a>\n<nav>\n');
  for (let i = 0; i < 12; i++) {
    p.same('<a');
    p.asset('href', `/topics/${pick(TOPICS)}-${i}`);
    p.same(`>${words(2)}</a>\n`);
  }
  p.same('</nav>\n</header>\n<main>\n<section class="hero"');
  p.style('/private/img/hero/studio-2000.jpg', "'");
  p.same(`>\n<h1>${sentence()}</h1>\n<p>${sentence()}</p>\n</section>\n`);
  p.decoy('<!-- old hero: <img src="/private/img/hero/v1.jpg"> -->\n');
  p.decoy('<noscript><img src="/private/img/hero/noscript.jpg" alt=""></noscript>\n');

  // ---- course catalog: 39 cards x (src + 3 srcset) + downloads + badges -----------------------
  p.same('<section class="courses">\n');
  for (let i = 0; i < 39; i++) {
    const course = `${pick(TOPICS)}-${int(100, 999)}-${id(4)}`;
    const base = `/private/img/courses/${course}`;
    p.same(`<article class="course" data-id="${course}">\n<a`);
    p.asset('href', `/courses/${course}`);
    p.same('>\n<img');
    p.link('src', `${base}-400.webp`);
    if (i % 2 === 0) {
      p.srcset('srcset', [
        [`${base}-400.webp`, '400w'],
        [`${base}-800.webp`, '800w'],
        [`${base}-1600.webp`, '1600w'],
      ]);
      p.same(' sizes="(min-width: 900px) 33vw, 100vw"');
    } else {
      p.srcset('srcset', [
        [`${base}-400.webp`, '1x'],
        [`${base}-800.webp`, '2x'],
        [`${base}-1200.webp`, '3x'],
      ]);
    }
    p.same(` alt="${words(3)}" loading="lazy" width="400" height="225"></a>\n`);
    p.same(`<h2>${words(4)}</h2>\n<p>${sentence()} ${sentence()}</p>\n`);
    if (i % 4 === 0) {
      p.same('<a class="syllabus"');
      p.link('href', `/private/docs/${course}/syllabus.pdf?lang=en&edition=2`, { context: 'a-href-amp' });
      p.same(' download>Syllabus</a>\n');
    }
    if (i % 5 === 2) {
      p.same('<span class="badge"');
      p.style(`/private/img/badges/level-${i % 3}.png`, '"');
      p.same('></span>\n');
    }
    if (i % 7 === 3)
      p.decoy(
        `<button data-preview="/private/video/${course}/preview.mp4" title="/private/preview">Preview</button>\n`,
      );
    p.same('</article>\n');
  }
  p.same('</section>\n');

  // ---- lessons: video with poster, two sources, a protected caption track --------------------
  p.same('<section class="lessons">\n');
  for (let i = 0; i < 12; i++) {
    const v = `/private/video/lesson-${200 + i}`;
    p.same('<figure>\n<video controls playsinline preload="metadata"');
    p.link('poster', `${v}/poster.jpg`);
    p.same('>\n<source');
    p.link('src', `${v}/1080.mp4`);
    p.same(' type="video/mp4">\n<source');
    p.link('src', `${v}/720.webm`);
    p.same(' type="video/webm">\n<track kind="subtitles" srclang="en"');
    p.asset('src', `/assets/captions/lesson-${200 + i}.vtt`);
    p.same(`>\n</video>\n<figcaption>${sentence()}</figcaption>\n</figure>\n`);
  }
  p.same('</section>\n');

  // ---- podcast episodes ------------------------------------------------------------------------
  p.same('<section class="podcast">\n');
  for (let i = 0; i < 8; i++) {
    p.same('<audio controls preload="none"');
    p.link('src', `/private/audio/episode-${i + 1}.mp3`);
    p.same(`></audio>\n<p>${sentence()}</p>\n`);
  }
  p.same('</section>\n');

  // ---- gallery: picture with an avif source srcset and an img ----------------------------------
  p.same('<section class="gallery">\n');
  for (let i = 0; i < 8; i++) {
    const g = `/private/img/gallery/g-${i}`;
    p.same('<picture>\n<source type="image/avif"');
    p.srcset('srcset', [
      [`${g}-720.avif`, '720w'],
      [`${g}-1440.avif`, '1440w'],
    ]);
    p.same('>\n<img');
    p.link('src', `${g}-1440.jpg`);
    p.same(` alt="${words(3)}">\n</picture>\n`);
  }
  p.same('</section>\n');

  // ---- an article: entities, quotes, no quotes, upper case -------------------------------------
  p.same('<article class="notes">\n');
  for (let i = 0; i < 24; i++) {
    p.same(`<p>${sentence()} ${sentence()}</p>\n<img`);
    const u = `/private/img/notes/n-${i}.jpg`;
    switch (i % 6) {
      case 0:
        p.link('src', `${u}?w=960&fit=crop`, { quote: "'", context: 'single-quote-amp' });
        break;
      case 1:
        p.link('src', u, { raw: u.replace('/private/', '&#47;private&#x2F;'), context: 'numeric-entities' });
        break;
      case 2:
        p.link('src', u, { quote: '', context: 'unquoted' });
        break;
      case 3:
        p.input.push(' SRC="');
        p.expected.push(' SRC="');
        p.pair(u, escapeAttr(fakeSignUrl(u)), 'upper-case-name');
        p.same('"');
        break;
      default:
        p.link('src', u);
    }
    p.same(` alt="${words(2)}">\n`);
    if (i % 4 === 1) p.decoy(`<p>The original file is at /private/img/notes/n-${i}.tif for members.</p>\n`);
    if (i % 5 === 3) p.decoy(`<!-- <a href="/private/docs/draft-${i}.pdf">draft</a> -->\n`);
  }
  p.decoy('<form><textarea name="bio"><img src="/private/img/notes/pasted.jpg"></textarea></form>\n');
  for (let i = 0; i < 4; i++) {
    p.same('<img');
    p.asset('src', `https://media.partner.example/private/promo-${i}.jpg`);
    p.same(' alt="promo">\n');
    p.stats.decoys++;
  }
  for (let i = 0; i < 3; i++) {
    p.same('<img');
    p.asset('src', `/privateer/crew-${i}.png`);
    p.same(' alt="crew">\n');
  }
  p.same('</article>\n');
  const fillerAt = p.input.length;

  // ---- footer ------------------------------------------------------------------------------------
  p.same('</main>\n<footer>\n<ul>\n');
  for (let i = 0; i < 6; i++) {
    p.same('<li><a');
    p.link('href', `/private/docs/handbook-${2025 + i}.pdf`);
    p.same(` download>Handbook ${2025 + i}</a></li>\n`);
  }
  for (let i = 0; i < 8; i++) {
    p.same('<li><a');
    p.asset('href', `/help/${pick(WORDS)}-${i}`);
    p.same(`>${words(2)}</a></li>\n`);
  }
  p.same(
    '</ul>\n<p>&copy; 2030 Light &amp; Shadow &middot; Caf\u00e9 r\u00e9sum\u00e9 \u2014 \u6f22\u5b57</p>\n',
  );
  p.decoy(
    `<script>for (const a of document.querySelectorAll('a[href^="/private/"]')) a.rel = "noopener";</script>\n`,
  );
  p.same('</footer>\n</body>\n</html>\n');

  // ---- long-read filler up to the target size, inserted before the footer ---------------------
  const filler = ['<section class="long-read">\n'];
  let size = p.bytes() + Buffer.byteLength('</section>\n') + Buffer.byteLength(filler[0]);
  while (size < targetBytes) {
    const para = `<p>${sentence(textRnd)} ${sentence(textRnd)} ${sentence(textRnd)} <em>${words(2, textRnd)}</em> &amp; \u00e9t\u00e9.</p>\n`;
    filler.push(para);
    size += Buffer.byteLength(para);
  }
  filler.push('</section>\n');
  const fillerHtml = filler.join('');
  p.input.splice(fillerAt, 0, fillerHtml);
  p.expected.splice(fillerAt, 0, fillerHtml);

  const html = p.input.join('');
  const expected = p.expected.join('');
  return {
    html,
    expected,
    stats: { ...p.stats, inputBytes: Buffer.byteLength(html), expectedBytes: Buffer.byteLength(expected) },
  };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: { expected: { type: 'boolean' }, stats: { type: 'boolean' }, seed: { type: 'string' } },
  });
  const page = generatePage(values.seed ? { seed: Number(values.seed) } : {});
  if (values.stats) console.log(JSON.stringify(page.stats, null, 2));
  else process.stdout.write(values.expected ? page.expected : page.html);
}
