/**
 * Whether a signed cookie set by the site can reach the distribution: the distribution must answer
 * on an alternate domain name that is the site's host or shares a parent domain with it.
 * @module
 */

/** Second-level labels that are public suffixes under a two-letter country TLD (co.uk, com.au, ...). */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'ne', 'or', 'go']);
const SHARED = ['cloudfront.net', 'amazonaws.com'];

/** True for hosts the check cannot reason about (loopback, IP addresses, single labels). */
export function isLocalHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^[\d.]+$/.test(host) ||
    host.includes(':') ||
    !host.includes('.')
  );
}

/**
 * True when a cookie for a parent domain of `site` is also sent to `alias` (or they are equal).
 *
 * @example
 * ```ts
 * sharesCookieDomain('cdn.example.com', 'www.example.com') // true
 * sharesCookieDomain('d111111abcdef8.cloudfront.net', 'www.example.com') // false
 * sharesCookieDomain('media.example.co.uk', 'shop.other.co.uk') // false
 * ```
 */
export function sharesCookieDomain(alias: string, site: string): boolean {
  const a = alias.toLowerCase().replace(/^\*\./, 'wildcard.');
  const s = site.toLowerCase();
  if (a === s) return true;
  const al = a.split('.').reverse();
  const sl = s.split('.').reverse();
  let common = 0;
  while (common < al.length && common < sl.length && al[common] === sl[common]) common++;
  const parent = sl.slice(0, common).reverse().join('.');
  if (SHARED.some((d) => parent === d || parent.endsWith(`.${d}`))) return false;
  const needed = sl[0]?.length === 2 && SECOND_LEVEL.has(sl[1] ?? '') ? 3 : 2;
  return common >= needed;
}

/** Why signed cookies set by the site would not reach the CDN host the rules link to. */
export type CookieReachProblem =
  /** No alternate domain name shares a parent domain with the site. */
  | { kind: 'no-alias'; site: string }
  /** An alias would work, but the rules' `cdn` host is another (often the `*.cloudfront.net` one). */
  | { kind: 'cdn-not-alias'; site: string; alias: string };

/**
 * Whether cookies the site sets reach the host the rules link to: that host must be an alternate
 * domain name of the distribution and share a parent domain with every public site host. Local
 * hosts (loopback, IPs) are development set-ups and pass.
 *
 * @example
 * ```ts
 * cookieReachProblem(['cdn.example.com'], 'cdn.example.com', ['www.example.com']) // undefined
 * cookieReachProblem(['cdn.example.com'], 'd111111abcdef8.cloudfront.net', ['www.example.com'])
 * // { kind: 'cdn-not-alias', site: 'www.example.com', alias: 'cdn.example.com' }
 * ```
 */
export function cookieReachProblem(
  aliases: readonly string[],
  cdnHost: string,
  siteHosts: readonly string[],
): CookieReachProblem | undefined {
  if (isLocalHost(cdnHost)) return undefined;
  const others = siteHosts.filter((h) => h !== cdnHost && !isLocalHost(h));
  const sites = others.length > 0 ? others : [cdnHost];
  const served = aliases.some((a) => coversHost(a, cdnHost));
  for (const site of sites) {
    if (served && sharesCookieDomain(cdnHost, site)) continue;
    const alias = aliases.find((a) => !a.startsWith('*.') && sharesCookieDomain(a, site));
    return alias ? { kind: 'cdn-not-alias', site, alias } : { kind: 'no-alias', site };
  }
  return undefined;
}

/** An alternate domain name answers for `host` (exactly, or as a `*.` wildcard one label deep). */
function coversHost(alias: string, host: string): boolean {
  const a = alias.toLowerCase();
  const h = host.toLowerCase();
  if (a === h) return true;
  return a.startsWith('*.') && h.endsWith(a.slice(1)) && !h.slice(0, -(a.length - 1)).includes('.');
}
