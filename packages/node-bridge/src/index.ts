/**
 * `@cfsign/node-bridge`: the Node half of the response layer, shared by `@cfsign/express` and
 * `@cfsign/koa`. Three high-level functions: `beginRequest` (per request: session, guards,
 * decision), `interceptResponse` (Express: the response's writes go through the layer) and
 * `rewriteBody` (Koa: a finished body is replaced by its signed form). The runtime-neutral part
 * (decision, header policy, JSON, cookies, options) is `@cfsign/response`.
 * @module
 */
export {
  type AnySkipReason,
  type CacheControlOption,
  createOriginGate,
  FORBIDDEN,
  type OriginGuardOptions,
  type PreparedOptions,
  prepareOptions,
  type RewriteDecision,
  type SignerMiddlewareOptions,
  type SkipInfo,
  type SkipReason,
  untrustedHtml,
} from '@cfsign/response';
export { beginRequest, type NodeRequestInfo, type NodeSigning } from './begin-request.js';
export { toNodeReadable } from './body-source.js';
export { interceptResponse } from './intercept-response.js';
export { misorderError } from './misorder.js';
export { frameHead, type NodeHeaderTarget, nodeHeaders } from './node-headers.js';
export { primeStream } from './prime.js';
export { dropPendingEtag, guardRequest } from './request-guard.js';
export { rewriteBody } from './rewrite-body.js';
export { type RequestLike, type ResponseLike, shouldRewrite } from './should-rewrite.js';
export { rewriteWhole } from './whole-body.js';
