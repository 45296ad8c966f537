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

/**
 * Frames a `HEAD` answer whose length is not claimed: `Transfer-Encoding: chunked`, as a streamed
 * GET would say (RFC 9110 §9.3.2 lets HEAD carry it). Without a framing header, Node's own HTTP
 * client reads the answer as "ends at close" and drops the keep-alive connection.
 *
 * @example
 * ```ts
 * frameHead(res); // after applyHeaderPolicy(nodeHeaders(res), prepared, {})
 * ```
 */
export function frameHead(res: NodeHeaderTarget & { req?: { httpVersionMinor?: number } }): void {
  if (res.req?.httpVersionMinor !== 0) res.setHeader('transfer-encoding', 'chunked');
}
