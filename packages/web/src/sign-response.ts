/**
 * `signResponse(request, response, options)`: one call for any runtime that speaks `Request` and
 * `Response` (Workers, Deno, Bun, Remix/React Router, SvelteKit, Astro).
 * @module
 */
import { CfsignError } from '@cfsign/core';
import { createWebSigner, type WebRequestInfo, type WebSigner, type WebSignerOptions } from './web-signer.js';

const signers = new WeakMap<object, WebSigner>();

/**
 * Returns `response` with the protected links of its body signed: HTML, CSS, HLS and DASH bodies
 * complete at once and at most 1 MiB (a `Response` built from a string or bytes) are rewritten whole
 * in one pass, any other body goes through a `TransformStream` (streamed, never buffered, its first
 * bytes never waiting for the rest), JSON bodies are signed whole with
 * `signJson`, the headers follow the one header policy of `@cfsign/response` (no stale
 * `Content-Length`, no `ETag`/`Last-Modified`/`Accept-Ranges`, `Cache-Control: private, no-store`,
 * `Vary`, `Referrer-Policy`) and the cookies of cookie-mode rules are added. `HEAD` gets GET's
 * headers. Any other response is returned as it is. The options are validated on the first call
 * and kept for that options object: create it once, at module level. Every failure, bad options
 * (`ERR_INVALID_OPTIONS`, `ERR_INVALID_RULE`) included, is reported by the returned promise's
 * rejection, never by a synchronous throw.
 *
 * @example
 * ```ts
 * import { createSigner } from '@cfsign/core';
 * import { signResponse } from '@cfsign/web';
 *
 * const options = { signer: createSigner({ keyPairId, privateKey }), rules: { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] } };
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     return signResponse(request, await render(request), options, { clientIp: request.headers.get('cf-connecting-ip') ?? undefined });
 *   },
 * };
 * ```
 */
export async function signResponse<Req = Request>(
  request: Request,
  response: Response,
  options: WebSignerOptions<Req>,
  info?: WebRequestInfo,
): Promise<Response> {
  if (typeof request?.url !== 'string' || !URL.canParse(request.url))
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      'signResponse(request, response, options) needs the Fetch Request being answered as "request" (its url absolute).',
    );
  if (typeof response?.status !== 'number' || typeof response.headers?.get !== 'function')
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      'signResponse(request, response, options) needs the Fetch Response to sign as "response", such as await fetch(origin) or new Response(html).',
    );
  let signer = signers.get(options);
  if (signer === undefined) {
    signer = createWebSigner(options);
    signers.set(options, signer);
  }
  return signer.begin(request, info).sign(response);
}
