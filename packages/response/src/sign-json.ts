/**
 * Signing the URL-valued strings of a JSON body (`signJson`): one implementation for every runtime.
 * @module
 */
import { CfsignError } from '@cfsign/core';
import type { SigningSession } from './session.js';

/**
 * Which strings of a JSON body are considered: `keys` (property names) limits signing to them
 * (`null`: every string); nothing at or under an `untrusted` property name (user text: comments,
 * bios, titles) is ever signed.
 */
export interface JsonScope {
  keys: ReadonlySet<string> | null;
  untrusted: ReadonlySet<string> | null;
}

/** An absolute path (not `//host`) or an absolute http(s) URL. */
const URLISH = /^(?:\/(?!\/)|https?:\/\/)/i;
const MAX_DEPTH = 64;

/**
 * Returns a copy of `value` (the input is not modified) where every string that is a link covered
 * by the rules is signed. With `keys`, only strings under those property names are considered;
 * with a {@link JsonScope}, nothing under its `untrusted` property names is.
 * Strings must be an absolute path (`/media/a.jpg`, not `//host/...`) or an absolute http(s) URL;
 * other strings are never resolved. Objects with `toJSON` and anything deeper than 64 levels are
 * kept as they are.
 *
 * @example
 * ```ts
 * await signJsonValue({ poster: '/private/p.jpg', title: 'x' }, session, null);
 * // { poster: 'https://cdn.example.com/private/p.jpg?Expires=…', title: 'x' }
 * await signJsonValue({ comment: '/private/users/42/tax.pdf' }, session, { keys: null, untrusted: new Set(['comment']) });
 * // { comment: '/private/users/42/tax.pdf' }
 * ```
 */
export async function signJsonValue(
  value: unknown,
  session: Pick<SigningSession, 'signUrl'>,
  scope: ReadonlySet<string> | null | JsonScope,
): Promise<unknown> {
  const { keys, untrusted } =
    scope === null || typeof (scope as ReadonlySet<string>).has === 'function'
      ? { keys: scope as ReadonlySet<string> | null, untrusted: null }
      : (scope as JsonScope);
  const walk = async (v: unknown, key: string | null, depth: number): Promise<unknown> => {
    if (key !== null && untrusted?.has(key)) return v;
    if (typeof v === 'string')
      return (keys === null || (key !== null && keys.has(key))) && URLISH.test(v) ? session.signUrl(v) : v;
    if (typeof v !== 'object' || v === null || depth > MAX_DEPTH) return v;
    if (Array.isArray(v)) return Promise.all(v.map((x) => walk(x, key, depth + 1)));
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a `__proto__` key is data (as JSON.parse made it), not the prototype.
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, {
        value: await walk(x, k, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  };
  return walk(value, null, 0);
}

/**
 * The error of a JSON body over `maxJsonBytes`: `CfsignError` `ERR_BODY_TOO_LARGE`, the same text
 * in every adapter.
 *
 * @example
 * ```ts
 * if (received > p.maxJsonBytes) throw jsonBodyTooLarge(p.maxJsonBytes);
 * ```
 */
export function jsonBodyTooLarge(maxBytes: number): CfsignError {
  return new CfsignError(
    'ERR_BODY_TOO_LARGE',
    `The JSON body is over ${maxBytes} bytes ("maxJsonBytes"); raise "maxJsonBytes", or sign the links in the handler (signUrl) and send the body unsigned.`,
  );
}

/**
 * Parses a JSON body to sign; a body that is not JSON (though its type says so) is `CfsignError`
 * `ERR_REWRITE_FAILED`, with the parser's error as `cause`.
 *
 * @example
 * ```ts
 * parseJsonBody('{"src":"/media/a.jpg"}'); // { src: '/media/a.jpg' }
 * ```
 */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CfsignError(
      'ERR_REWRITE_FAILED',
      'The response body is labelled JSON (Content-Type) but is not valid JSON; send valid JSON, or the right Content-Type.',
      { cause: err },
    );
  }
}

/**
 * Signs a JSON text: parsed, signed by {@link signJsonValue}, serialized again (whitespace is not
 * kept). Rejects with `ERR_BODY_TOO_LARGE` above `maxBytes` UTF-8 bytes, `ERR_REWRITE_FAILED` for
 * invalid JSON.
 *
 * @example
 * ```ts
 * await signJsonText('{"src":"/media/a.jpg","title":"A"}', session, null, 4 << 20);
 * // '{"src":"https://d111111abcdef8.cloudfront.net/media/a.jpg?Expires=…","title":"A"}'
 * ```
 */
export async function signJsonText(
  text: string,
  session: Pick<SigningSession, 'signUrl'>,
  keys: ReadonlySet<string> | null | JsonScope,
  maxBytes: number,
): Promise<string> {
  if (text.length > maxBytes || new TextEncoder().encode(text).length > maxBytes)
    throw jsonBodyTooLarge(maxBytes);
  return JSON.stringify(await signJsonValue(parseJsonBody(text), session, keys));
}

/**
 * True for a body {@link signJsonValue} handles: a plain object or an array.
 *
 * @example
 * ```ts
 * isJsonBody({ a: 1 }); // true
 * isJsonBody(new Date()); // false
 * ```
 */
export function isJsonBody(v: unknown): boolean {
  if (Array.isArray(v)) return true;
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
