/**
 * `@cfsign/response`: the runtime-neutral response layer shared by every adapter (Node through
 * `@cfsign/node-bridge`, Next.js, Web-standard runtimes): the rewrite decision and its skip
 * reasons, the one header policy, JSON signing, cookie issuance, option validation and the origin
 * guard's shared options. No `node:*` import: it runs on the edge runtime and in Workers.
 * @module
 */
export { type CacheControlOption, cacheControlFor } from './cache-control.js';
export { issueCookies } from './cookies.js';
export { decideRewrite, isJsonType, type ResponseFacts } from './decide.js';
export { applyHeaderPolicy, type HeaderPolicy } from './header-policy.js';
export type { HeaderAccess } from './headers.js';
export { keepLatestOutput, MAX_KEPT_OUTPUT } from './latest-output.js';
export {
  type AnySkipReason,
  type MemoSettings,
  type PreparedOptions,
  prepareOptions,
  type SignerMiddlewareOptions,
  type SkipInfo,
} from './options.js';
export {
  createOriginGate,
  FORBIDDEN,
  type MutableHeaders,
  type OriginGuardOptions,
} from './origin-gate.js';
export { PageMemo, pageMemoFor } from './page-memo.js';
export { CONDITIONAL_REQUEST_HEADERS, rewritableTypeByPath } from './request-validators.js';
export { createSession, type SessionRequest, type SigningSession } from './session.js';
export {
  isJsonBody,
  type JsonScope,
  jsonBodyTooLarge,
  parseJsonBody,
  signJsonText,
  signJsonValue,
} from './sign-json.js';
export type { BodyFormat, RewriteDecision, SkipReason } from './skip-reasons.js';
export { untrustedHtml } from './untrusted-html.js';
export { signWebResponse, type WebSigning, type WebSigningContext } from './web-response.js';
