/**
 * Compiles a rules config once at start-up into fast matchers.
 * @module
 */

import { checkCookieOptions } from './cookie-options.js';
import { checkCookieReach, ruleName } from './cookie-reach.js';
import { entitlementNeed, requireEntitlement } from './entitlement.js';
import { compileGlob, toWildcardPath } from './glob.js';
import type { CompiledRule, CompiledRules, RuleConfig, RuleMatch, RulesConfig } from './types.js';
import { checkConfigShape, checkIp, checkRuleShape, duration, invalid, parseOrigin } from './validate.js';

const DEFAULT_LIFETIME = 600;

/** Options of {@link compileRules}. */
export interface CompileRulesOptions {
  /**
   * `'enforce'` (default): a per-entity rule without an `authorize` hook or `authorize: 'any-viewer'`
   * fails. `'skip'`: for tools that check rules without signing (`cfsign check`), whose hook lives in code.
   */
  entitlement?: 'enforce' | 'skip';
}

/** The CDN's host and the site's hosts (of the listed `origins`; empty when none are listed). */
interface Hosts {
  cdnHost: string;
  siteHosts: readonly string[];
}

function compileRule(r: RuleConfig, index: number, hasHook: boolean, hosts: Hosts): CompiledRule {
  const where = `rules[${index}]`;
  checkRuleShape(r, where);
  const mode = r.mode ?? 'url';
  const globs = (typeof r.match === 'string' ? [r.match] : r.match).map(compileGlob);
  const expiresIn = duration(r.expiresIn, `${where}.expiresIn`, DEFAULT_LIFETIME)!;
  const startsIn = duration(r.startsIn, `${where}.startsIn`, undefined);
  const bucket = duration(
    r.bucket,
    `${where}.bucket`,
    Math.max(1, Math.min(60, Math.floor(expiresIn / 10))),
  )!;
  let resource = r.resource;
  if (resource === undefined && mode !== 'url') {
    // Default: the first glob as a CloudFront wildcard, ending in `*` so query strings still match.
    const src = globs[0]!.source;
    resource = toWildcardPath(src, Object.fromEntries(globs[0]!.params.map((p) => [p, `:${p}`])));
    if (!resource.endsWith('*')) resource += '*';
  }
  if (mode === 'cookie' && /(^|\/):[A-Za-z_]/.test(resource!))
    invalid(
      `${where}.resource`,
      `cookie rules cover a fixed path, but "${resource}" has a ":param"; set resource to a fixed prefix such as "/hls/*".`,
    );
  requireEntitlement(r, where, entitlementNeed(mode, globs, resource), hasHook);
  const cookie = checkCookieOptions(r.cookie, { where: `${where}.cookie`, mode, resource, ...hosts });
  const checkPageHost = checkCookieReach({
    rule: ruleName(r, index),
    mode,
    domain: cookie?.domain,
    ...hosts,
  });
  return {
    index,
    mode,
    globs,
    expiresIn,
    startsIn,
    ipAddress: checkIp(r.ipAddress, `${where}.ipAddress`),
    hashAlgorithm: r.hashAlgorithm,
    resource,
    bucket,
    anyViewer: r.authorize === 'any-viewer',
    cookie,
    checkPageHost,
    config: Object.freeze({ ...r }),
  };
}

/**
 * Validates and compiles a rules config. Throws `CfsignError` with code `ERR_INVALID_RULE` and a
 * message naming the faulty rule and the fix; among them a per-entity rule (`:param` in `match`, or
 * a wildcard/cookie resource wider than one file) with neither an `authorize` hook nor
 * `authorize: 'any-viewer'` (see SECURITY.md: the confused deputy).
 *
 * @example
 * ```ts
 * const rules = compileRules({
 *   cdn: 'https://cdn.example.com',
 *   origins: ['https://www.example.com'],
 *   rules: [
 *     { match: '/media/**', expiresIn: '10m' },
 *     { match: '/downloads/*.pdf', expiresIn: '1h', ipAddress: 'client' },
 *     { match: '/video/:id/**', mode: 'wildcard', resource: '/video/:id/*' },
 *     { match: '/hls/**', mode: 'cookie', authorize: 'any-viewer', cookie: { domain: 'example.com' } },
 *   ],
 *   authorize: (request, url, match) => match.params.id === undefined || canWatch(request, match.params.id),
 * });
 * rules.match('https://www.example.com/video/42/master.m3u8')?.params; // { id: '42' }
 * ```
 */
export function compileRules(config: RulesConfig, options: CompileRulesOptions = {}): CompiledRules {
  checkConfigShape(config);
  const hasHook = options.entitlement === 'skip' || typeof config.authorize === 'function';
  const cdn = parseOrigin(config.cdn, 'rules config.cdn');
  const listed = (config.origins ?? []).map((o, i) => parseOrigin(o, `rules config.origins[${i}]`));
  const origins = [...new Set([...listed, cdn])];
  const hosts: Hosts = {
    cdnHost: new URL(cdn).hostname,
    siteHosts: [...new Set(listed.map((o) => new URL(o).hostname))],
  };
  const rules = config.rules.map((r, i) => compileRule(r, i, hasHook, hosts));
  const prefixes = rules.flatMap((r) => r.globs.map((g) => g.prefix));

  const matchPath = (path: string): RuleMatch | null => {
    for (const rule of rules)
      for (const glob of rule.globs) {
        if (!path.startsWith(glob.prefix)) continue;
        const params = glob.match(path);
        if (params !== null) return { rule, glob, params, path };
      }
    return null;
  };

  return Object.freeze({
    cdn,
    origins,
    list: rules,
    authorize: config.authorize,
    onDeny: config.onDeny ?? 'unsigned',
    attributes: [...(config.attributes ?? [])],
    matchPath,
    mayMatch(path: string) {
      for (const p of prefixes) if (path.startsWith(p)) return true;
      return false;
    },
    match(url: string | URL) {
      if (typeof url === 'string' && url[0] === '/' && url[1] !== '/')
        return matchPath(url.replace(/[?#].*$/s, ''));
      let u: URL;
      try {
        u = typeof url === 'string' ? new URL(url) : url;
      } catch {
        return null;
      }
      return origins.includes(u.origin) ? matchPath(u.pathname) : null;
    },
  });
}
