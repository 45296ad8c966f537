/**
 * HLS playlists (master and media): URI lines and `URI="..."` attributes of tags such as
 * EXT-X-KEY, EXT-X-MAP, EXT-X-MEDIA, EXT-X-I-FRAME-STREAM-INF. Complete lines are processed as
 * they arrive; a partial last line is held.
 * @module
 */

import type { Scanner } from '../stream/chunk-engine.js';
import type { EditList } from '../stream/edits.js';
import type { LinkContext } from '../stream/link-resolver.js';
import { type ScanOptions, spanText } from '../stream/scan-options.js';

const URI_ATTR = [0x55, 0x52, 0x49, 0x3d, 0x22]; // URI="

/** The HLS {@link Scanner}. */
export class HlsScanner implements Scanner {
  private readonly ctx: LinkContext = { kind: 'hls' };
  private pos = 0;
  private skipping = false;

  constructor(private readonly opts: ScanOptions) {}

  scan(buf: Uint8Array, base: number, final: boolean, edits: EditList): number {
    let i = this.pos - base;
    const n = buf.length;
    while (i < n) {
      let eol = buf.indexOf(0x0a, i);
      if (eol < 0) {
        if (!final) {
          if (n - i > this.opts.maxTokenBytes) {
            // An over-long line passes through untouched, up to its end.
            this.opts.onSkip?.('token-too-large', `HLS line at byte ${base + i}`);
            this.skipping = true;
            i = n;
          }
          break;
        }
        eol = n;
      }
      if (this.skipping) this.skipping = false;
      else this.line(buf, base, i, eol > i && buf[eol - 1] === 0x0d ? eol - 1 : eol, edits);
      i = eol + 1;
    }
    this.pos = base + Math.min(i, n);
    return this.pos;
  }

  private line(buf: Uint8Array, base: number, s: number, e: number, edits: EditList): void {
    let a = s;
    while (a < e && (buf[a] === 0x20 || buf[a] === 0x09)) a++;
    let b = e;
    while (b > a && (buf[b - 1] === 0x20 || buf[b - 1] === 0x09)) b--;
    if (a === b) return;
    if (buf[a] !== 0x23 /* # */) {
      this.link(buf, base, a, b, edits);
      return;
    }
    if (buf[a + 1] !== 0x45 /* E */) return; // a comment
    // Attribute list: find URI=" at the start of an attribute (after ':' or ',').
    let inQuote = false;
    for (let p = a; p < b; p++) {
      const c = buf[p]!;
      if (c === 0x22) inQuote = !inQuote;
      else if (!inQuote && (c === 0x3a || c === 0x2c) && this.isUri(buf, p + 1, b)) {
        const vs = p + 1 + URI_ATTR.length;
        const ve = buf.indexOf(0x22, vs);
        if (ve < 0 || ve >= b) return;
        this.link(buf, base, vs, ve, edits);
        p = ve;
      }
    }
  }

  private isUri(buf: Uint8Array, p: number, end: number): boolean {
    if (p + URI_ATTR.length > end) return false;
    for (let k = 0; k < URI_ATTR.length; k++) if (buf[p + k] !== URI_ATTR[k]) return false;
    return true;
  }

  private link(buf: Uint8Array, base: number, s: number, e: number, edits: EditList): void {
    const slot = edits.link(spanText(buf, s, e, this.opts.decoder), this.ctx);
    if (slot === null) return;
    if (slot.value !== null) edits.put(base + s, base + e, slot.value);
    else edits.later(base + s, base + e, () => slot.value);
  }
}
