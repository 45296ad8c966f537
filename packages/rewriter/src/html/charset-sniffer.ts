/**
 * Holds the start of an HTML body until its encoding is known (a byte order mark, the
 * `Content-Type` charset, or a `<meta>` in the first 1024 bytes), then hands every byte to the
 * scanner made for that encoding.
 * @module
 */

import type { Scanner } from '../stream/chunk-engine.js';
import type { EditList } from '../stream/edits.js';
import { encodingOf, PRESCAN_BYTES, type SniffResult, sniffCharset } from './charset-prescan.js';

/**
 * A {@link Scanner} that decides the encoding first.
 *
 * @example
 * ```ts
 * const scanner = new CharsetSniffer(undefined, (found) => makeHtmlScanner(found));
 * ```
 */
export class CharsetSniffer implements Scanner {
  private inner: Scanner | null = null;
  /** Bytes needed to decide: a byte order mark only, when the `Content-Type` names an encoding. */
  private readonly needed: number;

  constructor(
    /** The `Content-Type` charset label, if any. */
    private readonly contentType: string | undefined,
    private readonly make: (found: SniffResult) => Scanner,
  ) {
    this.needed = contentType !== undefined && encodingOf(contentType) !== null ? 3 : PRESCAN_BYTES;
  }

  scan(buf: Uint8Array, base: number, final: boolean, edits: EditList): number {
    if (this.inner === null) {
      // Until decided nothing was emitted: `buf` starts at byte 0 of the body.
      if (buf.length < this.needed && !final) return base;
      this.inner = this.make(sniffCharset(buf, this.contentType));
    }
    return this.inner.scan(buf, base, final, edits);
  }
}
