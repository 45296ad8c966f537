/**
 * Signed-cookie objects, `Set-Cookie` serialization and clearing (docs/signing.md §7).
 * @module
 */
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
  const afterScheme = resource.indexOf('//');
  const pathStart = resource.indexOf('/', afterScheme === -1 ? 0 : afterScheme + 2);
  if (pathStart === -1) return '/';
  const path = resource.slice(pathStart);
  const wild = path.search(/[*?]/);
  const prefix = wild === -1 ? path : path.slice(0, wild);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1) || '/';
}

/** Validates and fills cookie attributes. */
export function resolveAttributes(
  attrs: CookieAttributes,
  resource: string,
  lifetime: number,
): Omit<Cookie, 'name' | 'value'> {
  const path = attrs.path ?? cookiePathFor(resource);
  if (!path.startsWith('/') || /[*;\s,]/.test(path))
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `Cookie path ${JSON.stringify(path)} must start with "/" and hold no "*", ";", "," or spaces: cookie paths are literal prefixes.`,
    );
  if (attrs.domain !== undefined && !/^\.?[a-z0-9.-]+$/i.test(attrs.domain))
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `Cookie domain ${JSON.stringify(attrs.domain)} is not a host name; use the parent domain shared by the app and the CDN, such as "example.com".`,
    );
  const sameSite = attrs.sameSite ?? 'Lax';
  const secure = attrs.secure ?? true;
  if (sameSite === 'None' && !secure)
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      'SameSite=None cookies must be Secure; browsers drop them otherwise.',
    );
  if (
    attrs.maxAge !== undefined &&
    (!Number.isInteger(attrs.maxAge) || attrs.maxAge < 0 || attrs.maxAge > lifetime)
  )
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `"maxAge" must be whole seconds between 0 and the policy lifetime (${lifetime} s).`,
    );
  return {
    domain: attrs.domain,
    path,
    secure,
    httpOnly: attrs.httpOnly ?? true,
    sameSite,
    maxAge: attrs.maxAge,
  };
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
  attrs: Pick<CookieAttributes, 'domain' | 'path' | 'sameSite' | 'secure'> = {},
  names: readonly string[] = COOKIE_NAMES,
): Cookie[] {
  return names.map((name) => ({
    name,
    value: '',
    domain: attrs.domain,
    path: attrs.path ?? '/',
    secure: attrs.secure ?? true,
    httpOnly: true,
    sameSite: attrs.sameSite ?? 'Lax',
    maxAge: 0,
    expires: new Date(0),
  }));
}
