// A seeded, grammar-based generator of HTML documents for the tree differential: nesting of
// foreign content and its integration points, templates, noscript, select, tables, raw text,
// RCDATA and the script escape states, CDATA, comments, bogus comments, entities in attributes
// and end tags with whitespace, attributes or `/`. Probe links (`/p/<n>.x`, each unique) are
// injected at many positions: in link attributes, in decoy attributes, inside raw text, comments
// and CDATA.

/** mulberry32: a small, fast, seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where the generator is: which content the parser is in, so it picks meaningful children. */
type Ctx = 'html' | 'svg' | 'math' | 'select' | 'table';

export class DocGen {
  private n = 0;
  private readonly r: () => number;

  constructor(seed: number) {
    this.r = rng(seed);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }

  private chance(p: number): boolean {
    return this.r() < p;
  }

  /** A fresh probe URL. */
  probe(): string {
    return `/p/${this.n++}.x`;
  }

  /** A probe written as an attribute value in one of the quoting/escaping forms. */
  private value(): string {
    const p = this.probe();
    return this.pick([
      `"${p}"`,
      `'${p}'`,
      `${p} `,
      `"&#x2F;${p.slice(1)}"`,
      `"${p.replace('.x', '&period;x')}"`,
    ]);
  }

  private attrs(name: string): string {
    const eq = this.pick(['=', '=', ' = ', '=\n']);
    const extra = this.chance(0.3) ? ` title="${this.probe()}"` : '';
    return this.chance(0.5)
      ? ` ${name}${eq}${this.value()}${extra}`
      : `${extra} ${name.toUpperCase()}${eq}${this.value()}`;
  }

  /** An element that loads or follows a link, in HTML content. */
  private htmlLink(): string {
    switch (Math.floor(this.r() * 5)) {
      case 0:
        return `<img${this.attrs('src')}>`;
      case 1:
        return `<a${this.attrs('href')}>t</a>`;
      case 2:
        return `<img${this.attrs('src')}/>`;
      case 3:
        return `<video${this.attrs('poster')}></video>`;
      default:
        return `<div style="background:url(${this.probe()})">d</div>`;
    }
  }

  /** A decoy: a probe in a position that is not a link. */
  private decoy(): string {
    return this.pick([
      () => `<span data-x="${this.probe()}">s</span>`,
      () => `${this.probe()} `,
      () => `<!-- <img src=${this.probe()}> -->`,
    ])();
  }

  private endTag(name: string): string {
    return this.pick([
      `</${name}>`,
      `</${name.toUpperCase()}>`,
      `</${name} >`,
      `</${name}\n>`,
      `</${name}/>`,
      `</${name} x=">">`,
      `</${name} a=b/>`,
    ]);
  }

  /** Raw text content that hides probe tags (they must never be signed). */
  private rawText(name: string): string {
    const hidden = `<img src=${this.probe()}>`;
    const lure = this.pick([`</${name}x>`, `</${name.slice(0, -1)}>`, `<${name}>`, '<', '</', '']);
    return `${lure}${hidden}`;
  }

  private script(): string {
    const p = () => `<img src=${this.probe()}>`;
    const body = this.pick([
      () => `var s = "${p()}";`,
      () => `<!-- ${p()} -->`,
      () => `<!--<script>${p()}</script>${p()}-->`,
      () => `<!-- <script> ${p()} -- > </script> ${p()}`,
      () => `<!--<script>x</scrip${p()}`,
      () => `<!--x--!>${p()}`,
      () => `<!-- <\\/script> ${p()} -->`,
    ])();
    // An unfinished double-escape swallows the end tag: close it so the document stays bounded.
    const close = this.endTag('script');
    return `<script${this.chance(0.2) ? ' type="text/x"' : ''}>${body}${close}${close}-->${close}`;
  }

  private comment(): string {
    const p = this.probe();
    return this.pick([
      `<!-- <img src=${p}> -->`,
      `<!--><img src=${p}>`,
      `<!---><img src=${p}>`,
      `<!-- x --!><img src=${p}>`,
      `<!-- a -- b <img src=${p}> -->`,
      `<? <img src=${p} ?>`,
      `</ <img src=${p}>`,
      `<!x <img src=${p}>`,
      `<![CDATA[ <img src=${p}> ]]>`,
      `<!DOCTYPE <img src=${p}>`,
    ]);
  }

  private cdata(): string {
    return this.pick([
      `<![CDATA[x><img src=${this.probe()}>]]>`,
      `<![CDATA[]]]><img src=${this.probe()}>]]>`,
      `<![CDATA[ ]] ]]>`,
    ]);
  }

  /** A sequence of children in a context. */
  children(ctx: Ctx, depth: number): string {
    let out = '';
    const count = 1 + Math.floor(this.r() * (depth > 1 ? 2 : 3));
    for (let i = 0; i < count; i++) out += this.child(ctx, depth);
    return out;
  }

  private child(ctx: Ctx, depth: number): string {
    const leaf = depth > 3;
    if (ctx === 'svg') return this.svgChild(depth, leaf);
    if (ctx === 'math') return this.mathChild(depth, leaf);
    if (ctx === 'select') return this.selectChild();
    if (ctx === 'table') return this.tableChild(depth, leaf);
    return this.htmlChild(depth, leaf);
  }

  private htmlChild(depth: number, leaf: boolean): string {
    const k = Math.floor(this.r() * (leaf ? 4 : 22));
    switch (k) {
      case 0:
      case 1:
        return this.htmlLink();
      case 2:
        return this.decoy();
      case 3:
        return this.comment();
      case 4:
        return `<svg>${this.children('svg', depth + 1)}</svg>`;
      case 5:
        return `<math>${this.children('math', depth + 1)}</math>`;
      case 6:
        return this.script();
      case 7: {
        const name = this.pick(['textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);
        return `<${name}>${this.rawText(name)}${this.endTag(name)}`;
      }
      case 8:
        return `<style>a{background:url(${this.probe()})}</style${this.pick(['', ' ', '/'])}>`;
      case 9:
        return `<template>${this.children('html', depth + 1)}</template>`;
      case 10:
        return `<noscript>${this.htmlLink()}</noscript>`;
      case 11:
        return `<select>${this.children('select', depth + 1)}</select>`;
      case 12:
        return `<table>${this.children('table', depth + 1)}</table>`;
      case 13:
        return `<div>${this.children('html', depth + 1)}</div>`;
      case 14:
        return `<p>${this.children('html', depth + 1)}</p>`;
      case 15:
        return `<b>${this.children('html', depth + 1)}</b>`;
      case 16:
        return this.cdata();
      case 17:
        return `<span title="&lt;img src=${this.probe()}&gt;">x</span>`;
      case 18:
        return `<font color=red>${this.children('html', depth + 1)}</font>`;
      case 19:
        return `<ul><li>${this.children('html', depth + 1)}</ul>`;
      case 20:
        return `<a href=${this.probe()}>${this.children('html', depth + 1)}</a>`;
      default:
        return `<svg/>${this.htmlLink()}`;
    }
  }

  private svgChild(depth: number, leaf: boolean): string {
    const k = Math.floor(this.r() * (leaf ? 5 : 16));
    switch (k) {
      case 0:
        return `<image${this.attrs('href')}/>`;
      case 1:
        return `<use${this.attrs('href')}></use>`;
      case 2:
        return this.htmlLink(); // some break out (img, div), some stay foreign (a, video)
      case 3:
        return this.cdata();
      case 4:
        return `<style><img src=${this.probe()}></style>`;
      case 5:
        return `<g>${this.children('svg', depth + 1)}</g>`;
      case 6:
        return `<svg>${this.children('svg', depth + 1)}</svg>`;
      case 7: {
        const ip = this.pick(['foreignObject', 'desc', 'title']);
        return `<${ip}>${this.children('html', depth + 1)}</${ip}>`;
      }
      case 8:
        return `<${this.pick(['foreignObject', 'desc', 'title'])}/>${this.htmlLink()}`;
      case 9:
        return `<math>${this.children('math', depth + 1)}</math>`;
      case 10:
        return `<font ${this.pick(['color=red', 'face=x', 'size=2', 'x=y'])}>${this.htmlLink()}</font>`;
      case 11:
        return `<textarea><img src=${this.probe()}></textarea>`;
      case 12:
        return this.comment();
      case 13:
        return `<a${this.attrs('href')}>${this.children('svg', depth + 1)}</a>`;
      case 14:
        return `<script><img src=${this.probe()}></script>`;
      default:
        return `<${this.pick(['p', 'b', 'span', 'br', 'ul', 'table'])}>${this.children('html', depth + 1)}`;
    }
  }

  private mathChild(depth: number, leaf: boolean): string {
    const k = Math.floor(this.r() * (leaf ? 4 : 12));
    switch (k) {
      case 0:
        return this.htmlLink();
      case 1:
        return this.cdata();
      case 2:
        return `<mtext><style><img src=${this.probe()}></style></mtext>`;
      case 3:
        return this.comment();
      case 4: {
        const ip = this.pick(['mi', 'mo', 'mn', 'ms', 'mtext']);
        return `<${ip}>${this.children('html', depth + 1)}</${ip}>`;
      }
      case 5: {
        const enc = this.pick([
          '',
          ' encoding="text/html"',
          ' encoding="TEXT/HTML"',
          " encoding='application/xhtml+xml'",
          ' encoding="image/svg+xml"',
        ]);
        return `<annotation-xml${enc}>${this.children(this.chance(0.5) ? 'html' : 'math', depth + 1)}</annotation-xml>`;
      }
      case 6:
        return `<annotation-xml><svg>${this.children('svg', depth + 1)}</svg></annotation-xml>`;
      case 7:
        return `<semantics>${this.children('math', depth + 1)}</semantics>`;
      case 8:
        return `<math>${this.children('math', depth + 1)}</math>`;
      case 9:
        return `<mi><mglyph>${this.htmlLink()}</mglyph></mi>`;
      case 10:
        return `<mrow><title><img src=${this.probe()}></title></mrow>`;
      default:
        return `<${this.pick(['p', 'div', 'li', 'h1'])}>${this.children('html', depth + 1)}`;
    }
  }

  /** `<select>` content both the 2025 browser rules and parse5 8's older rules parse alike. */
  private selectChild(): string {
    return this.pick([
      () => `<option value="${this.probe()}">o</option>`,
      () => `<optgroup label=g><option>x</optgroup>`,
      () => this.htmlLink(),
      () => this.decoy(),
      () => `<script>"<img src=${this.probe()}>"</script>`,
    ])();
  }

  private tableChild(depth: number, leaf: boolean): string {
    if (leaf) return `<tr><td>${this.htmlLink()}</td></tr>`;
    return this.pick([
      () => `<tr><td>${this.children('html', depth + 1)}</td></tr>`,
      () => `<caption>${this.htmlLink()}</caption>`,
      () => this.htmlLink(), // foster-parented
      () => `<tbody><tr><th>${this.children('html', depth + 1)}</tbody>`,
      () => `<colgroup><col></colgroup>`,
      () => this.script(),
      () => `<style>a{background:url(${this.probe()})}</style>`,
    ])();
  }

  /** A whole document. */
  document(): string {
    const head = this.chance(0.5)
      ? `<head><title>${this.rawText('title')}</title>${this.chance(0.5) ? `<noscript>${this.htmlLink()}</noscript>` : ''}</head>`
      : '';
    // An HTML end tag that closes an ancestor of an open <svg>/<math> is not modelled: foreign
    // roots are closed, except one left open at the very end.
    const tail = this.pick([
      '',
      '',
      '',
      `<plaintext><img src=${this.probe()}>`,
      `<svg>${this.children('svg', 1)}`,
      `<math>${this.children('math', 1)}`,
    ]);
    return `${this.chance(0.7) ? '<!DOCTYPE html>' : ''}${head}<body>${this.children('html', 0)}${tail}`;
  }

  /** Number of probes issued so far. */
  get probes(): number {
    return this.n;
  }
}
