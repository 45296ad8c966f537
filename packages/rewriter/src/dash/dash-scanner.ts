/**
 * DASH MPD manifests (minimal): `<BaseURL>` of a single file and the `media`/`initialization`/
 * `sourceURL`/`index` attributes of SegmentTemplate, SegmentURL, Initialization and
 * RepresentationIndex. Templates (`$Number$`) can only be covered by a wildcard policy or cookies,
 * so use `mode: 'wildcard'` or `'cookie'` rules for them. The manifest is buffered (manifests are small);
 * one larger than the token cap passes through untouched.
 * @module
 */
import { decodeXML } from 'entities/decode';
import type { Scanner } from '../stream/chunk-engine.js';
import type { EditList } from '../stream/edits.js';
import type { LinkContext } from '../stream/link-resolver.js';
import { type ScanOptions, spanText } from '../stream/scan-options.js';

const latin = new TextDecoder('windows-1252'); // one char per byte: string offsets are byte offsets
const BASE_URL = /<(?:[\w.-]+:)?BaseURL\b[^>]*>([^<]*)<\//g;
const SEGMENT_TAG =
  /<(?:[\w.-]+:)?(?:SegmentTemplate|SegmentURL|Initialization|RepresentationIndex)\b([^>]*)>/g;
const URL_ATTR = /\s(?:media|initialization|sourceURL|index)\s*=\s*(["'])([^"']*)\1/g;

const escapeXml = (v: string, quote: string) => {
  let out = v.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (quote) out = out.split(quote).join(quote === '"' ? '&quot;' : '&apos;');
  return out;
};

/** The DASH {@link Scanner}. */
export class DashScanner implements Scanner {
  private readonly ctx: LinkContext = { kind: 'dash' };
  private passthrough = false;

  constructor(private readonly opts: ScanOptions) {}

  scan(buf: Uint8Array, base: number, final: boolean, edits: EditList): number {
    if (this.passthrough) return base + buf.length;
    if (!final) {
      if (buf.length <= this.opts.maxTokenBytes) return base;
      this.passthrough = true;
      this.opts.onSkip?.('token-too-large', 'DASH manifest');
      return base + buf.length;
    }
    const text = latin.decode(buf);
    for (const m of text.matchAll(BASE_URL)) {
      const s = m.index + m[0].length - 2 - m[1]!.length;
      const raw = m[1]!;
      const lead = raw.length - raw.trimStart().length;
      const value = raw.trim();
      if (value === '') continue;
      if (value.endsWith('/')) {
        this.opts.onSkip?.('dash-base-directory', value);
        continue;
      }
      this.link(buf, base, s + lead, s + lead + value.length, '', edits);
    }
    for (const m of text.matchAll(SEGMENT_TAG)) {
      const attrsAt = m.index + m[0].length - 1 - m[1]!.length;
      for (const a of m[1]!.matchAll(URL_ATTR)) {
        const vs = attrsAt + a.index + a[0].length - 1 - a[2]!.length;
        this.link(buf, base, vs, vs + a[2]!.length, a[1]!, edits);
      }
    }
    edits.edits.sort((x, y) => x.start - y.start);
    return base + buf.length;
  }

  private link(buf: Uint8Array, base: number, s: number, e: number, quote: string, edits: EditList): void {
    const value = decodeXML(spanText(buf, s, e, this.opts.decoder));
    if (value === '') return;
    const slot = edits.link(value, this.ctx);
    if (slot === null) return;
    if (slot.value !== null) edits.put(base + s, base + e, escapeXml(slot.value, quote));
    else edits.later(base + s, base + e, () => (slot.value === null ? null : escapeXml(slot.value, quote)));
  }
}
