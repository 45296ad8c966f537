/**
 * `cloudfrontSigner(options)` for Express 4 and 5: every HTML, CSS, HLS and DASH response leaves
 * with its protected links signed. A thin adapter over `@cfsign/node-bridge`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  beginRequest,
  interceptResponse,
  prepareOptions,
  type SignerMiddlewareOptions,
} from '@cfsign/node-bridge';
import { checkMountOrder } from './mount-order.js';

/** The parts of Express's `req` the middleware reads (Express 4 and 5 both fit). */
export type ExpressRequest = IncomingMessage & {
  ip?: string;
  protocol?: string;
  originalUrl?: string;
  app?: unknown;
};

/** Options of {@link cloudfrontSigner}; `authorize` receives Express's `req`. */
export type CloudfrontSignerOptions = SignerMiddlewareOptions<ExpressRequest>;

/** The middleware, typed structurally so that Express 4 and 5 both accept it. */
export type CloudfrontSignerMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * Express middleware signing the protected links of every page it lets through. Mount it after
 * `compression()` (a reversed order is refused with `ERR_MIDDLEWARE_ORDER`). Sets `res.locals.signUrl(url)`
 * (and `signUrlSync`) for templates and APIs; `res.locals.signedUrls = false` opts a response out.
 *
 * @example
 * ```ts
 * import compression from 'compression';
 * import { cloudfrontSigner } from '@cfsign/express';
 *
 * app.use(compression());
 * app.use(cloudfrontSigner({
 *   signer,
 *   rules: { cdn: 'https://cdn.example.com', origins: ['https://www.example.com'], rules: [{ match: '/private/**', expiresIn: '10m' }] },
 *   referrerPolicy: 'strict-origin-when-cross-origin',
 * }));
 * ```
 */
export function cloudfrontSigner(options: CloudfrontSignerOptions): CloudfrontSignerMiddleware {
  const prepared = prepareOptions(options);
  const middleware: CloudfrontSignerMiddleware = (rq, res, next) => {
    const req = rq as ExpressRequest;
    const misorder = checkMountOrder(req.app, middleware);
    if (misorder !== null) return next(misorder);
    const r = res as ServerResponse & { locals?: Record<string, unknown> };
    if (r.locals === undefined) r.locals = {};
    const locals = r.locals;
    const path = req.originalUrl ?? req.url ?? '/';
    const signing = beginRequest(prepared, req, res, {
      url: () => `${req.protocol ?? 'http'}://${req.headers.host ?? 'localhost'}${path}`,
      clientIp: () => req.ip ?? req.socket.remoteAddress,
      frameworkReq: req,
      path,
      optedOut: () => locals.signedUrls === false,
    });
    locals.signUrl = signing.signUrl;
    locals.signUrlSync = signing.signUrlSync;
    interceptResponse(signing, next);
    next();
  };
  return middleware;
}
