/**
 * `@cfsign/node-bridge`: the Node plumbing shared by `@cfsign/express` and `@cfsign/koa`:
 * the `shouldRewrite` predicate, header fix-ups, backpressured piping, response interception.
 * Adapters import only this package's public exports.
 * @module
 */
export { toNodeReadable } from './body-source.js';
export { guardConditional } from './conditional.js';
export { fixHeaders, type HeaderTarget } from './fix-headers.js';
export { type InterceptControl, interceptResponse } from './intercept-response.js';
export { misorderError } from './misorder.js';
export {
  type CacheControlOption,
  type PreparedOptions,
  prepareOptions,
  type SignerMiddlewareOptions,
} from './options.js';
export { primeStream } from './prime.js';
export { appendSetCookie, type PumpTarget, pumpToResponse } from './pump.js';
export { createSession, type SessionRequest, type SigningSession } from './session.js';
export {
  type RequestLike,
  type ResponseLike,
  type RewriteDecision,
  type SkipReason,
  shouldRewrite,
} from './should-rewrite.js';
export { isJsonBody, signJsonValue } from './sign-json.js';
export { PageMemo, rewriteWhole } from './whole-body.js';
