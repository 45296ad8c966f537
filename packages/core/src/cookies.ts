/**
 * Signed-cookie objects, `Set-Cookie` serialization and clearing (docs/signing.md §7).
 * @module
 */
import { checkBoolean, checkOneOf, isOptions, show } from './args.js';
import { checkDomain, checkDomainCovers, checkPath, checkPathCovers, cookiePathFor } from './cookie-scope.js';
import { CfsignError, unreadable } from './errors.js';

export { cookiePathFor };

/** The names CloudFront reads, in the order they are set. */
export const COOKIE_NAMES = [
  'CloudFront-Policy',
  'CloudFront-Expires',
  'CloudFront-Signature',
  'CloudFront-Key-Pair-Id',
  'CloudFront-Hash-Algorithm',
] as const;

/** One cookie with its attributes. */
export interface Cookie {
  name: string;
  value: string;
  domain?: string | undefined;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Strict' | 'Lax' | 'None';
  maxAge?: number | undefined;
  /** Set only on clearing cookies (the epoch). */
  expires?: Date | undefined;
}

/** Cookie attributes callers may set. */
export interface CookieAttributes {
  /**
   * Parent domain shared by the app and the CDN host (for example `example.com`). Omitted by default.
   * Must be a host name the resource host domain-matches (the host itself or a parent of it), and
   * not `cloudfront.net` (a public suffix); a leading dot is ignored, as browsers do.
   */
  domain?: string;
  /**
   * Literal path prefix; defaults to the resource's path up to its first wildcard, cut after the
   * last `/`. Never contains `*`, and must path-match some request the resource covers (`/` always does).
   */
  path?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** Seconds; must not outlive the policy. Session cookies by default. */
  maxAge?: number;
}

/**
 * Serializes a cookie as a `Set-Cookie` header value.
 *
 * @example
 * ```ts
 * serializeCookie({ name: 'CloudFront-Key-Pair-Id', value: 'K2JCJMDEHXQW5F', path: '/images/', secure: true, httpOnly: true, sameSite: 'Lax' })
 * // 'CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F; Path=/images/; Secure; HttpOnly; SameSite=Lax'
 * ```
 */
export function serializeCookie(c: Cookie): string {
  try {
    if (!isOptions(c) || typeof c.name !== 'string' || !TOKEN.test(c.name))
      throw new CfsignError(
        'ERR_INVALID_COOKIE_OPTIONS',
        `serializeCookie needs a cookie { name, value, path, ... } whose name is a cookie token; got ${show(isOptions(c) ? c.name : c)}.`,
      );
    if (typeof c.value !== 'string' || !VALUE.test(c.value))
      throw new CfsignError(
        'ERR_INVALID_COOKIE_OPTIONS',
        `The value of cookie ${c.name} must be a string of cookie-safe characters (no spaces, quotes, commas, semicolons or backslashes).`,
      );
    checkDomain(c.domain);
    checkPath(c.path);
    checkBoolean(c.secure, 'secure', 'ERR_INVALID_COOKIE_OPTIONS');
    checkBoolean(c.httpOnly, 'httpOnly', 'ERR_INVALID_COOKIE_OPTIONS');
    checkOneOf(c.sameSite, SAME_SITE, 'sameSite', 'ERR_INVALID_COOKIE_OPTIONS');
    if (c.maxAge !== undefined) checkMaxAge(c.maxAge, Number.MAX_SAFE_INTEGER);
    if (c.expires !== undefined && !(c.expires instanceof Date && Number.isFinite(c.expires.getTime())))
      throw new CfsignError('ERR_INVALID_COOKIE_OPTIONS', '"expires" must be a valid Date.');
    return serializeChecked(c);
  } catch (err) {
    throw unreadable(err, 'serializeCookie');
  }
}

/** {@link serializeCookie} for a cookie built here from validated attributes. */
export function serializeChecked(c: Cookie): string {
  let s = `${c.name}=${c.value}`;
  if (c.domain) s += `; Domain=${c.domain}`;
  s += `; Path=${c.path}`;
  if (c.maxAge !== undefined) s += `; Max-Age=${c.maxAge}`;
  if (c.expires) s += `; Expires=${c.expires.toUTCString()}`;
  if (c.secure) s += '; Secure';
  if (c.httpOnly) s += '; HttpOnly';
  s += `; SameSite=${c.sameSite}`;
  return s;
}

const SAME_SITE = ['Strict', 'Lax', 'None'] as const;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VALUE = /^[!#-+\--:<-[\]-~]*$/;

function checkMaxAge(maxAge: unknown, lifetime: number): number {
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0 || maxAge > lifetime)
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `"maxAge" must be whole seconds between 0 and the policy lifetime (${lifetime} s); got ${show(maxAge)}.`,
    );
  return maxAge;
}

/**
 * Validates and fills cookie attributes for a cookie set granting `resource`: a `domain` must be a
 * host name the resource host domain-matches (not `cloudfront.net`), a `path` must path-match some
 * request the resource covers, so the browser sends the cookies where they count (docs/signing.md §7).
 */
export function resolveAttributes(
  attrs: CookieAttributes,
  resource: string,
  lifetime: number,
): Omit<Cookie, 'name' | 'value'> {
  const path = checkPath(attrs.path ?? cookiePathFor(resource));
  if (attrs.path !== undefined) checkPathCovers(path, resource);
  const domain = checkDomain(attrs.domain);
  if (domain !== undefined) checkDomainCovers(domain, resource);
  const sameSite = checkOneOf(attrs.sameSite, SAME_SITE, 'sameSite', 'ERR_INVALID_COOKIE_OPTIONS') ?? 'Lax';
  const secure = checkBoolean(attrs.secure, 'secure', 'ERR_INVALID_COOKIE_OPTIONS') ?? true;
  const httpOnly = checkBoolean(attrs.httpOnly, 'httpOnly', 'ERR_INVALID_COOKIE_OPTIONS') ?? true;
  if (sameSite === 'None' && !secure)
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      'SameSite=None cookies must be Secure; browsers drop them otherwise.',
    );
  const maxAge = attrs.maxAge === undefined ? undefined : checkMaxAge(attrs.maxAge, lifetime);
  return { domain, path, secure, httpOnly, sameSite, maxAge };
}

/**
 * Cookies that expire every CloudFront-* name for the given Domain/Path.
 *
 * @example
 * ```ts
 * res.setHeader('Set-Cookie', clearCookies({ domain: 'example.com', path: '/private/' }).map(serializeCookie));
 * ```
 */
export function clearCookies(
  attrs?: Pick<CookieAttributes, 'domain' | 'path' | 'sameSite' | 'secure'>,
  names: readonly string[] = COOKIE_NAMES,
): Cookie[] {
  try {
    if (attrs !== undefined && !isOptions(attrs))
      throw new CfsignError(
        'ERR_INVALID_COOKIE_OPTIONS',
        `clearCookies takes { domain?, path?, sameSite?, secure? }; got ${show(attrs)}.`,
      );
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && TOKEN.test(n)))
      throw new CfsignError(
        'ERR_INVALID_COOKIE_OPTIONS',
        `clearCookies takes a list of cookie names as its second argument (default: every CloudFront-* name); got ${show(names)}.`,
      );
    const a = attrs ?? {};
    const domain = checkDomain(a.domain);
    const path = checkPath(a.path ?? '/');
    const secure = checkBoolean(a.secure, 'secure', 'ERR_INVALID_COOKIE_OPTIONS') ?? true;
    const sameSite = checkOneOf(a.sameSite, SAME_SITE, 'sameSite', 'ERR_INVALID_COOKIE_OPTIONS') ?? 'Lax';
    if (sameSite === 'None' && !secure)
      throw new CfsignError(
        'ERR_INVALID_COOKIE_OPTIONS',
        'SameSite=None cookies must be Secure; browsers drop them otherwise.',
      );
    return names.map((name) => ({
      name,
      value: '',
      domain,
      path,
      secure,
      httpOnly: true,
      sameSite,
      maxAge: 0,
      expires: new Date(0),
    }));
  } catch (err) {
    throw unreadable(err, 'clearCookies');
  }
}
