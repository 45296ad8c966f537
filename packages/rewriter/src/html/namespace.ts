/**
 * The slice of tree construction the tokenizer needs (as parse5's parser feedback simulator does):
 * which namespace we are in (HTML, SVG, MathML) and which content model a start tag switches to.
 * Raw-text switching happens only in HTML content; CDATA sections only in foreign content.
 * @module
 */
import { A, BREAKOUT, RAW_KIND, RAW_NONE, T } from './names.js';

const HTML = 0;
const SVG = 1;
const MATHML = 2;

/** What {@link NamespaceTracker.startTag} reads from the current tag. */
export interface TagView {
  tagId: number;
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

function isIntegrationPoint(id: number, ns: number | undefined, t: TagView | null): boolean {
  if (ns === MATHML) {
    if (id === T.mi || id === T.mo || id === T.mn || id === T.ms || id === T.mtext) return true;
    if (id === T['annotation-xml'] && t !== null) {
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

/** Namespace stack, fed with every start and end tag. */
export class NamespaceTracker {
  private stack: number[] = [HTML];
  inForeign = false;

  private enter(ns: number): void {
    this.stack.push(ns);
    this.inForeign = ns !== HTML;
  }

  private leave(): void {
    if (this.stack.length > 1) this.stack.pop();
    this.inForeign = this.stack[this.stack.length - 1] !== HTML;
  }

  /** Handles a start tag: sets `t.foreign` (and maps HTML `<image>` to `<img>`); returns the raw-text kind to switch to. */
  startTag(t: TagView): number {
    const id = t.tagId;
    if (id === T.svg) this.enter(SVG);
    else if (id === T.math) this.enter(MATHML);
    if (this.inForeign) {
      const exits =
        BREAKOUT.has(id) ||
        (id === T.font && (hasAttr(t, A.color) >= 0 || hasAttr(t, A.face) >= 0 || hasAttr(t, A.size) >= 0));
      if (exits) {
        this.leave();
        t.foreign = this.inForeign;
        return RAW_NONE;
      }
      t.foreign = true;
      const ns = this.stack[this.stack.length - 1];
      if (!t.selfClosing && isIntegrationPoint(id, ns, t)) this.enter(HTML);
      return RAW_NONE;
    }
    t.foreign = false;
    if (id === T.image) t.tagId = T.img;
    return RAW_KIND.get(t.tagId) ?? RAW_NONE;
  }

  /** Handles an end tag. */
  endTag(id: number): void {
    if (this.stack.length === 1) return;
    const top = this.stack[this.stack.length - 1];
    if (!this.inForeign) {
      const prev = this.stack[this.stack.length - 2];
      if (prev !== undefined && isIntegrationPoint(id, prev, null)) this.leave();
    } else if ((id === T.svg && top === SVG) || (id === T.math && top === MATHML)) this.leave();
  }
}
