/**
 * Entitlement by default: a rule that signs per entity (`/users/:id/**`) or grants more than one
 * file (a wildcard or cookie policy whose resource has `*` or `?`) needs someone to decide who is
 * entitled: an `authorize` hook, or the rule's explicit `authorize: 'any-viewer'`.
 * @module
 */
import type { PathGlob } from './glob.js';
import type { RuleConfig, RuleMode } from './types.js';
import { invalid } from './validate.js';

/** Why a rule needs an entitlement decision, or `null` when it signs one public file per link. */
export function entitlementNeed(
  mode: RuleMode,
  globs: readonly PathGlob[],
  resource: string | undefined,
): string | null {
  const named = globs.flatMap((g) => g.params);
  if (named.length > 0) return `it signs a path per entity (":${named[0]}" in "match")`;
  if (mode !== 'url' && resource !== undefined && /[*?]/.test(resource))
    return `its ${mode === 'cookie' ? 'cookies grant' : 'shared policy grants'} every file under "${resource}"`;
  return null;
}

/**
 * Throws `ERR_INVALID_RULE` when a rule needs an entitlement decision and has none.
 *
 * @example
 * ```ts
 * requireEntitlement({ match: '/users/:id/**' }, 'rules[0]', "it signs a path per entity", false);
 * // throws: rules[0]: it signs a path per entity ... pass authorize ... or add authorize: 'any-viewer' ...
 * ```
 */
export function requireEntitlement(
  r: RuleConfig,
  where: string,
  need: string | null,
  hasHook: boolean,
): void {
  if (need === null || hasHook || r.authorize === 'any-viewer') return;
  invalid(
    where,
    `"${typeof r.match === 'string' ? r.match : r.match.join('", "')}": ${need}, but nothing decides who is entitled to it. Anyone who can put a link into a page (a comment, a profile, a post) would receive a valid signature for a file that belongs to someone else: the site becomes a confused deputy. Either pass an authorize hook, authorize: (request, url, match) => boolean (in the rules config or the middleware options), that checks the viewer may open it; or, if everyone who can see the page may open every path this rule matches, say so with authorize: 'any-viewer' on this rule. See SECURITY.md.`,
  );
}
