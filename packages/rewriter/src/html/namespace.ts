/**
 * The slice of tree construction the tokenizer needs (as parse5's parser feedback simulator and
 * lol-html's do, a little further): which namespace each start tag lands in (HTML, SVG, MathML)
 * and which content model an HTML start tag switches to. Raw-text switching happens only in HTML
 * content; CDATA sections only when the adjusted current node is foreign.
 *
 * Model: a stack of the open foreign elements (the document is its bottom entry). Entries whose
 * content is HTML are the integration points (`foreignObject`, `desc`, `title`; `mi` `mo` `mn`
 * `ms` `mtext`; `annotation-xml` with an HTML `encoding`); for each, the number of HTML elements
 * open inside it is kept. HTML elements elsewhere are not tracked: an HTML end tag that closes
 * an ancestor of an unclosed `<svg>`/`<math>` (`<div><svg></div>`) is not followed.
 * @module
 */
import { A, BREAKOUT, hashOf, RAW_KIND, RAW_NONE, T, VOID } from './names.js';

const HTML = 0;
const SVG = 1;
const MATHML = 2;

/** What {@link NamespaceTracker.startTag} reads from the current tag. */
export interface TagView {
  tagId: number;
  /** Hash of the lower-cased tag name (see `names.ts`). */
  nameHash: number;
  selfClosing: boolean;
  foreign: boolean;
  attrCount: number;
  aId: readonly number[];
  aStart: readonly number[];
  aEnd: readonly number[];
  buf: Uint8Array;
  base: number;
}

function hasAttr(t: TagView, id: number): number {
  for (let k = 0; k < t.attrCount; k++) if (t.aId[k] === id) return k;
  return -1;
}

function attrLower(t: TagView, k: number): string {
  let s = '';
  for (let p = t.aStart[k]!; p < t.aEnd[k]!; p++) {
    const c = t.buf[p - t.base]!;
    s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  }
  return s;
}

const P = hashOf('p');
const LI = hashOf('li');
/** Start tags that close an open `<p>` (in button scope, which the model does not check). */
const CLOSES_P = new Set(
  [
    'address',
    'article',
    'aside',
    'blockquote',
    'center',
    'details',
    'dialog',
    'dir',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'header',
    'hgroup',
    'hr',
    'listing',
    'main',
    'menu',
    'nav',
    'ol',
    'p',
    'plaintext',
    'pre',
    'search',
    'section',
    'summary',
    'table',
    'ul',
    'xmp',
  ].map(hashOf),
);

const isMathText = (id: number) => id === T.mi || id === T.mo || id === T.mn || id === T.ms || id === T.mtext;

/** Is a foreign element of namespace `ns` an integration point (its content is HTML)? */
function isIntegrationPoint(id: number, ns: number, t: TagView): boolean {
  if (ns === MATHML) {
    if (isMathText(id)) return true;
    if (id === T['annotation-xml']) {
      const k = hasAttr(t, A.encoding);
      if (k >= 0) {
        const v = attrLower(t, k);
        return v === 'text/html' || v === 'application/xhtml+xml';
      }
    }
    return false;
  }
  return ns === SVG && (id === T.foreignobject || id === T.desc || id === T.title);
}

/**
 * Namespace stack, fed with every start and end tag.
 *
 * @example
 * ```ts
 * const ns = new NamespaceTracker();
 * // <svg> then <img>: the image breaks out of SVG content and is an HTML image
 * ```
 */
export class NamespaceTracker {
  // Parallel arrays, one entry per open foreign element; entry 0 is the document.
  private readonly ns: number[] = [HTML];
  private readonly id: number[] = [0];
  private readonly hash: number[] = [0];
  /** The entry's content is HTML (document, integration point). */
  private readonly htmlContent: boolean[] = [true];
  /** Where the entry's HTML elements start in `htmlStack` (integration points only). */
  private readonly htmlBase: number[] = [0];
  /** Name hashes of the HTML elements open inside integration points (no implied end tags). */
  private readonly htmlStack: number[] = [];
  private top = 0;
  /** `<template>` elements open in HTML content (their content is not in the document). */
  templates = 0;
  /** The adjusted current node is foreign and no integration point (CDATA sections are recognised). */
  inForeign = false;

  private push(ns: number, t: TagView, html: boolean): void {
    const k = ++this.top;
    this.ns[k] = ns;
    this.id[k] = t.tagId;
    this.hash[k] = t.nameHash;
    this.htmlContent[k] = html;
    this.htmlBase[k] = this.htmlStack.length;
    this.sync();
  }

  private popTo(k: number): void {
    this.htmlStack.length = this.htmlBase[k + 1]!;
    this.top = k;
    this.sync();
  }

  /** HTML elements open in the current integration point. */
  private htmlOpen(): number {
    return this.htmlStack.length - this.htmlBase[this.top]!;
  }

  private sync(): void {
    const k = this.top;
    // As Chromium and parse5 do: not in an integration point, even with no HTML element open.
    this.inForeign = !this.htmlContent[k];
  }

  /** Handles a start tag: sets `t.foreign` (and maps HTML `<image>` to `<img>`); returns the raw-text kind to switch to. */
  startTag(t: TagView): number {
    const k = this.top;
    const id = t.tagId;
    if (this.htmlContent[k]) {
      // HTML content, except for mglyph/malignmark right in a MathML text integration point
      const glyph = k > 0 && this.isMathGlyph(t) && this.htmlOpen() === 0 && isMathText(this.id[k]!);
      if (!glyph || this.ns[k] !== MATHML) return this.htmlStartTag(t);
      return this.foreignStartTag(t, MATHML);
    }
    const exits =
      BREAKOUT.has(id) ||
      (id === T.font && (hasAttr(t, A.color) >= 0 || hasAttr(t, A.face) >= 0 || hasAttr(t, A.size) >= 0));
    if (exits) {
      // Pop every foreign element up to an HTML element or an integration point, then handle
      // the tag as HTML content.
      let j = k;
      while (j > 0 && !this.htmlContent[j]) j--;
      this.popTo(j);
      return this.htmlStartTag(t);
    }
    // `<svg>` in `<annotation-xml>` is an SVG element; any other tag takes the namespace it is in.
    const ns = id === T.svg && this.id[k] === T['annotation-xml'] ? SVG : this.ns[k]!;
    return this.foreignStartTag(t, ns);
  }

  private isMathGlyph(t: TagView): boolean {
    return t.tagId === T.mglyph || t.tagId === T.malignmark;
  }

  private foreignStartTag(t: TagView, ns: number): number {
    t.foreign = true;
    if (!t.selfClosing) this.push(ns, t, isIntegrationPoint(t.tagId, ns, t));
    return RAW_NONE;
  }

  /** A start tag in HTML content: `<image>` is `<img>`; returns the content model it switches to. */
  private htmlStartTag(t: TagView): number {
    const id = t.tagId;
    if (id === T.svg || id === T.math) {
      t.foreign = true;
      if (!t.selfClosing) this.push(id === T.svg ? SVG : MATHML, t, false);
      return RAW_NONE;
    }
    t.foreign = false;
    if (id === T.image) t.tagId = T.img;
    else if (id === T.template) this.templates++;
    const k = this.top;
    if (k > 0) {
      // the implied end tags that matter most: a block closes an open `<p>`, `<li>` an open `<li>`
      if (CLOSES_P.has(t.nameHash)) this.closeHtml(P);
      else if (t.nameHash === LI) this.closeHtml(LI);
      if (!VOID.has(t.tagId)) this.htmlStack.push(t.nameHash);
    }
    return RAW_KIND.get(t.tagId) ?? RAW_NONE;
  }

  /** Closes the innermost HTML element named `nameHash` open in the current integration point. */
  private closeHtml(nameHash: number): void {
    const hs = this.htmlStack;
    for (let j = hs.length - 1; j >= this.htmlBase[this.top]!; j--)
      if (hs[j] === nameHash) {
        hs.length = j;
        return;
      }
  }

  /** Handles an end tag (`nameHash`: hash of its lower-cased name). */
  endTag(id: number, nameHash: number): void {
    let k = this.top;
    if (id === T.template && this.templates > 0 && this.htmlContent[k]) this.templates--;
    if (k === 0) return;
    if (this.htmlContent[k] && this.htmlOpen() > 0) {
      // An HTML element is the current node: the end tag closes the innermost open HTML element
      // of that name (and those inside it). The integration point's own end tag is ignored
      // while HTML elements are open in it (it is a special element, as they mostly are).
      this.closeHtml(nameHash);
      return;
    }
    // foreign content: pop to the nearest open foreign element of that name, if no HTML
    // element lies between
    for (; k > 0; k--) {
      if (this.hash[k] === nameHash) {
        this.popTo(k - 1);
        return;
      }
      if (this.htmlContent[k - 1] && this.htmlBase[k]! > this.htmlBase[k - 1]!) return;
    }
  }
}
