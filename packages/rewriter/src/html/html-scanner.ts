/**
 * HTML scanner: decides which attributes of each start tag hold links, and rewrites them (and the
 * `url()`s of `<style>` elements) through the link resolver. Every other byte is left alone.
 * @module
 */
import { cssEscapeUrl, cssUrls, oneShotCursor } from '../css/css-urls.js';
import type { Scanner } from '../stream/chunk-engine.js';
import { type EditList, type LinkSlot, WRAP_DQ } from '../stream/edits.js';
import type { LinkContext } from '../stream/link-resolver.js';
import { type ScanOptions, spanText } from '../stream/scan-options.js';
import { decodeAttr, escapeAttr, hasReferences } from './attr-value.js';
import { A, attrTable, type NameTable, T, TAGS } from './names.js';
import { srcsetUrls } from './srcset.js';
import { HtmlTokenizer, type TokenSink } from './tokenizer.js';
import { markerOf } from './untrusted-region.js';

const URL = 1;
const SRCSET = 2;
const CSS = 3;
const META = 4;
const BASE = 5;

const META_URL_PROPS = new Set([
  'og:image',
  'og:image:url',
  'og:image:secure_url',
  'og:video',
  'og:video:url',
  'og:video:secure_url',
  'og:audio',
  'og:audio:url',
  'og:audio:secure_url',
  'twitter:image',
  'twitter:image:src',
  'twitter:player:stream',
]);

/** (tag id << 8 | attr id) -> kind, for HTML elements. */
const HTML_TARGETS = new Map<number, number>();
const target = (tags: number[], attr: number, kind: number) => {
  for (const t of tags) HTML_TARGETS.set((t << 8) | attr, kind);
};
target([T.a, T.area, T.link], A.href, URL);
target([T.link], A.imagesrcset, SRCSET);
target([T.img, T.source], A.srcset, SRCSET);
target([T.img, T.source, T.video, T.audio, T.track, T.script, T.embed, T.iframe, T.input], A.src, URL);
target([T.video], A.poster, URL);
target([T.object], A.data, URL);
target([T.meta], A.content, META);
target([T.base], A.href, BASE);

/**
 * Links a browser resolves when it uses them (follows, or fetches after layout), not when it
 * parses them: Chromium resolves these against a `<base href>` that comes after them in the
 * document. The others (img, srcset, script, link, iframe, style, SVG image) are fetched with
 * the base in force where they stand.
 */
const LATE = new Set<number>();
for (const [tag, attr] of [
  [T.a, A.href],
  [T.area, A.href],
  [T.video, A.src],
  [T.video, A.poster],
  [T.audio, A.src],
  [T.source, A.src],
  [T.track, A.src],
  [T.embed, A.src],
  [T.object, A.data],
  [T.input, A.src],
] as const)
  LATE.add((tag << 8) | attr);
/** A URL with a scheme: no base changes it. */
const ABSOLUTE = /^[\t\n\f\r ]*[A-Za-z][A-Za-z0-9+.-]*:/;

const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/** The HTML {@link Scanner}. */
export class HtmlScanner implements Scanner, TokenSink {
  private readonly tok: HtmlTokenizer;
  private list!: EditList;
  private base: string | undefined;
  /** Late links (see {@link LATE}) signed against the page URL before any `<base href>`. */
  private lateBeforeBase = 0;
  private readonly extra = new Map<number, number>();
  private readonly spans: number[] = [];
  private readonly table: NameTable;
  /** Absolute offset of the `<!-- cfsign:off -->` of the untrusted region we are in, or -1. */
  private offAt = -1;
  /** Link attributes left alone in the current untrusted region. */
  private offLinks = 0;

  constructor(private readonly opts: ScanOptions) {
    const table = attrTable(opts.attributes);
    this.table = table;
    for (const name of opts.attributes) {
      const id = table.names.indexOf(name);
      this.extra.set(id, name.endsWith('srcset') ? SRCSET : URL);
    }
    this.tok = new HtmlTokenizer(this, table, opts.maxTokenBytes);
  }

  scan(buf: Uint8Array, base: number, final: boolean, edits: EditList): number {
    this.list = edits;
    this.tok.feed(buf, base, final);
    if (final && this.offAt >= 0) {
      this.opts.onSkip?.(
        'untrusted-region-unclosed',
        `the untrusted region opened at byte ${this.offAt} has no <!-- cfsign:on --> after it: ${this.offLinks} link(s) to the end of the page left unsigned`,
      );
      this.offAt = -1;
    }
    return this.tok.holdFrom();
  }

  comment(t: HtmlTokenizer, start: number, end: number): void {
    const marker = markerOf(t.buf, start - t.base, end - t.base);
    if (marker === 'off' && this.offAt < 0) {
      this.offAt = start - 4;
      this.offLinks = 0;
    } else if (marker === 'on' && this.offAt >= 0) {
      this.opts.onSkip?.(
        'untrusted-region',
        `${this.offLinks} link(s) left unsigned between bytes ${this.offAt} and ${end + 3}`,
      );
      this.offAt = -1;
    }
  }

  /** A start tag inside an untrusted region: nothing signed, nothing captured, only counted. */
  private untrustedTag(t: HtmlTokenizer): boolean {
    for (let k = 0; k < t.attrCount; k++) {
      if (t.aQuote[k] === 0) continue;
      const kind = this.kindOf(t.tagId, t.aId[k]!, t.foreign);
      if (kind === BASE)
        this.opts.onSkip?.(
          'base-in-untrusted-region',
          `<base href> at byte ${t.tagStart < 0 ? '?' : t.tagStart} is inside an untrusted region: links are resolved without it`,
        );
      else if (kind !== 0) this.offLinks++;
    }
    return false;
  }

  oversized(what: 'tag' | 'raw-text', start: number): void {
    this.opts.onSkip?.('token-too-large', `${what} at byte ${start}`);
  }

  private kindOf(tag: number, attr: number, foreign: boolean): number {
    if (attr === A.style) return CSS;
    const extra = this.extra.get(attr);
    if (extra !== undefined) return extra;
    if (foreign) return attr === A.href || attr === A['xlink:href'] ? URL : 0;
    if (attr === A['xlink:href']) return URL;
    return HTML_TARGETS.get((tag << 8) | attr) ?? 0;
  }

  startTag(t: HtmlTokenizer): boolean {
    if (this.offAt >= 0) return this.untrustedTag(t);
    const tag = t.tagId;
    const n = t.attrCount;
    for (let k = 0; k < n; k++) {
      const id = t.aId[k]!;
      let dup = false;
      for (let j = 0; j < k; j++) if (t.aId[j] === id) dup = true;
      if (dup || t.aQuote[k] === 0) continue;
      const kind = this.kindOf(tag, id, t.foreign);
      if (kind === 0) continue;
      if (kind === META && !this.isMetaUrl(t, k)) continue;
      if (kind === BASE) {
        // The first HTML <base href> of the document (not one in a template) sets the base.
        if (this.base === undefined && t.ns.templates === 0) this.setBase(t, k);
        continue;
      }
      const ctx: LinkContext = {
        kind: kind === SRCSET ? 'srcset' : kind === CSS ? 'css' : 'html',
        tag: this.tagName(t),
        attr: this.attrName(id),
      };
      if (this.base !== undefined) ctx.base = this.base;
      if (kind === URL || kind === META) this.urlAttr(t, k, ctx, !t.foreign && LATE.has((tag << 8) | id));
      else this.listAttr(t, k, kind === CSS, ctx);
    }
    return tag === T.style && !t.foreign;
  }

  private setBase(t: HtmlTokenizer, k: number): void {
    this.base = decodeAttr(t.buf, t.aStart[k]! - t.base, t.aEnd[k]! - t.base, this.opts.decoder);
    // A browser follows the late links above with this base; they were signed for the page URL.
    if (this.lateBeforeBase > 0)
      this.opts.onSkip?.(
        'base-after-links',
        `${this.lateBeforeBase} relative link(s) before the <base href> at byte ${t.tagStart < 0 ? '?' : t.tagStart} were signed against the page URL; put <base> in <head> before any link`,
      );
  }

  rawText(t: HtmlTokenizer, start: number, end: number): void {
    const spans = this.spans;
    spans.length = 0;
    cssUrls(
      t.buf,
      start - t.base,
      end - t.base,
      true,
      spans,
      this.opts.maxTokenBytes,
      start - t.base,
      oneShotCursor(this.opts.skipCssComments),
    );
    const ctx: LinkContext = { kind: 'css', tag: 'style' };
    if (this.base !== undefined) ctx.base = this.base;
    for (let i = 0; i < spans.length; i += 3) {
      const q = spans[i + 2]!;
      if (q < 0) {
        this.opts.onSkip?.('css-escape', '');
        continue;
      }
      const s = spans[i]!;
      const e = spans[i + 1]!;
      const slot = this.list.link(spanText(t.buf, s, e, this.opts.decoder), ctx);
      if (slot !== null) this.emit(t.base + s, t.base + e, slot, (v) => cssEscapeUrl(v, q));
    }
  }

  private tagName(t: HtmlTokenizer): string {
    return TAGS.names[t.tagId] ?? '';
  }

  private attrName(id: number): string {
    return this.table.names[id] ?? '';
  }

  private isMetaUrl(t: HtmlTokenizer, k: number): boolean {
    for (let j = 0; j < t.attrCount; j++) {
      if (j === k || (t.aId[j] !== A.property && t.aId[j] !== A.name)) continue;
      const v = decodeAttr(t.buf, t.aStart[j]! - t.base, t.aEnd[j]! - t.base, this.opts.decoder);
      if (META_URL_PROPS.has(v.trim().toLowerCase())) return true;
    }
    return false;
  }

  /** Adds an edit for a slot, now or after the chunk's signatures settle. */
  private emit(start: number, end: number, slot: LinkSlot, render: (v: string) => string): void {
    if (slot.value !== null) this.list.put(start, end, render(slot.value));
    else this.list.later(start, end, () => (slot.value === null ? null : render(slot.value)));
  }

  private urlAttr(t: HtmlTokenizer, k: number, ctx: LinkContext, late: boolean): void {
    const s = t.aStart[k]!;
    const e = t.aEnd[k]!;
    const value = decodeAttr(t.buf, s - t.base, e - t.base, this.opts.decoder);
    if (value.trim() === '') return;
    const slot = this.list.link(value, ctx);
    if (slot === null) return;
    if (late && this.base === undefined && !ABSOLUTE.test(value)) this.lateBeforeBase++;
    const q = t.aQuote[k]!;
    const ascii = this.opts.asciiOnly;
    if (!ascii) {
      // escaped (and quoted, if unquoted) while the output is written: no escaped copy is built
      const esc = q === 1 ? WRAP_DQ : q;
      if (slot.value !== null) this.list.put(s, e, slot.value, esc);
      else this.list.later(s, e, () => slot.value, esc);
      return;
    }
    if (q === 1) this.emit(s, e, slot, (v) => `"${escapeAttr(v, '"', ascii)}"`);
    else
      this.emit(s, e, slot, q === 0x27 ? (v) => escapeAttr(v, "'", ascii) : (v) => escapeAttr(v, '"', ascii));
  }

  /** srcset or style: several URLs in one value. */
  private listAttr(t: HtmlTokenizer, k: number, css: boolean, ctx: LinkContext): void {
    const s = t.aStart[k]! - t.base;
    const e = t.aEnd[k]! - t.base;
    const q = t.aQuote[k]!;
    const buf = t.buf;
    const spans = this.spans;
    spans.length = 0;
    if (q !== 1 && !hasReferences(buf, s, e)) {
      // Raw bytes are the decoded text: edit each URL span in place.
      if (css)
        cssUrls(buf, s, e, true, spans, this.opts.maxTokenBytes, s, oneShotCursor(this.opts.skipCssComments));
      else srcsetUrls(buf, s, e, spans);
      const step = css ? 3 : 2;
      const quote = q === 0x27 ? "'" : '"';
      for (let i = 0; i < spans.length; i += step) {
        const cq = css ? spans[i + 2]! : 0;
        if (cq < 0) continue;
        const slot = this.list.link(spanText(buf, spans[i]!, spans[i + 1]!, this.opts.decoder), ctx);
        if (slot === null) continue;
        if (!this.opts.asciiOnly) {
          const a = t.base + spans[i]!;
          const b = t.base + spans[i + 1]!;
          const esc = q === 0x27 ? 0x27 : 0x22;
          if (slot.value !== null) this.list.put(a, b, css ? cssEscapeUrl(slot.value, cq) : slot.value, esc);
          else
            this.list.later(
              a,
              b,
              () => (slot.value === null ? null : css ? cssEscapeUrl(slot.value, cq) : slot.value),
              esc,
            );
          continue;
        }
        this.emit(t.base + spans[i]!, t.base + spans[i + 1]!, slot, (v) =>
          escapeAttr(css ? cssEscapeUrl(v, cq) : v, quote, this.opts.asciiOnly),
        );
      }
      return;
    }
    // References or unquoted: decode, rewrite the decoded text, re-escape the whole value.
    const decoded = encoder.encode(decodeAttr(buf, s, e, this.opts.decoder));
    if (css)
      cssUrls(
        decoded,
        0,
        decoded.length,
        true,
        spans,
        this.opts.maxTokenBytes,
        0,
        oneShotCursor(this.opts.skipCssComments),
      );
    else srcsetUrls(decoded, 0, decoded.length, spans);
    const step = css ? 3 : 2;
    const parts: { s: number; e: number; q: number; slot: LinkSlot }[] = [];
    for (let i = 0; i < spans.length; i += step) {
      const cq = css ? spans[i + 2]! : 0;
      if (cq < 0) continue;
      const slot = this.list.link(utf8.decode(decoded.subarray(spans[i]!, spans[i + 1]!)), ctx);
      if (slot !== null) parts.push({ s: spans[i]!, e: spans[i + 1]!, q: cq, slot });
    }
    if (parts.length === 0) return;
    const quote = q === 0x27 ? "'" : '"';
    const render = (): string | null => {
      let out = '';
      let p = 0;
      let changed = false;
      for (const part of parts) {
        if (part.slot.value === null) continue;
        changed = true;
        out +=
          utf8.decode(decoded.subarray(p, part.s)) +
          (css ? cssEscapeUrl(part.slot.value, part.q) : part.slot.value);
        p = part.e;
      }
      if (!changed) return null;
      out = escapeAttr(out + utf8.decode(decoded.subarray(p)), quote, this.opts.asciiOnly);
      return q === 1 ? `"${out}"` : out;
    };
    const now = render();
    if (now !== null && parts.every((p) => p.slot.value !== null)) this.list.put(t.base + s, t.base + e, now);
    else this.list.later(t.base + s, t.base + e, render);
  }
}
