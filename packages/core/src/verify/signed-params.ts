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

/** The URL's signing param names by length: the five names have five different lengths. */
const PARAM_BY_LENGTH: ([string, keyof SignedParams] | undefined)[] = [];
for (const entry of URL_TO_PARAM) PARAM_BY_LENGTH[entry[0].length] = entry;

/** The signing param named by `url[start, end)`, compared in place (no string per name). */
function paramAt(url: string, start: number, end: number): keyof SignedParams | undefined {
  const entry = PARAM_BY_LENGTH[end - start];
  return entry !== undefined && url.startsWith(entry[0], start) ? entry[1] : undefined;
}

/**
 * Splits a request URL in one pass into its signing params (`null` when it carries none) and the
 * resource: the URL without signing params and fragment, every other byte as it was.
 */
export function readSignedUrl(url: string): { params: SignedParams | null; resource: string } {
  const hash = url.indexOf('#');
  const end = hash === -1 ? url.length : hash;
  const q = url.indexOf('?');
  if (q === -1 || q > end) return { params: null, resource: url.slice(0, end) };
  let params: SignedParams | null = null;
  let kept = '';
  let keptCount = 0;
  // The first `=` at or after the current pair; kept between pairs, so hostile URLs scan once.
  let nextEq = -1;
  for (let start = q + 1; ; ) {
    let amp = url.indexOf('&', start);
    if (amp === -1 || amp > end) amp = end;
    if (nextEq < start) {
      nextEq = url.indexOf('=', start);
      if (nextEq === -1) nextEq = url.length;
    }
    const eq = Math.min(nextEq, amp);
    const key = paramAt(url, start, eq);
    if (key === undefined) {
      const pair = url.slice(start, amp);
      kept = keptCount++ === 0 ? pair : `${kept}&${pair}`;
    } else {
      params ??= { source: 'url' };
      if (params[key] === undefined)
        (params as unknown as Record<string, string>)[key] = eq === amp ? '' : url.slice(eq + 1, amp);
    }
    if (amp === end) break;
    start = amp + 1;
  }
  // No signing params: the URL is its own resource, every pair kept as it was.
  if (params === null) return { params, resource: url.slice(0, end) };
  return { params, resource: keptCount === 0 ? url.slice(0, q) : `${url.slice(0, q)}?${kept}` };
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
