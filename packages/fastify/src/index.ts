/**
 * Fastify 4 and 5 plugin for cfsign: `fastify.register(cloudfrontSigner, { signer, rules })`.
 * Exported from `'@cfsign/fastify'`.
 * @module
 */
export {
  type AnySkipReason,
  type RewriteDecision,
  type SkipInfo,
  type SkipReason,
  untrustedHtml,
} from '@cfsign/response';
export { type CloudfrontSignerOptions, cloudfrontSigner } from './cloudfront-signer.js';
