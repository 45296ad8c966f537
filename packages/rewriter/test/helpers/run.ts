import {
  createRewriteStream,
  type RewriteFormat,
  type RewriteStreamOptions,
  rewriteBytes,
} from '../../src/resolver-rewriter.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Rewrites `input` in one go (sync path). */
export function once(format: RewriteFormat, input: string | Uint8Array, opts: RewriteStreamOptions): string {
  const out = rewriteBytes(format, input, opts);
  if (out instanceof Promise) throw new Error('expected a synchronous rewrite');
  return dec.decode(out);
}

/** Rewrites through the Web TransformStream, feeding the given chunks. */
export async function streamed(
  format: RewriteFormat,
  chunks: Uint8Array[],
  opts: RewriteStreamOptions,
): Promise<Uint8Array> {
  const ts = createRewriteStream(format, opts);
  const writer = ts.writable.getWriter();
  const reading = (async () => {
    const parts: Uint8Array[] = [];
    const reader = ts.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  })();
  const writing = (async () => {
    for (const c of chunks) await writer.write(c);
    await writer.close();
  })();
  const [out] = await Promise.all([reading, writing]);
  return out;
}

/** Output for every two-chunk split (sync engine): returns the first offset that differs, or -1. */
export function firstBadSplit(
  format: RewriteFormat,
  input: string,
  opts: () => RewriteStreamOptions,
  expected: string,
): number {
  const bytes = enc.encode(input);
  for (let at = 0; at <= bytes.length; at++) {
    const out = splitRewrite(format, [bytes.subarray(0, at), bytes.subarray(at)], opts());
    if (out !== expected) return at;
  }
  return -1;
}

import { createEngine } from '../../src/resolver-rewriter.js';

/** Sync rewrite of explicit chunks. */
export function splitRewrite(
  format: RewriteFormat,
  chunks: Uint8Array[],
  opts: RewriteStreamOptions,
): string {
  const engine = createEngine(format, opts);
  const parts: Uint8Array[] = [];
  for (const c of chunks) parts.push(engine.push(c, false) as Uint8Array);
  parts.push(engine.push(new Uint8Array(0), true) as Uint8Array);
  return parts.map((p) => dec.decode(p, { stream: true })).join('') + dec.decode();
}

export { dec, enc };
