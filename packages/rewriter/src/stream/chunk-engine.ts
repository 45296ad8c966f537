/**
 * The chunk-invariant core shared by every format: keep the bytes a future edit may still touch,
 * emit the rest with edits applied, fail the stream rather than emit a half-rewritten body.
 * @module
 */
import { CfsignError } from '@cfsign/core';
import { type Edit, EditList, WRAP_DQ } from './edits.js';
import { escapeAttr } from './escape-attr.js';
import type { LinkResolver } from './link-resolver.js';

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

/** Node's native UTF-8 writer (no subarray, no result object), when available. */
const utf8Write = ((): ((this: Uint8Array, s: string, at: number, max: number) => number) | undefined => {
  const f = (
    globalThis as {
      Buffer?: {
        prototype?: { utf8Write?: (this: Uint8Array, s: string, at: number, max: number) => number };
      };
    }
  ).Buffer?.prototype?.utf8Write;
  if (typeof f !== 'function') return undefined;
  try {
    // only if it writes into a plain Uint8Array, as Node's does
    const probe = new Uint8Array(3);
    return f.call(probe, 'ab', 1, 2) === 2 && probe[1] === 0x61 && probe[2] === 0x62 ? f : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * Writes `t` at `out[at]` when it is all ASCII and fits before `max`: returns false otherwise
 * (the caller then redoes the output exactly).
 */
function writeAscii(out: Uint8Array, at: number, max: number, t: string): boolean {
  if (at + t.length > max) return false;
  if (utf8Write !== undefined) return utf8Write.call(out, t, at, max - at) === t.length;
  const r = encoder.encodeInto(t, out.subarray(at, max));
  return r.read === t.length && r.written === t.length;
}

/** Bytes attribute escaping adds to `t` (see {@link Edit.esc}). */
function escGrowth(t: string, esc: number): number {
  let n = esc === WRAP_DQ ? 2 : 0;
  for (let i = t.indexOf('&'); i >= 0; i = t.indexOf('&', i + 1)) n += 4;
  const q = esc === 0x27 ? "'" : '"';
  const per = esc === 0x27 ? 4 : 5;
  for (let i = t.indexOf(q); i >= 0; i = t.indexOf(q, i + 1)) n += per;
  return n;
}

const AMP = [0x26, 0x61, 0x6d, 0x70, 0x3b]; // &amp;
const QUOT = [0x26, 0x71, 0x75, 0x6f, 0x74, 0x3b]; // &quot;
const APOS = [0x26, 0x23, 0x33, 0x39, 0x3b]; // &#39;

/**
 * Writes `t` escaped at `out[o]` (ASCII only): the raw text is encoded `extra` bytes further
 * on, then moved down segment by segment with each `&` / quote replaced by its reference.
 * Returns the new output offset, or -1 when `t` is not ASCII or does not fit.
 */
function writeEscaped(
  out: Uint8Array,
  o: number,
  max: number,
  t: string,
  esc: number,
  extra: number,
): number {
  const wrap = esc === WRAP_DQ;
  if (wrap) {
    if (o >= max) return -1;
    out[o++] = 0x22;
    extra -= 2;
  }
  let src = o + extra;
  if (!writeAscii(out, src, max, t)) return -1;
  const qs = esc === 0x27 ? "'" : '"';
  const ref = esc === 0x27 ? APOS : QUOT;
  let dst = o;
  let p = 0;
  let a = t.indexOf('&');
  let b = t.indexOf(qs);
  while (a >= 0 || b >= 0) {
    const isAmp = b < 0 || (a >= 0 && a < b);
    const k = isAmp ? a : b;
    const n = k - p;
    if (dst !== src) out.copyWithin(dst, src, src + n);
    dst += n;
    src += n + 1;
    const r = isAmp ? AMP : ref;
    for (let j = 0; j < r.length; j++) out[dst++] = r[j]!;
    p = k + 1;
    if (isAmp) a = t.indexOf('&', p);
    else b = t.indexOf(qs, p);
  }
  const n = t.length - p;
  if (dst !== src) out.copyWithin(dst, src, src + n);
  dst += n;
  if (wrap) {
    if (dst >= max) return -1;
    out[dst++] = 0x22;
  }
  return dst;
}

/** The escaped text of an edit, as a string (the exact, non-ASCII path). */
function escapedText(t: string, esc: number): string {
  const v = escapeAttr(t, esc === 0x27 ? "'" : '"');
  return esc === WRAP_DQ ? `"${v}"` : v;
}

/** Where output bytes are written: at least `size` bytes, of which the output is the first `size`. */
export type Allocate = (size: number) => Uint8Array;

/** The allocator's buffer, checked: a short or foreign one would corrupt the output. */
function outputBuffer(allocate: Allocate, size: number): Uint8Array {
  if (allocate === alloc) return alloc(size);
  const out = allocate(size);
  if (!(out instanceof Uint8Array) || out.length < size)
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      `"allocate" must return a Uint8Array of at least the ${size} bytes asked for.`,
    );
  return out.length === size ? out : out.subarray(0, size);
}

/** Applies edits in `[from, to)` of `buf` (absolute `base`) and returns the output bytes. */
function apply(
  buf: Uint8Array,
  base: number,
  from: number,
  to: number,
  list: EditList,
  allocate: Allocate,
): Uint8Array {
  const edits = list.edits;
  let size = to - from;
  let live = 0;
  for (const e of edits) {
    if (e.text === null) continue;
    size += e.text.length - (e.end - e.start);
    if (e.esc !== 0) size += e.extra = escGrowth(e.text, e.esc);
    live++;
  }
  if (live === 0) return buf.subarray(from - base, to - base);
  // Optimistic: replacement text is nearly always ASCII (signed URLs are); redo exactly if not.
  const fast = splice(buf, base, from, to, edits, size, false, allocate);
  if (fast !== null) return fast;
  for (const e of edits)
    if (e.text !== null && e.esc !== 0) {
      e.text = escapedText(e.text, e.esc);
      e.esc = 0;
    }
  return splice(buf, base, from, to, edits, exactSize(edits, to - from), true, allocate)!;
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
  exact: boolean,
  allocate: Allocate,
): Uint8Array | null {
  const out = outputBuffer(allocate, size);
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
    if (exact) {
      const r = encoder.encodeInto(t, out.subarray(o));
      if (r.read !== t.length) return null;
      o += r.written;
    } else if (e.esc !== 0) {
      o = writeEscaped(out, o, size, t, e.esc, e.extra);
      if (o < 0) return null;
    } else {
      if (!writeAscii(out, o, size, t)) return null;
      o += t.length;
    }
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

  private readonly allocate: Allocate;

  /** `allocate`: where output bytes are written (default: a fresh buffer for every output). */
  constructor(
    private readonly scanner: Scanner,
    resolver: LinkResolver,
    allocate?: Allocate,
  ) {
    this.list = new EditList(resolver);
    this.allocate = allocate ?? alloc;
  }

  /** Feeds a chunk (`final` for the end of input); returns the bytes ready to emit. */
  push(chunk: Uint8Array, final: boolean): Uint8Array | Promise<Uint8Array> {
    if (this.done)
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        'The rewriter already finished (push(chunk, true) was called); create a new one for each body.',
      );
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
    const allocate = this.allocate;
    if (list.async) return list.settle().then(() => apply(buf, base, base, hold, list, allocate));
    list.renderAll();
    return apply(buf, base, base, hold, list, allocate);
  }
}
