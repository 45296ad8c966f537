/**
 * The last page output, kept until the next one replaces it. Nothing reads it: the reference only
 * keeps the newest page's memory in use. Where pages are fresh buffers freed in bulk by the garbage
 * collector, glibc's `malloc` otherwise gives the top of its heap back to the system after each
 * collection and the next pages fault it in again (page faults per signed Fastify page went from
 * about 215 to 126, and its CPU from 6.0 to 4.1 ms; see BENCHMARKS.md). One page of memory, at most
 * {@link MAX_KEPT_OUTPUT} bytes, is the whole cost.
 * @module
 */

/** Largest output kept (2 MiB). */
export const MAX_KEPT_OUTPUT = 2 << 20;

let latest: Uint8Array | null = null;

/**
 * Keeps `out` as the newest page output (replacing the one before) and returns it; a promise is
 * kept once it resolves.
 *
 * @example
 * ```ts
 * return keepLatestOutput(rewriteBytes('html', page, options));
 * ```
 */
export function keepLatestOutput<T extends Uint8Array | Promise<Uint8Array>>(out: T): T {
  if (out instanceof Promise)
    return out.then((bytes) => {
      keep(bytes);
      return bytes;
    }) as T;
  keep(out as Uint8Array);
  return out;
}

function keep(out: Uint8Array): void {
  if (out.length <= MAX_KEPT_OUTPUT) latest = out;
}

/** The output kept now (tests). */
export function keptOutput(): Uint8Array | null {
  return latest;
}
