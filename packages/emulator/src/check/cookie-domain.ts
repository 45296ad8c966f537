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
