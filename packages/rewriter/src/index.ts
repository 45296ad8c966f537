/**
 * `@cfsign/rewriter`: path rules and a byte-exact streaming rewriter that signs the protected links
 * of HTML, CSS, HLS and DASH responses. The Node stream wrapper is the subpath `@cfsign/rewriter/node`.
 * @module
 */
export { type ContentSkipReason, formatFor, type RewriterChoice } from './content-type.js';
export { cssEscapeUrl } from './css/css-urls.js';
export { markerOf, UNTRUSTED_OFF, UNTRUSTED_ON } from './html/untrusted-region.js';
export {
  createEngine,
  createRewriteStream,
  type RewriteFormat,
  type RewriteStreamOptions,
  rewriteBytes,
} from './resolver-rewriter.js';
export { type CompileRulesOptions, compileRules } from './rules/compile-rules.js';
export { domainMatches, type RuleCookieOptions } from './rules/cookie-options.js';
export { checkPageReach } from './rules/cookie-reach.js';
export { compileGlob, type PathGlob, toWildcardPath } from './rules/glob.js';
export {
  createLinkSigner,
  type LinkSignerOptions,
  type LinkSkipReason,
  signLink,
} from './rules/link-signer.js';
export type {
  AuthorizeHook,
  CompiledRule,
  CompiledRules,
  DurationInput,
  RewriteRequest,
  RuleConfig,
  RuleMatch,
  RuleMode,
  RulesConfig,
} from './rules/types.js';
export {
  createRewriter,
  type Rewriter,
  type RewriterOptions,
  rewrite,
  streamOptions,
} from './rules-rewriter.js';
export { BufferPool } from './stream/buffer-pool.js';
export type { LinkContext, LinkResolver } from './stream/link-resolver.js';
export type { RewriteSkipReason } from './stream/scan-options.js';
