/**
 * The `cookie` attributes of a cookie-mode rule, validated at start-up: above all, that the cookie
 * `domain` reaches both the CDN and the site, so the browser sends the cookies where they count.
 * @module
 */
import { CfsignError, cookiePathFor } from '@cfsign/core';

/** Attributes of the `Set-Cookie` values a cookie-mode rule issues. */
export interface RuleCookieOptions {
  /**
   * Parent domain shared by the site and the CDN, e.g. `'example.com'` for a site on
   * `www.example.com` and a distribution on its alternate domain name `cdn.example.com`. Without it
   * the cookies are host-only: they go back to the site's host only, never to another CDN host.
   */
  domain?: string;
  /** Literal path prefix (default: the rule's resource up to its first wildcard, e.g. `/hls/`). */
  path?: string;
  /** Default `'Lax'` (site and CDN under one parent domain are the same site). */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** Default `true`; `false` only for plain-http development hosts. */
  secure?: boolean;
  /** Default `true`: page scripts cannot read the grant. */
  httpOnly?: boolean;
}

const KEYS = ['domain', 'path', 'sameSite', 'secure', 'httpOnly'];
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const IP = /^(?:\d+\.){3}\d+$|^\[/;

function fail(where: string, message: string): never {
  throw new CfsignError('ERR_INVALID_COOKIE_OPTIONS', `${where}: ${message}`);
}

/** True when `host` is `domain` or a subdomain of it (the browser's domain-match, RFC 6265 §5.1.3). */
export function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function alternateDomainHint(cdnHost: string, domain: string): string {
  const own = /\.cloudfront\.net$/.test(cdnHost)
    ? ` ${cdnHost} is CloudFront's own name, under the public suffix cloudfront.net: no site can set cookies for it.`
    : '';
  return (
    `the CDN host ${cdnHost} is not under "${domain}", so the browser never sends these cookies to it.${own} ` +
    `Give the distribution an alternate domain name under "${domain}" (e.g. cdn.${domain}, with a matching ` +
    "certificate in ACM us-east-1 and a DNS CNAME to the distribution) and set the rules' cdn to it."
  );
}

/**
 * Validates a rule's `cookie` attributes against its mode, its resource, the CDN and the site's
 * origins. Throws `CfsignError` `ERR_INVALID_COOKIE_OPTIONS` naming the rule and the fix.
 *
 * @example
 * ```ts
 * checkCookieOptions({ domain: 'example.com' }, {
 *   where: 'rules[0].cookie', mode: 'cookie', resource: '/hls/*',
 *   cdnHost: 'cdn.example.com', siteHosts: ['www.example.com'],
 * }); // { domain: 'example.com' }
 * ```
 */
export function checkCookieOptions(
  value: unknown,
  at: {
    where: string;
    mode: string;
    resource: string | undefined;
    cdnHost: string;
    siteHosts: readonly string[];
  },
): Readonly<RuleCookieOptions> | undefined {
  const { where } = at;
  if (value === undefined) return undefined;
  if (at.mode !== 'cookie') fail(where, 'only applies to rules with mode: "cookie".');
  if (typeof value !== 'object' || value === null)
    fail(where, 'must be an object such as { domain: "example.com" }.');
  for (const k of Object.keys(value))
    if (!KEYS.includes(k)) fail(where, `unknown attribute "${k}"; known: ${KEYS.join(', ')}.`);
  const o = value as RuleCookieOptions;
  const out: RuleCookieOptions = {};
  if (o.domain !== undefined) {
    const domain = typeof o.domain === 'string' ? o.domain.trim().toLowerCase().replace(/^\./, '') : '';
    if (IP.test(domain) || !HOST.test(domain))
      fail(
        `${where}.domain`,
        `${JSON.stringify(o.domain)} is not a parent domain such as "example.com" (an IP address or a single label cannot carry shared cookies).`,
      );
    if (!domainMatches(at.cdnHost, domain)) fail(`${where}.domain`, alternateDomainHint(at.cdnHost, domain));
    for (const site of at.siteHosts)
      if (!domainMatches(site, domain))
        fail(
          `${where}.domain`,
          `the site host ${site} (in origins) is not under "${domain}", so it cannot set cookies for it; use the parent domain shared by the site and the CDN.`,
        );
    out.domain = domain;
  }
  if (o.path !== undefined) {
    if (typeof o.path !== 'string' || !o.path.startsWith('/') || /[*?;,\s]/.test(o.path))
      fail(`${where}.path`, `${JSON.stringify(o.path)} must be a literal path prefix such as "/hls/".`);
    const prefix = cookiePathFor(at.resource ?? '/');
    if (!prefix.startsWith(o.path))
      fail(
        `${where}.path`,
        `"${o.path}" does not cover the rule's resource ${at.resource}: the browser would not send the cookies there; use "${prefix}" or a shorter prefix of it.`,
      );
    out.path = o.path;
  }
  if (o.sameSite !== undefined) {
    if (o.sameSite !== 'Strict' && o.sameSite !== 'Lax' && o.sameSite !== 'None')
      fail(`${where}.sameSite`, `must be "Strict", "Lax" or "None", got ${JSON.stringify(o.sameSite)}.`);
    out.sameSite = o.sameSite;
  }
  for (const k of ['secure', 'httpOnly'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'boolean') fail(`${where}.${k}`, `must be true or false.`);
    out[k] = o[k];
  }
  if (out.sameSite === 'None' && out.secure === false)
    fail(where, 'SameSite=None cookies must be Secure (browsers drop them otherwise); drop secure: false.');
  return Object.freeze(out);
}
