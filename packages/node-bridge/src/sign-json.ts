/**
 * Signing URL-valued strings of a JSON body by the rules (`signJson` option).
 * @module
 */
import type { SigningSession } from './session.js';

const URLISH = /^(?:https?:\/\/|\/)/i;
const MAX_DEPTH = 64;

/**
 * Returns a copy of `value` where every string that is a link covered by the rules is signed.
 * With `keys`, only strings under those property names are considered. Strings must look like an
 * absolute `http(s)` URL or an absolute path; other strings are never resolved.
 *
 * @example
 * ```ts
 * await signJsonValue({ poster: '/private/p.jpg', title: 'x' }, session, null);
 * // { poster: 'https://cdn.example.com/private/p.jpg?Expires=…', title: 'x' }
 * ```
 */
export async function signJsonValue(
  value: unknown,
  session: SigningSession,
  keys: ReadonlySet<string> | null,
): Promise<unknown> {
  const walk = async (v: unknown, key: string | null, depth: number): Promise<unknown> => {
    if (typeof v === 'string')
      return (keys === null || (key !== null && keys.has(key))) && URLISH.test(v) ? session.signUrl(v) : v;
    if (typeof v !== 'object' || v === null || depth > MAX_DEPTH) return v;
    if (Array.isArray(v)) return Promise.all(v.map((x) => walk(x, key, depth + 1)));
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await walk(x, k, depth + 1);
    return out;
  };
  return walk(value, null, 0);
}

/** True for a body `signJsonValue` handles: a plain object or an array. */
export function isJsonBody(v: unknown): boolean {
  if (Array.isArray(v)) return true;
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
