/**
 * `cloudfrontSigner(options)` for Koa 2 and 3: every HTML, CSS, HLS and DASH body leaves with its
 * protected links signed. A thin adapter over `@cfsign/node-bridge`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beginRequest, prepareOptions, rewriteBody, type SignerMiddlewareOptions } from '@cfsign/node-bridge';

/** The parts of Koa's `ctx` the middleware reads (Koa 2 and 3 both fit). */
export interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  state: Record<string, unknown>;
  body: unknown;
  href: string;
  ip: string;
  originalUrl: string;
}

/** Options of {@link cloudfrontSigner}; `authorize` receives Koa's `ctx`. */
export type CloudfrontSignerOptions = SignerMiddlewareOptions<KoaContext>;

/** The middleware, typed structurally so that Koa 2 and 3 both accept it. */
export type CloudfrontSignerMiddleware = (ctx: KoaContext, next: () => Promise<unknown>) => Promise<void>;

/**
 * Koa middleware signing the protected links of every body it sees (string, Buffer, Node stream,
 * Web `ReadableStream`; JSON with `signJson`). Mount it after `koa-compress` (a reversed order fails
 * with `ERR_MIDDLEWARE_ORDER`). Sets `ctx.state.signUrl(url)` (and `signUrlSync`);
 * `ctx.state.signedUrls = false` opts out.
 *
 * @example
 * ```ts
 * import compress from 'koa-compress';
 * import { cloudfrontSigner } from '@cfsign/koa';
 *
 * app.use(compress());
 * app.use(cloudfrontSigner({ signer, rules: { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] } }));
 * ```
 */
export function cloudfrontSigner(options: CloudfrontSignerOptions): CloudfrontSignerMiddleware {
  const prepared = prepareOptions(options);
  return async function cloudfrontSigner(ctx, next) {
    const signing = beginRequest(prepared, ctx.req, ctx.res, {
      url: () => ctx.href,
      clientIp: () => ctx.ip,
      frameworkReq: ctx,
      path: ctx.originalUrl,
      optedOut: () => ctx.state.signedUrls === false,
    });
    ctx.state.signUrl = signing.signUrl;
    ctx.state.signUrlSync = signing.signUrlSync;
    await next();
    await rewriteBody(signing, ctx.body, (body) => {
      ctx.body = body;
    });
  };
}
