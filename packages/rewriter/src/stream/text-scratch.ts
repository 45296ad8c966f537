/**
 * Rewriting a body given as a string: its UTF-8 bytes go into a reused buffer, not a fresh one.
 * @module
 */
import { BufferPool } from './buffer-pool.js';

const encoder = new TextEncoder();

/** Largest scratch buffer kept (and so the largest string, at 3 bytes per UTF-16 unit, encoded into one). */
export const MAX_SCRATCH_BYTES = 4 << 20;
// At least 1 MiB (room for a typical page, so the first buffer serves the next pages); two kept.
const pool = new BufferPool(1 << 20, MAX_SCRATCH_BYTES, 2);

function own(out: Uint8Array, scratch: Uint8Array): Uint8Array {
  // A body without edits comes back as a view of its input: copied, so the scratch never escapes.
  const result = out.buffer === scratch.buffer ? out.slice() : out;
  pool.give(scratch);
  return result;
}

/**
 * Runs `rewrite` over the UTF-8 bytes of `text` and returns its output. The bytes are written into
 * a scratch buffer reused from one body to the next rather than a fresh one: a fresh buffer for
 * every page, freed only by a later garbage collection, is memory the allocator hands back to the
 * system and faults in again, which on a busy server costs about as much as rewriting the page.
 * The output is never a view of the scratch (it is copied when the rewrite returned its input),
 * and the scratch is taken back only once the rewrite settled, so rewrites in flight at once each
 * have their own. Strings too large for the biggest scratch are encoded as usual.
 *
 * @example
 * ```ts
 * const out = rewriteText(html, (bytes) => engine.push(bytes, true));
 * ```
 */
export function rewriteText(
  text: string,
  rewrite: (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>,
): Uint8Array | Promise<Uint8Array> {
  const need = text.length * 3;
  if (need > MAX_SCRATCH_BYTES) return rewrite(encoder.encode(text));
  const scratch = pool.take(need);
  let out: Uint8Array | Promise<Uint8Array>;
  try {
    const { written } = encoder.encodeInto(text, scratch);
    out = rewrite(scratch.subarray(0, written));
  } catch (err) {
    pool.give(scratch);
    throw err;
  }
  if (out instanceof Promise)
    return out.then(
      (o) => own(o, scratch),
      (err: unknown) => {
        pool.give(scratch);
        throw err;
      },
    );
  return own(out, scratch);
}
