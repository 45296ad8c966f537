/**
 * Express middleware for cfsign: `cloudfrontSigner(options)` and `originGuard(options)`.
 * Exported from `'@cfsign/express'`.
 * @module
 */

export { type RewriteDecision, type SkipReason, shouldRewrite, untrustedHtml } from '@cfsign/node-bridge';
export {
  type CloudfrontSignerMiddleware,
  type CloudfrontSignerOptions,
  cloudfrontSigner,
  type ExpressRequest,
} from './cloudfront-signer.js';
export { type OriginGuardMiddleware, type OriginGuardOptions, originGuard } from './origin-guard.js';
