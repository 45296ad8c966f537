/**
 * `originGuard(...)` for Express 4 and 5: refuse requests that lack the origin custom header
 * CloudFront adds, i.e. requests that did not come through the distribution.
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOriginSecretCheck, type OriginSecretOptions } from '@cfsign/core';

/** Options of {@link originGuard}. */
export interface OriginGuardOptions extends OriginSecretOptions {
  /**
   * Remove the secret header from `req.headers` once it has been accepted, so request dumps and
   * loggers further down never see it. Default `true`.
   */
  stripHeader?: boolean;
  /**
   * Called for each refused request with a coarse reason, for your own logs. It never receives
   * the presented value. The client only ever sees a bare `403 Forbidden`.
   */
  onReject?: (info: {
    reason: 'missing' | 'mismatch';
    method: string | undefined;
    path: string | undefined;
  }) => void;
}

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
  const check = createOriginSecretCheck(options);
  const header = options.header.toLowerCase();
  const stripHeader = options.stripHeader ?? true;
  const onReject = options.onReject;
  return (req, res, next) => {
    check(req.headers).then((ok) => {
      if (ok) {
        if (stripHeader) delete req.headers[header];
        next();
        return;
      }
      onReject?.({
        reason: req.headers[header] === undefined ? 'missing' : 'mismatch',
        method: req.method,
        path: req.url?.split('?', 1)[0],
      });
      forbid(res);
    }, next);
  };
}

function forbid(res: ServerResponse): void {
  const body = 'Forbidden';
  res.statusCode = 403;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}
