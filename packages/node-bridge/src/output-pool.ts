/**
 * Rewritten pages written into memory reused from one response to the next, when nothing can
 * still read it.
 * @module
 */
import { ServerResponse } from 'node:http';
import { BufferPool } from '@cfsign/rewriter';

/** Largest output written into a reused buffer; larger pages get a fresh one. */
export const MAX_REUSED_OUTPUT = 4 << 20;
// At least 1 MiB (room for a typical page, so the first buffer serves the next pages); two kept.
const pool = new BufferPool(1 << 20, MAX_REUSED_OUTPUT, 2);

/** How many buffers wait for the next page (for tests). */
export const pooledOutputs = (): number => pool.size;

/**
 * The output buffer of one response. `allocate` is handed to the rewriter; `release` gives the
 * buffer back once the response no longer needs it. A rewritten page is otherwise a fresh buffer
 * of its size, freed only by a later garbage collection: with glibc's default settings that memory
 * goes back to the system and is faulted in again for the next pages, which on a busy server costs
 * about as much as rewriting the page.
 *
 * @example
 * ```ts
 * const output = new ReusableOutput();
 * const bytes = rewriteBytes('html', page, { ...options, allocate: output.allocate });
 * res.end(bytes);
 * if (everyByteSent(res, end)) output.release();
 * ```
 */
export class ReusableOutput {
  private buffer: Uint8Array | null = null;

  /** The rewriter's allocator: the same buffer for every output of this response. */
  readonly allocate = (size: number): Uint8Array => {
    if (this.buffer === null || this.buffer.length < size) this.buffer = pool.take(size);
    return this.buffer.subarray(0, size);
  };

  /** The buffer is free again: kept for the next response. Call it at most once. */
  release(): void {
    if (this.buffer !== null) pool.give(this.buffer);
    this.buffer = null;
  }
}

/**
 * True when `res` has handed every byte to the operating system and no other code saw them: `end`
 * is Node's own (no middleware below ours holds the bytes, as a compressor does) and nothing waits
 * in the response or its socket (a slow client, a corked socket, a pipelined response not yet
 * attached). Only then may the buffer those bytes came from be written again.
 *
 * @example
 * ```ts
 * orig.end.call(res, bytes);
 * if (everyByteSent(res, orig.end)) output.release();
 * ```
 */
export function everyByteSent(res: ServerResponse, end: unknown): boolean {
  return end === ServerResponse.prototype.end && res.socket !== null && res.writableLength === 0;
}
