/**
 * Why a response passes through unchanged: one list for every runtime.
 * @module
 */
import type { RewriteFormat } from '@cfsign/rewriter';

/**
 * Why a response body is left as it is. Each reason is named by {@link decideRewrite}; adapters
 * hand it to the app's `onSkip` hook.
 *
 * @example
 * ```ts
 * const reason: SkipReason = 'partial-content';
 * ```
 */
export type SkipReason =
  | 'opted-out'
  | 'no-body'
  | 'no-body-status'
  | 'partial-content'
  | 'not-ok-status'
  | 'no-content-type'
  | 'not-rewritable-type'
  | 'unsupported-charset'
  | 'already-encoded'
  | 'no-transform';

/** What a response is rewritten as: a rewriter format, or `'json'` (URL-valued strings signed). */
export type BodyFormat = RewriteFormat | 'json';

/**
 * The decision of {@link decideRewrite}. `headOnly` is set for `HEAD`: no body to rewrite, but
 * the headers are those GET would send (the same header policy, the same cookies).
 *
 * @example
 * ```ts
 * const d: RewriteDecision = { rewrite: true, format: 'html', charset: 'utf-8', headOnly: false };
 * ```
 */
export type RewriteDecision =
  | { rewrite: true; format: BodyFormat; charset: string | undefined; headOnly: boolean }
  | { rewrite: false; reason: SkipReason };
