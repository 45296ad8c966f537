/**
 * A Fastify reply's headers seen through the response layer's `HeaderAccess`.
 * @module
 */
import type { HeaderAccess } from '@cfsign/response';

/** The header methods of a Fastify reply (4 and 5) that {@link replyHeaders} uses. */
export interface ReplyHeaderTarget {
  getHeader(name: string): unknown;
  header(name: string, value: unknown): unknown;
  removeHeader(name: string): unknown;
}

const text = (v: unknown): string | null =>
  v === undefined || v === null ? null : Array.isArray(v) ? v.join(', ') : String(v);

/**
 * Adapts a Fastify reply's headers to `HeaderAccess`. `append` keeps earlier values as a list
 * (Fastify itself appends `Set-Cookie`).
 *
 * @example
 * ```ts
 * applyHeaderPolicy(replyHeaders(reply), prepared, { length: body.length });
 * ```
 */
export function replyHeaders(reply: ReplyHeaderTarget): HeaderAccess {
  return {
    get: (name) => text(reply.getHeader(name)),
    set: (name, value) => void reply.header(name, value),
    delete: (name) => void reply.removeHeader(name),
    append(name, value) {
      if (name.toLowerCase() === 'set-cookie') return void reply.header(name, value);
      const prev = reply.getHeader(name);
      const list = prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)];
      reply.header(name, [...list, value]);
    },
  };
}
