/**
 * The body of a `@hono/node-server` lightweight `Response`, read without building its stream.
 * @module
 */

/**
 * `@hono/node-server` replaces the global `Response` with a lightweight one that keeps
 * `[status, body, headers]` under a symbol of its own (described `cache`) and builds a real
 * `Response`, with a stream over the body, only when something reads `body`, `text()` or the like.
 * For a string or bytes body this returns them as they are (`null` for no body), so the page is
 * rewritten in one pass and node-server writes the result without streams, as it writes an
 * unsigned page. Anything else (another runtime, another shape, a stream body, a response whose
 * real `Response` was built already) gives `undefined`, and the body is read as a stream.
 *
 * @example
 * ```ts
 * const body = nodeServerBody(c.res); // '<!doctype html>...' on node-server, undefined elsewhere
 * ```
 */
export function nodeServerBody(response: Response): string | Uint8Array | null | undefined {
  for (const symbol of Object.getOwnPropertySymbols(response)) {
    if (symbol.description !== 'cache') continue;
    const cached: unknown = (response as unknown as Record<symbol, unknown>)[symbol];
    if (!Array.isArray(cached) || cached[0] !== response.status) return undefined;
    const body: unknown = cached[1];
    return body === null || typeof body === 'string' || body instanceof Uint8Array ? body : undefined;
  }
  return undefined;
}
