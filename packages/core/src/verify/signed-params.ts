/**
 * Reads CloudFront's signing values from a request URL or its cookies, as the edge does.
 * @module
 */

/** The signing values of one request, and where they came from. */
export interface SignedParams {
  source: 'url' | 'cookie' | 'none';
  expires?: string | undefined;
  policy?: string | undefined;
  signature?: string | undefined;
  keyPairId?: string | undefined;
  hashAlgorithm?: string | undefined;
}

// Maps, not object literals: a parameter named `constructor` or `__proto__` is an ordinary parameter.
const COOKIE_TO_PARAM = new Map<string, keyof SignedParams>([
  ['CloudFront-Expires', 'expires'],
  ['CloudFront-Policy', 'policy'],
  ['CloudFront-Signature', 'signature'],
  ['CloudFront-Key-Pair-Id', 'keyPairId'],
  ['CloudFront-Hash-Algorithm', 'hashAlgorithm'],
]);
const URL_TO_PARAM = new Map<string, keyof SignedParams>([
  ['Expires', 'expires'],
  ['Policy', 'policy'],
  ['Signature', 'signature'],
  ['Key-Pair-Id', 'keyPairId'],
  ['Hash-Algorithm', 'hashAlgorithm'],
]);

/** Splits a raw URL into the part before the query, the query, without any fragment. */
function splitUrl(url: string): { base: string; query: string | null } {
  const hash = url.indexOf('#');
  const noFragment = hash === -1 ? url : url.slice(0, hash);
  const q = noFragment.indexOf('?');
  return q === -1
    ? { base: noFragment, query: null }
    : { base: noFragment.slice(0, q), query: noFragment.slice(q + 1) };
}

/**
 * Splits a request URL in one pass into its signing params (`null` when it carries none) and the
 * resource: the URL without signing params and fragment, every other byte as it was.
 */
export function readSignedUrl(url: string): { params: SignedParams | null; resource: string } {
  const { base, query } = splitUrl(url);
  if (query === null) return { params: null, resource: base };
  let params: SignedParams | null = null;
  const kept: string[] = [];
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = URL_TO_PARAM.get(eq === -1 ? pair : pair.slice(0, eq));
    if (key === undefined) kept.push(pair);
    else {
      params ??= { source: 'url' };
      if (params[key] === undefined)
        (params as unknown as Record<string, string>)[key] = eq === -1 ? '' : pair.slice(eq + 1);
    }
  }
  return { params, resource: kept.length === 0 ? base : `${base}?${kept.join('&')}` };
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
  return readSignedUrl(url).resource;
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
export function paramsFromUrl(url: string): SignedParams | null {
  return readSignedUrl(url).params;
}

/**
 * Reads signing values from a `Cookie` header (or a name → value record); `null` when none.
 * Empty values (cleared cookies sent back) are ignored.
 *
 * @example
 * ```ts
 * paramsFromCookies('CloudFront-Policy=eyJ...; CloudFront-Signature=x; CloudFront-Key-Pair-Id=K1')
 * // { source: 'cookie', policy: 'eyJ...', signature: 'x', keyPairId: 'K1' }
 * ```
 */
export function paramsFromCookies(
  cookies: string | Record<string, string> | undefined | null,
): SignedParams | null {
  if (!cookies) return null;
  const out: SignedParams = { source: 'cookie' };
  let found = false;
  const entries =
    typeof cookies === 'string'
      ? cookies.split(';').map((part) => {
          const eq = part.indexOf('=');
          return eq === -1 ? [part.trim(), ''] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
        })
      : Object.entries(cookies);
  for (const [name, value] of entries) {
    const key = COOKIE_TO_PARAM.get(name ?? '');
    // An empty value is a cleared cookie (Max-Age=0) sent back by a client that ignored the expiry.
    if (!key || !value) continue;
    found = true;
    if (out[key] === undefined) (out as unknown as Record<string, string>)[key] = value ?? '';
  }
  return found ? out : null;
}
