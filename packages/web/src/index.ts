/**
 * `@cfsign/web`: the Web-standard adapter of cfsign, for runtimes that speak `Request` and
 * `Response` (Cloudflare Workers, Deno, Bun, Node with a Fetch server) and the frameworks built on
 * them. No `node:*` import. Hono's middleware is `@cfsign/hono`.
 * @module
 */
export {
  type AnySkipReason,
  type RewriteDecision,
  type SkipInfo,
  type SkipReason,
  untrustedHtml,
} from '@cfsign/response';
export { guardRequest } from './request-guard.js';
export { signResponse } from './sign-response.js';
export {
  createWebSigner,
  type WebRequestInfo,
  type WebRequestSigning,
  type WebSigner,
  type WebSignerOptions,
} from './web-signer.js';
