/**
 * The chunk-invariant core shared by every format: keep the bytes a future edit may still touch,
 * emit the rest with edits applied, fail the stream rather than emit a half-rewritten body.
 * @module
 */
import { CfsignError } from '@cfsign/core';
import type { LinkResolver } from '../rules/link-signer.js';
import { type Edit, EditList } from './edits.js';

/** A format-specific scanner driven by {@link RewriteEngine}. */
export interface Scanner {
  /** Scans new bytes of `buf` (first byte at absolute `base`), adding edits; returns the absolute hold-from offset. */
  scan(buf: Uint8Array, base: number, final: boolean, edits: EditList): number;
}

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

// On Node, output buffers are allocated without zero-filling (`splice` writes every byte of a
// buffer it returns); elsewhere a plain `new Uint8Array`.
const allocUnsafe = (
  globalThis as {
    Buffer?: { allocUnsafeSlow?: (size: number) => { buffer: ArrayBuffer; byteOffset: number } };
  }
).Buffer?.allocUnsafeSlow;
const alloc: (size: number) => Uint8Array =
  typeof allocUnsafe === 'function'
    ? (size) => {
        const b = allocUnsafe(size);
        return new Uint8Array(b.buffer, b.byteOffset, size);
      }
    : (size) => new Uint8Array(size);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Applies edits in `[from, to)` of `buf` (absolute `base`) and returns the output bytes. */
function apply(buf: Uint8Array, base: number, from: number, to: number, list: EditList): Uint8Array {
  const edits = list.edits;
  let size = to - from;
  let live = 0;
  for (const e of edits) {
    if (e.text === null) continue;
    size += e.text.length - (e.end - e.start);
    live++;
  }
  if (live === 0) return buf.subarray(from - base, to - base);
  // Optimistic: replacement text is nearly always ASCII (signed URLs are); redo exactly if not.
  return (
    splice(buf, base, from, to, edits, size) ??
    splice(buf, base, from, to, edits, exactSize(edits, to - from))!
  );
}

function exactSize(edits: readonly Edit[], size: number): number {
  for (const e of edits) if (e.text !== null) size += encoder.encode(e.text).length - (e.end - e.start);
  return size;
}

function splice(
  buf: Uint8Array,
  base: number,
  from: number,
  to: number,
  edits: readonly Edit[],
  size: number,
): Uint8Array | null {
  const out = alloc(size);
  let o = 0;
  let p = from;
  for (const e of edits) {
    const t = e.text;
    if (t === null) continue;
    if (e.start < p || e.end > to)
      throw new CfsignError(
        'ERR_REWRITE_FAILED',
        `Internal error: edit ${e.start}-${e.end} outside ${p}-${to}.`,
      );
    const gap = e.start - p;
    if (o + gap > size) return null;
    out.set(buf.subarray(p - base, e.start - base), o);
    o += gap;
    const r = encoder.encodeInto(t, out.subarray(o));
    if (r.read !== t.length) return null;
    o += r.written;
    p = e.end;
  }
  if (o + (to - p) !== size) return null;
  out.set(buf.subarray(p - base, to - base), o);
  return out;
}

/** Drives a {@link Scanner} over a byte stream. */
export class RewriteEngine {
  private pending: Uint8Array = EMPTY;
  private pendingBase = 0;
  private readonly list: EditList;
  private done = false;

  constructor(
    private readonly scanner: Scanner,
    resolver: LinkResolver,
  ) {
    this.list = new EditList(resolver);
  }

  /** Feeds a chunk (`final` for the end of input); returns the bytes ready to emit. */
  push(chunk: Uint8Array, final: boolean): Uint8Array | Promise<Uint8Array> {
    if (this.done) throw new TypeError('The rewriter already finished.');
    if (final) this.done = true;
    const buf =
      this.pending.length === 0 ? chunk : chunk.length === 0 ? this.pending : concat(this.pending, chunk);
    const base = this.pendingBase;
    const list = this.list;
    list.clear();
    let hold = this.scanner.scan(buf, base, final, list);
    if (final || hold > base + buf.length) hold = base + buf.length;
    this.pending = hold === base + buf.length ? EMPTY : buf.slice(hold - base);
    this.pendingBase = hold;
    if (list.async) return list.settle().then(() => apply(buf, base, base, hold, list));
    list.renderAll();
    return apply(buf, base, base, hold, list);
  }
}
