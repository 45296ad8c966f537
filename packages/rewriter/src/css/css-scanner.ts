/**
 * CSS responses: `url()` and `@import` URLs, streamed (a token split across chunks is held).
 * @module
 */

import type { Scanner } from '../stream/chunk-engine.js';
import type { EditList } from '../stream/edits.js';
import type { LinkContext } from '../stream/link-resolver.js';
import { type ScanOptions, spanText } from '../stream/scan-options.js';
import { CssCursor, cssEscapeUrl, cssUrls } from './css-urls.js';

/** The CSS {@link Scanner}. */
export class CssScanner implements Scanner {
  private readonly spans: number[] = [];
  private readonly ctx: LinkContext = { kind: 'css' };
  private pos = 0;
  private readonly cursor: CssCursor;

  constructor(private readonly opts: ScanOptions) {
    this.cursor = new CssCursor(opts.skipCssComments);
  }

  scan(buf: Uint8Array, base: number, final: boolean, edits: EditList): number {
    const spans = this.spans;
    spans.length = 0;
    const safe = cssUrls(
      buf,
      this.pos - base,
      buf.length,
      final,
      spans,
      this.opts.maxTokenBytes,
      0,
      this.cursor,
    );
    let hold = base + Math.max(0, safe - 4); // keep four bytes to look back for `url` before a `(`
    for (let i = 0; i < spans.length; i += 3) {
      const s = spans[i]!;
      const e = spans[i + 1]!;
      const q = spans[i + 2]!;
      if (q < 0) {
        this.opts.onSkip?.('css-escape', spanText(buf, s, e, this.opts.decoder));
        continue;
      }
      const slot = edits.link(spanText(buf, s, e, this.opts.decoder), this.ctx);
      if (slot === null) continue;
      if (base + e > hold) hold = base + e;
      if (slot.value !== null) edits.put(base + s, base + e, cssEscapeUrl(slot.value, q));
      else edits.later(base + s, base + e, () => (slot.value === null ? null : cssEscapeUrl(slot.value, q)));
    }
    this.pos = base + safe;
    return final ? base + buf.length : hold;
  }
}
