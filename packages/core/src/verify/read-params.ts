/**
 * The public readers of signing values (`paramsFromUrl`, `paramsFromCookies`, `stripSigningParams`):
 * the parsers of `signed-params.ts` behind argument checks, so no JavaScript value makes them throw
 * anything but a {@link CfsignError}.
 * @module
 */
import { isOptions, show } from '../args.js';
import { CfsignError, unreadable } from '../errors.js';
import * as raw from './signed-params.js';

function checkUrl(url: unknown, fn: string): string {
  if (typeof url !== 'string')
    throw new CfsignError('ERR_INVALID_URL', `${fn} takes the request URL as a string; got ${show(url)}.`);
  return url;
}

/**
 * Removes CloudFront's signing params from a URL, leaving every other byte as it was.
 *
 * @example
 * ```ts
 * stripSigningParams('https://cdn.example.com/a.jpg?w=1&Expires=1&Signature=x&Key-Pair-Id=K1')
 * // 'https://cdn.example.com/a.jpg?w=1'
 * ```
 */
export function stripSigningParams(url: string): string {
  return raw.stripSigningParams(checkUrl(url, 'stripSigningParams'));
}

/**
 * Reads signing params from the URL; `null` when the URL carries none.
 *
 * @example
 * ```ts
 * paramsFromUrl('https://cdn.example.com/a.jpg?Expires=1&Signature=x&Key-Pair-Id=K1')
 * // { source: 'url', expires: '1', signature: 'x', keyPairId: 'K1' }
 * ```
 */
export function paramsFromUrl(url: string): raw.SignedParams | null {
  return raw.paramsFromUrl(checkUrl(url, 'paramsFromUrl'));
}

/**
 * Reads signing values from a `Cookie` header (or a name → value record); `null` when none.
 * Empty and non-string values are ignored, as are inputs that are neither.
 *
 * @example
 * ```ts
 * paramsFromCookies('CloudFront-Policy=eyJ...; CloudFront-Signature=x; CloudFront-Key-Pair-Id=K1')
 * // { source: 'cookie', policy: 'eyJ...', signature: 'x', keyPairId: 'K1' }
 * ```
 */
export function paramsFromCookies(
  cookies: string | Record<string, string> | undefined | null,
): raw.SignedParams | null {
  try {
    if (typeof cookies === 'string') return raw.paramsFromCookies(cookies);
    if (!isOptions(cookies)) return null;
    const strings: Record<string, string> = {};
    for (const [name, value] of Object.entries(cookies)) if (typeof value === 'string') strings[name] = value;
    return raw.paramsFromCookies(strings);
  } catch (err) {
    throw unreadable(err, 'paramsFromCookies');
  }
}
