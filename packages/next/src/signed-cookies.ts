/**
 * Signed cookies from a route handler or a server action.
 * @module
 */
import 'server-only';
import { type Cookie, type Duration, serializeCookie } from '@cfsign/core';
import { cookies } from 'next/headers';
import { getSigning } from './config.js';
import { toCdnUrl } from './sign-url.js';

/** Options of {@link setSignedCookies} and {@link signedCookieHeaders}. */
export interface SignedCookieOptions {
  /** Lifetime of the grant (default `'1h'`). */
  expiresIn?: Duration;
  /** Parent domain shared by the site and the CDN's alternate domain name, e.g. `example.com`. */
  domain?: string;
  /** Cookie path (default: the resource's path up to its first wildcard). */
  path?: string;
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** Default `true`; set `false` only for plain-http development hosts. */
  secure?: boolean;
  /** IPv4 address or CIDR the grant is bound to. */
  ipAddress?: string;
}

async function signed(resource: string, o: SignedCookieOptions): Promise<Cookie[]> {
  const { signer, cdn } = await getSigning();
  const r = await signer.signCookies(toCdnUrl(resource, cdn), {
    expiresIn: o.expiresIn ?? '1h',
    ...(o.domain !== undefined && { domain: o.domain }),
    ...(o.path !== undefined && { path: o.path }),
    ...(o.sameSite !== undefined && { sameSite: o.sameSite }),
    ...(o.secure !== undefined && { secure: o.secure }),
    ...(o.ipAddress !== undefined && { ipAddress: o.ipAddress }),
  });
  return r.cookies;
}

/**
 * Signs cookies granting `resource` (a path pattern on the CDN such as `/video/7/*`, or a full URL)
 * and sets them through `next/headers` `cookies()`: call it in a server action or a route handler.
 * The CDN must be on an alternate domain name under your site (cookies for `*.cloudfront.net`
 * cannot be set by your site).
 *
 * @example
 * ```ts
 * 'use server';
 * import { setSignedCookies } from '@cfsign/next';
 *
 * export async function unlockCourse() {
 *   await setSignedCookies('/courses/42/*', { expiresIn: '12h', domain: 'example.com' });
 * }
 * ```
 */
export async function setSignedCookies(resource: string, options: SignedCookieOptions = {}): Promise<void> {
  const list = await signed(resource, options);
  const jar = await cookies();
  for (const c of list)
    jar.set(c.name, c.value, {
      path: c.path,
      secure: c.secure,
      httpOnly: c.httpOnly,
      sameSite: c.sameSite.toLowerCase() as 'lax' | 'strict' | 'none',
      ...(c.domain !== undefined && { domain: c.domain }),
      ...(c.maxAge !== undefined && { maxAge: c.maxAge }),
      ...(c.expires !== undefined && { expires: c.expires }),
    });
}

/**
 * The `Set-Cookie` header values granting `resource`, for a `Response` you build yourself.
 *
 * @example
 * ```ts
 * export async function POST() {
 *   const headers = new Headers();
 *   for (const c of await signedCookieHeaders('/video/7/*', { expiresIn: '2h' })) headers.append('set-cookie', c);
 *   return new Response(null, { status: 204, headers });
 * }
 * ```
 */
export async function signedCookieHeaders(
  resource: string,
  options: SignedCookieOptions = {},
): Promise<string[]> {
  return (await signed(resource, options)).map(serializeCookie);
}
