/**
 * Signed-cookie objects, `Set-Cookie` serialization and clearing (docs/signing.md §7).
 * @module
 */
import { checkBoolean, checkOneOf, isOptions, show } from './args.js';
import { CfsignError } from './errors.js';

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
  /** Parent domain shared by the app and the CDN host (for example `example.com`). Omitted by default. */
  domain?: string;
  /** Literal path prefix; defaults to the resource's path up to its first wildcard. Never contains `*`. */
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

/**
 * The default cookie path for a resource: its path up to the first wildcard, cut after the last `/`.
 *
 * @example
 * ```ts
 * cookiePathFor('https://cdn.example.com/private/videos/*') // '/private/videos/'
 * ```
 */
export function cookiePathFor(resource: string): string {
  if (typeof resource !== 'string')
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `cookiePathFor needs the policy resource as a string; got ${show(resource)}.`,
    );
  const afterScheme = resource.indexOf('//');
  const pathStart = resource.indexOf('/', afterScheme === -1 ? 0 : afterScheme + 2);
  if (pathStart === -1) return '/';
  const path = resource.slice(pathStart);
  const wild = path.search(/[*?]/);
  const prefix = wild === -1 ? path : path.slice(0, wild);
  // `path` starts with `/` and a wildcard is never its first character: the prefix keeps that `/`.
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

const SAME_SITE = ['Strict', 'Lax', 'None'] as const;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VALUE = /^[!#-+\--:<-[\]-~]*$/;

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[*;\s,\x00-\x1f\x7f-\uffff]/.test(path))
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `Cookie path ${show(path)} must start with "/" and hold no "*", ";", "," or spaces: cookie paths are literal prefixes.`,
    );
  return path;
}

function checkDomain(domain: unknown): string | undefined {
  if (domain !== undefined && (typeof domain !== 'string' || !/^\.?[a-z0-9.-]+$/i.test(domain)))
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `Cookie domain ${show(domain)} is not a host name; use the parent domain shared by the app and the CDN, such as "example.com".`,
    );
  return domain;
}

function checkMaxAge(maxAge: unknown, lifetime: number): number {
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0 || maxAge > lifetime)
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `"maxAge" must be whole seconds between 0 and the policy lifetime (${lifetime} s); got ${show(maxAge)}.`,
    );
  return maxAge;
}

/** Validates and fills cookie attributes. */
export function resolveAttributes(
  attrs: CookieAttributes,
  resource: string,
  lifetime: number,
): Omit<Cookie, 'name' | 'value'> {
  const path = checkPath(attrs.path ?? cookiePathFor(resource));
  const domain = checkDomain(attrs.domain);
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
}
