/**
 * The resource string (docs/signing.md §4): exactly the bytes a browser sends, so the signature matches.
 * @module
 */
import { checkBoolean, checkOneOf, isOptions, looksLikeKey, show } from './args.js';
import { isCanonicalHttpUrl } from './canonical-fast.js';
import { CfsignError, unreadable } from './errors.js';

/** Query parameter names CloudFront reserves for signing (case-sensitive). */
export const SIGNING_PARAMS: readonly string[] = [
  'Expires',
  'Policy',
  'Signature',
  'Key-Pair-Id',
  'Hash-Algorithm',
];

/** Options of {@link canonicalizeUrl}. */
export interface CanonicalizeOptions {
  /** Base for relative links (the page URL, or its `<base href>`). */
  base?: string | URL;
  /** Only validate, do not re-serialize (for non-browser clients that send the URL as written). */
  verbatim?: boolean;
  /** What to do with app query params named like CloudFront's: `'error'` (default) or `'strip'`. */
  reservedParams?: 'error' | 'strip';
}

/** A canonical resource and the fragment kept aside (`''` or `'#...'`). */
export interface CanonicalUrl {
  resource: string;
  fragment: string;
}

/**
 * Canonicalizes a link to the resource CloudFront will compare against.
 *
 * @example
 * ```ts
 * canonicalizeUrl("HTTPS://CDN.Example.com:443/a/./b/../Photo 1.jpg?x=it's#top")
 * // { resource: 'https://cdn.example.com/a/Photo%201.jpg?x=it%27s', fragment: '#top' }
 * ```
 */
export function canonicalizeUrl(input: string | URL, options: CanonicalizeOptions = {}): CanonicalUrl {
  try {
    const text = urlText(input);
    if (!isOptions(options as unknown))
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        `canonicalizeUrl options must be an object such as { base: pageUrl }; got ${show(options)}.`,
      );
    checkBoolean(options.verbatim, 'verbatim');
    checkOneOf(options.reservedParams, ['error', 'strip'] as const, 'reservedParams');
    const base = options.base === undefined ? undefined : urlText(options.base, 'base');
    let href: string;
    let printable = false;
    if (options.verbatim) {
      href = text;
      if (!/^https?:\/\//.test(href))
        throw new CfsignError(
          'ERR_UNSUPPORTED_SCHEME',
          `Verbatim URLs must be absolute http(s) URLs in lower case; got ${preview(text)}.`,
        );
    } else if (isCanonicalHttpUrl(text)) {
      // Already what the parser would print (proven in canonical-fast.test.ts): skip `new URL()`.
      // Its character classes hold printable ASCII only, without `"` or `\`.
      href = text;
      printable = true;
    } else {
      let url: URL;
      try {
        url = base === undefined ? new URL(text) : new URL(text, base);
      } catch {
        // Not the parser's error as `cause`: it holds the whole input (and base), which may be key text.
        throw new CfsignError(
          'ERR_INVALID_URL',
          `${preview(text)} is not a valid URL.${options.base === undefined && !/^[a-z][a-z0-9+.-]*:/i.test(text) ? ' Relative links need `base` (the page URL).' : ''}`,
        );
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new CfsignError(
          'ERR_UNSUPPORTED_SCHEME',
          `Only http and https URLs can be signed; got ${url.protocol} in ${preview(text)}.`,
        );
      if (url.username || url.password)
        throw new CfsignError(
          'ERR_INVALID_URL',
          'URLs with user:password@ are not sent that way by browsers; remove the credentials.',
        );
      href = url.href;
    }
    const hash = href.indexOf('#');
    let resource = hash === -1 ? href : href.slice(0, hash);
    const fragment = hash === -1 ? '' : href.slice(hash);
    const q = resource.indexOf('?');
    if (q !== -1) {
      let query = resource.slice(q + 1);
      if (!options.verbatim && query.includes('\\')) query = query.replaceAll('\\', '%5C');
      query = checkReservedParams(query, options.reservedParams ?? 'error');
      resource =
        query === '' && options.reservedParams === 'strip'
          ? resource.slice(0, q)
          : `${resource.slice(0, q)}?${query}`;
    }
    if (!printable && !isPrintableResource(resource))
      throw new CfsignError(
        'ERR_INVALID_URL',
        `${preview(resource)} has bytes CloudFront would not see as written (space, quote, backslash or non-ASCII); leave \`verbatim\` off to canonicalize it.`,
      );
    return { resource, fragment };
  } catch (err) {
    throw unreadable(err, 'canonicalizeUrl');
  }
}

/** The text of a link given as a string or a `URL` (also a `URL` from another realm). */
export function urlText(input: unknown, name = 'url'): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  const href = isOptions(input) ? input.href : undefined;
  if (typeof href === 'string' && Object.prototype.toString.call(input) === '[object URL]') return href;
  throw new CfsignError(
    'ERR_INVALID_URL',
    `"${name}" must be a string or a URL such as "https://cdn.example.com/a.jpg"; got ${show(input)}.`,
  );
}

/** True when every char is printable ASCII (0x21–0x7E) and none is `"` or `\`. */
export function isPrintableResource(s: string): boolean {
  if (typeof s !== 'string') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

function checkReservedParams(query: string, mode: 'error' | 'strip'): string {
  if (!SIGNING_PARAMS.some((p) => query.includes(p))) return query;
  const pairs = query.split('&');
  const kept = pairs.filter((pair) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (!SIGNING_PARAMS.includes(name)) return true;
    if (mode === 'strip') return false;
    throw new CfsignError(
      'ERR_RESERVED_QUERY_PARAM',
      `The URL already has a "${name}" query parameter, which CloudFront reserves for signing; rename it, or pass reservedParams: 'strip' to drop it.`,
    );
  });
  return kept.join('&');
}

/**
 * Appends the signing query to a resource, then the fragment.
 *
 * @example
 * ```ts
 * appendSignedQuery('https://cdn.example.com/a.jpg?w=1', 'Expires=1&Signature=x&Key-Pair-Id=K1', '#top')
 * // 'https://cdn.example.com/a.jpg?w=1&Expires=1&Signature=x&Key-Pair-Id=K1#top'
 * ```
 */
export function appendSignedQuery(resource: string, query: string, fragment = ''): string {
  if (typeof resource !== 'string' || typeof query !== 'string' || typeof fragment !== 'string')
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      'appendSignedQuery takes three strings: the resource, the signing query and the fragment ("" or "#...").',
    );
  return resource + (resource.includes('?') ? '&' : '?') + query + fragment;
}

/** A short, safe preview of user input for messages. */
export function preview(text: string): string {
  if (looksLikeKey(text)) return show(text);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
