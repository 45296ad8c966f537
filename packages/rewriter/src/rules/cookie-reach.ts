/**
 * Whether the cookies of a cookie-mode rule without `cookie.domain` reach the CDN. Such cookies
 * are host-only: the browser sends them back to the host that set them and to no other, so they
 * open the CDN only when the site is served from the CDN's own host. Checked at start-up against
 * `origins`, or, when `origins` is not listed, on each page that issues them.
 * @module
 */
import { CfsignError } from '@cfsign/core';
import type { CompiledRule, RuleConfig } from './types.js';

const IP = /^(?:\d+\.){3}\d+$|^\[/;

/** A parent domain to suggest for a site host: `www.example.com` gives `example.com`. */
function parentOf(siteHost: string): string {
  if (IP.test(siteHost)) return 'example.com';
  const labels = siteHost.split('.');
  if (labels.length >= 3) return labels.slice(1).join('.');
  return labels.length === 2 ? siteHost : 'example.com';
}

/**
 * A rule as errors name it: its index and its match, e.g. `rules[3] ("/hls/**")`.
 *
 * @example
 * ```ts
 * ruleName({ match: '/hls/**', mode: 'cookie' }, 3); // 'rules[3] ("/hls/**")'
 * ```
 */
export function ruleName(r: Pick<RuleConfig, 'match'>, index: number): string {
  const globs = typeof r.match === 'string' ? [r.match] : r.match;
  return `rules[${index}] (${globs.map((g) => JSON.stringify(g)).join(', ')})`;
}

/**
 * The coded error of a host-only cookie rule whose site host is not the CDN host: it names the
 * rule, both hosts and the two fixes.
 */
function unreachable(
  rule: string,
  siteHosts: readonly string[],
  cdnHost: string,
  seen: string,
  note = '',
): CfsignError {
  const parent = parentOf(siteHosts[0]!);
  const alternate = cdnHost.endsWith(`.${parent}`) ? cdnHost : `cdn.${parent}`;
  return new CfsignError(
    'ERR_INVALID_COOKIE_OPTIONS',
    `${rule} is in cookie mode without cookie.domain, so its cookies are host-only: the browser ` +
      `sends them back to the site host ${siteHosts.join(', ')} (${seen}) and never to the CDN host ` +
      `${cdnHost}, which then refuses every file of the rule (403). Fix it one of two ways: ` +
      `(1) set cookie: { domain: "${parent}" } on the rule, a parent of both hosts, with the ` +
      `distribution on an alternate domain name under it such as ${alternate} (ACM certificate in ` +
      `us-east-1, DNS CNAME to the distribution) as the rules' cdn; or (2) serve the site and the ` +
      `media from the same host (one distribution in front of both) and list that host in origins.${note}`,
  );
}

/**
 * Start-up check of a rule's host-only cookies. Throws `CfsignError` `ERR_INVALID_COOKIE_OPTIONS`
 * when the rule is in cookie mode without `cookie.domain`, the site's hosts are known (`origins`)
 * and none of them is the CDN host. Returns `true` when the hosts are not known, so each page's
 * host is to be checked when its cookies are issued ({@link checkPageReach}).
 *
 * @example
 * ```ts
 * checkCookieReach({ rule: 'rules[0] ("/hls/**")', mode: 'cookie', domain: undefined,
 *   cdnHost: 'cdn.example.com', siteHosts: ['www.example.com'] });
 * // throws ERR_INVALID_COOKIE_OPTIONS: set cookie: { domain: "example.com" } ...
 * ```
 */
export function checkCookieReach(at: {
  /** The rule as errors name it, e.g. `rules[3] ("/hls/**")`. */
  rule: string;
  mode: string;
  domain: string | undefined;
  cdnHost: string;
  /** Host names of the listed `origins` (the CDN's own included when listed); empty when not listed. */
  siteHosts: readonly string[];
}): boolean {
  if (at.mode !== 'cookie' || at.domain !== undefined) return false;
  if (at.siteHosts.length === 0) return true;
  if (at.siteHosts.includes(at.cdnHost)) return false;
  throw unreachable(at.rule, at.siteHosts, at.cdnHost, 'in origins');
}

/**
 * Request-time check of host-only cookies when `origins` is not listed (`rule.checkPageHost`): the
 * page's host (from the request's `Host`) must be the CDN host. Throws `CfsignError`
 * `ERR_INVALID_COOKIE_OPTIONS` otherwise; called before any cookie is signed, so the adapter fails
 * the response through its error path with nothing written.
 *
 * @example
 * ```ts
 * const rules = compileRules({ cdn: 'https://cdn.example.com',
 *   rules: [{ match: '/hls/**', mode: 'cookie', authorize: 'any-viewer' }] });
 * checkPageReach(rules.list[0]!, 'https://cdn.example.com/watch', rules.cdn); // passes
 * checkPageReach(rules.list[0]!, 'https://www.example.com/watch', rules.cdn); // throws
 * ```
 */
export function checkPageReach(rule: CompiledRule, pageUrl: string, cdn: string): void {
  if (!rule.checkPageHost) return;
  const pageHost = new URL(pageUrl).hostname;
  const cdnHost = new URL(cdn).hostname;
  if (pageHost === cdnHost) return;
  throw unreachable(
    ruleName(rule.config, rule.index),
    [pageHost],
    cdnHost,
    'the host of this request: origins is not listed',
    ' If the browser does see the CDN host and a proxy in front rewrites Host, list that host in origins.',
  );
}
