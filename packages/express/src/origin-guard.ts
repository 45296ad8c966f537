/**
 * `originGuard(...)` for Express 4 and 5: refuse requests that lack the origin custom header
 * CloudFront adds, i.e. requests that did not come through the distribution.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOriginGate, FORBIDDEN, type OriginGuardOptions } from '@cfsign/node-bridge';

export type { OriginGuardOptions };

/** The Express middleware signature, written structurally so that Express 4 and 5 both accept it. */
export type OriginGuardMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * Express middleware that answers `403 Forbidden` (plain, generic body, `Cache-Control: no-store`)
 * unless the request carries one of the accepted secrets in `header`. Options are validated at
 * once: an empty secret throws a `CfsignError` with code `'ERR_INVALID_ORIGIN_SECRET'`.
 *
 * @remarks
 * Rotation: deploy with `[next, current]`, switch the CloudFront origin custom header to `next`,
 * wait for the deployment, then deploy with `[next]`. The comparison is constant-time
 * (see `createOriginSecretCheck` in `@cfsign/core`) and the value is never logged.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { originGuard } from '@cfsign/express';
 *
 * const app = express();
 * app.use(originGuard({
 *   header: 'x-origin-secret',
 *   secrets: [process.env.ORIGIN_SECRET!, process.env.ORIGIN_SECRET_PREVIOUS!].filter(Boolean),
 * }));
 * ```
 */
export function originGuard(options: OriginGuardOptions): OriginGuardMiddleware {
  const gate = createOriginGate(options);
  return (req, res, next) => {
    const info = { method: req.method ?? 'GET', path: req.url?.split('?', 1)[0] ?? '/' };
    gate(req.headers, info).then((ok) => {
      if (ok) return next();
      res.statusCode = FORBIDDEN.status;
      res.setHeader('Content-Type', FORBIDDEN.contentType);
      res.setHeader('Content-Length', Buffer.byteLength(FORBIDDEN.body));
      res.setHeader('Cache-Control', FORBIDDEN.cacheControl);
      res.end(FORBIDDEN.body);
    }, next);
  };
}
