/**
 * Plain header access: the one interface the response layer reads and writes headers through.
 * @module
 */

/**
 * The header operations the response layer needs. A Web `Headers` object fits as it is; Node
 * responses are adapted by `nodeHeaders(res)` of `@cfsign/node-bridge`.
 *
 * @example
 * ```ts
 * const h: HeaderAccess = new Headers({ 'content-type': 'text/html' });
 * h.get('content-type'); // 'text/html'
 * ```
 */
export interface HeaderAccess {
  /** The value (several values joined with `, `), or `null` when absent. */
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Adds one more value (used for `Set-Cookie`). */
  append(name: string, value: string): void;
}
