/**
 * A Node `ServerResponse` seen through the response layer's `HeaderAccess`.
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { HeaderAccess } from '@cfsign/response';

/** The header methods of a Node `ServerResponse` that {@link nodeHeaders} uses. */
export type NodeHeaderTarget = Pick<ServerResponse, 'getHeader' | 'setHeader' | 'removeHeader'>;

const text = (v: number | string | string[] | undefined): string | null =>
  v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v);

/**
 * Adapts a Node response's headers to `HeaderAccess` (`append` keeps earlier values, as a list).
 *
 * @example
 * ```ts
 * applyHeaderPolicy(nodeHeaders(res), prepared, {});
 * ```
 */
export function nodeHeaders(res: NodeHeaderTarget): HeaderAccess {
  return {
    get: (name) => text(res.getHeader(name)),
    set: (name, value) => void res.setHeader(name, value),
    delete: (name) => res.removeHeader(name),
    append(name, value) {
      const prev = res.getHeader(name);
      const list = prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)];
      res.setHeader(name, [...list, value]);
    },
  };
}
