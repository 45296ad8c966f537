/**
 * The cache key of a behavior, and whether it holds the signing values (each signed URL then
 * becomes its own cache entry).
 * @module
 */

import type { CompiledRule } from '@cfsign/rewriter';
import type { CacheKeyItems, Distribution, DistributionBehavior } from '../distribution/model.js';

/**
 * The query params (or, for cookie rules, the cookies) a rule's grants carry.
 *
 * @example
 * ```ts
 * signingNames(compiledRule({ match: '/a/**' })) // ['Expires', 'Signature', 'Key-Pair-Id']
 * ```
 */
export function signingNames(rule: CompiledRule): string[] {
  const custom = rule.mode !== 'url' || rule.ipAddress !== undefined || rule.startsIn !== undefined;
  const names = [custom ? 'Policy' : 'Expires', 'Signature', 'Key-Pair-Id'];
  if (rule.hashAlgorithm === 'SHA256') names.push('Hash-Algorithm');
  return rule.mode === 'cookie' ? names.map((n) => `CloudFront-${n}`) : names;
}

/**
 * Which of `names` a cache key setting includes.
 *
 * @example
 * ```ts
 * keyedSigningValues({ behavior: 'allExcept', names: ['Signature'] }, ['Policy', 'Signature']) // ['Policy']
 * ```
 */
export function keyedSigningValues(items: CacheKeyItems, names: string[]): string[] {
  switch (items.behavior) {
    case 'all':
      return names;
    case 'whitelist':
      return names.filter((n) => items.names.includes(n));
    case 'allExcept':
      return names.filter((n) => !items.names.includes(n));
    default:
      return [];
  }
}

/**
 * The behavior's cache key: from its cache policy (custom or AWS-managed) or legacy `ForwardedValues`;
 * `undefined` when it has neither, `'unknown'` when its policy was not in the input.
 *
 * @example
 * ```ts
 * cacheKeyOf(distribution, behavior) // { name: 'cache policy CachingOptimized', queryStrings: { behavior: 'none', names: [] }, ... }
 * ```
 */
export function cacheKeyOf(d: Distribution, b: DistributionBehavior) {
  if (b.cachePolicyId) {
    const p = d.cachePolicies[b.cachePolicyId];
    return p
      ? { name: `cache policy ${p.name}`, queryStrings: p.queryStrings, cookies: p.cookies }
      : 'unknown';
  }
  if (b.legacyCacheKey) return { name: 'legacy cache settings', ...b.legacyCacheKey };
  return undefined;
}
