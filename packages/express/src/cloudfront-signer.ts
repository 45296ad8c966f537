/**
 * `cloudfrontSigner(options)` for Express 4 and 5: every HTML, CSS, HLS and DASH response leaves
 * with its protected links signed. A thin adapter over `@cfsign/node-bridge`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createSession,
  guardConditional,
  interceptResponse,
  isJsonBody,
  prepareOptions,
  type SignerMiddlewareOptions,
  type SigningSession,
  signJsonValue,
} from '@cfsign/node-bridge';
import { checkMountOrder } from './mount-order.js';

/** The parts of Express's `req` the middleware reads (Express 4 and 5 both fit). */
export type ExpressRequest = IncomingMessage & {
  ip?: string;
  protocol?: string;
  originalUrl?: string;
  app?: unknown;
};
type ExpressResponse = ServerResponse & {
  locals?: Record<string, unknown>;
  json?: (body: unknown) => unknown;
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
  const json = prepared.signJson;
  const middleware = function cloudfrontSigner(
    rq: IncomingMessage,
    rs: ServerResponse,
    next: (err?: unknown) => void,
  ): void {
    const req = rq as ExpressRequest;
    const res = rs as ExpressResponse;
    const misorder = checkMountOrder(req.app, middleware);
    if (misorder !== null) {
      next(misorder);
      return;
    }
    if (res.locals === undefined) res.locals = {};
    const locals = res.locals;
    let session: SigningSession | undefined;
    const getSession = () =>
      (session ??= createSession(prepared, {
        url: `${req.protocol ?? 'http'}://${req.headers.host ?? 'localhost'}${req.originalUrl ?? req.url ?? '/'}`,
        clientIp: req.ip ?? req.socket.remoteAddress,
        req,
      }));
    const optedOut = () => locals.signedUrls === false;
    locals.signUrl = (url: string) => getSession().signUrl(url);
    locals.signUrlSync = (url: string) => getSession().signUrlSync(url);
    guardConditional(req, res, optedOut);
    if (json !== false && typeof res.json === 'function') {
      const send = res.json;
      res.json = function signedJson(this: ExpressResponse, ...args: unknown[]) {
        if (args.length !== 1 || optedOut() || !isJsonBody(args[0]))
          return send.apply(this, args as [unknown]);
        signJsonValue(args[0], getSession(), json.keys).then((v) => send.call(this, v), next);
        return this;
      };
    }
    interceptResponse(req, res, {
      prepared,
      session: getSession,
      optedOut,
      onSkip: (reason) =>
        prepared.onSkip?.(reason, { method: req.method ?? 'GET', url: req.originalUrl ?? req.url ?? '/' }),
      onError: next,
    });
    next();
  };
  return middleware;
}
