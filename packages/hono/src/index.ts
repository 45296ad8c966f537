/**
 * Hono middleware for cfsign: `app.use(cloudfrontSigner({ signer, rules }))`, `c.get('signUrl')`.
 * Exported from `'@cfsign/hono'`; the runtime-neutral `signResponse` is `@cfsign/web`.
 * @module
 */
export { type AnySkipReason, type SkipInfo, type SkipReason, untrustedHtml } from '@cfsign/response';
export { type CfsignVariables, type CloudfrontSignerOptions, cloudfrontSigner } from './cloudfront-signer.js';
