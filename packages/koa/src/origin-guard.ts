/**
 * `originGuard(...)` for Koa 2 and 3: refuse requests that lack the origin custom header
 * CloudFront adds, i.e. requests that did not come through the distribution.
 * @module
 */

import type { IncomingHttpHeaders } from 'node:http';
import { createOriginSecretCheck, type OriginSecretOptions } from '@cfsign/core';

/** Options of {@link originGuard}. */
export interface OriginGuardOptions extends OriginSecretOptions {
  /**
   * Remove the secret header from `ctx.request.headers` once it has been accepted, so request dumps
   * and loggers further down never see it. Default `true`.
   */
  stripHeader?: boolean;
  /**
   * Called for each refused request with a coarse reason, for your own logs. It never receives
   * the presented value. The client only ever sees a bare `403 Forbidden`.
   */
  onReject?: (info: { reason: 'missing' | 'mismatch'; method: string; path: string }) => void;
}

/** The part of a Koa context the guard uses, written structurally so Koa 2 and 3 both fit. */
export interface OriginGuardContext {
  req: { headers: IncomingHttpHeaders };
  method: string;
  path: string;
  status: number;
  body: unknown;
  set(field: string, value: string): void;
}

/** The Koa middleware signature. */
export type OriginGuardMiddleware = (ctx: OriginGuardContext, next: () => Promise<unknown>) => Promise<void>;

/**
 * Koa middleware that answers `403 Forbidden` (plain, generic body, `Cache-Control: no-store`)
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
 * import Koa from 'koa';
 * import { originGuard } from '@cfsign/koa';
 *
 * const app = new Koa();
 * app.use(originGuard({ header: 'x-origin-secret', secrets: [process.env.ORIGIN_SECRET!] }));
 * ```
 */
export function originGuard(options: OriginGuardOptions): OriginGuardMiddleware {
  const check = createOriginSecretCheck(options);
  const header = options.header.toLowerCase();
  const stripHeader = options.stripHeader ?? true;
  const onReject = options.onReject;
  return async (ctx, next) => {
    const headers = ctx.req.headers;
    if (await check(headers)) {
      if (stripHeader) delete headers[header];
      await next();
      return;
    }
    onReject?.({
      reason: headers[header] === undefined ? 'missing' : 'mismatch',
      method: ctx.method,
      path: ctx.path,
    });
    ctx.status = 403;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = 'Forbidden';
  };
}
