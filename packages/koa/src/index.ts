/**
 * Koa middleware for cfsign: `cloudfrontSigner(options)` and `originGuard(options)`.
 * Exported from `'@cfsign/koa'`.
 * @module
 */

export { type RewriteDecision, type SkipReason, shouldRewrite, untrustedHtml } from '@cfsign/node-bridge';
export {
  type CloudfrontSignerMiddleware,
  type CloudfrontSignerOptions,
  cloudfrontSigner,
  type KoaContext,
} from './cloudfront-signer.js';
export {
  type OriginGuardContext,
  type OriginGuardMiddleware,
  type OriginGuardOptions,
  originGuard,
} from './origin-guard.js';
