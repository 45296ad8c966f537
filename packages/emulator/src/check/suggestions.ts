/**
 * Patterns and domains quoted in the fixes of findings.
 * @module
 */

import type { CompiledRule } from '@cfsign/rewriter';

/**
 * A CloudFront path pattern covering a rule's first glob, for fix messages.
 *
 * @example
 * ```ts
 * suggestPattern(compiledRule({ match: '/reports/**' })) // '/reports/*'
 * ```
 */
export function suggestPattern(rule: CompiledRule): string {
  const src = rule.globs[0]!.source;
  const cut = src.search(/[*?]|\/:/);
  return `${cut < 0 ? src : src.slice(0, cut).replace(/\/?$/, '/')}*`;
}

/**
 * A rule glob covering a CloudFront path pattern, for fix messages.
 *
 * @example
 * ```ts
 * globFor('/members/*') // '/members/**'
 * ```
 */
export function globFor(pattern: string): string {
  if (pattern === '*') return '/**';
  return pattern.endsWith('/*') ? `${pattern.slice(0, -2)}/**` : pattern;
}

/**
 * The parent domain cookies would be set for.
 *
 * @example
 * ```ts
 * parentOf('www.example.com') // 'example.com'
 * ```
 */
export function parentOf(host: string): string {
  const labels = host.split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : host;
}
