/**
 * Edits found in one chunk: byte ranges to replace, whose text may wait on async link signing.
 * Signatures of one chunk are requested together and awaited once.
 * @module
 */
import type { LinkContext, LinkResolver } from './link-resolver.js';

/** One replacement of the absolute byte range `[start, end)`. */
export interface Edit {
  start: number;
  end: number;
  /** Replacement text; `null` keeps the original bytes. Filled in by `render` once links resolved. */
  text: string | null;
  render: (() => string | null) | null;
  /**
   * How `text` is written: 0 as is; 0x22 / 0x27 escaped for an attribute quoted with that byte
   * (`&` as `&amp;`, the quote as `&quot;` / `&#39;`); {@link WRAP_DQ} escaped for `"` and
   * wrapped in `"` (an unquoted attribute). Escaping happens while writing the output bytes.
   */
  esc: number;
  /** Bytes escaping adds (set while the output is sized). */
  extra: number;
}

/** {@link Edit.esc}: escape for `"` and wrap in `"`. */
export const WRAP_DQ = 0x122;

/** A resolved-or-pending link result. */
export interface LinkSlot {
  value: string | null;
}

/** Collects the edits and pending signatures of one chunk. */
export class EditList {
  readonly edits: Edit[] = [];
  private pending: Promise<unknown>[] = [];

  constructor(private readonly resolver: LinkResolver) {}

  /** Asks the resolver for `value`: `null` when the link stays as it is, else a slot filled now or when the chunk settles. */
  link(value: string, ctx: LinkContext): LinkSlot | null {
    const r = this.resolver(value, ctx);
    if (r === null) return null;
    if (typeof r === 'string') return { value: r };
    const slot: LinkSlot = { value: null };
    this.pending.push(
      r.then((v) => {
        slot.value = v;
      }),
    );
    return slot;
  }

  /** Adds an edit whose text is known now. */
  put(start: number, end: number, text: string, esc = 0): void {
    this.edits.push({ start, end, text, render: null, esc, extra: 0 });
  }

  /** Adds an edit rendered after the chunk's links settle. */
  later(start: number, end: number, render: () => string | null, esc = 0): void {
    this.edits.push({ start, end, text: null, render, esc, extra: 0 });
  }

  get async(): boolean {
    return this.pending.length > 0;
  }

  /** Waits for pending signatures (rejects with the first failure), then renders deferred edits. */
  async settle(): Promise<void> {
    const p = this.pending;
    this.pending = [];
    await Promise.all(p);
    this.renderAll();
  }

  renderAll(): void {
    for (const e of this.edits) {
      if (e.render === null) continue;
      e.text = e.render();
      e.render = null;
    }
  }

  clear(): void {
    this.edits.length = 0;
  }
}
