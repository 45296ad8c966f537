/**
 * `originGuard(...)` for Koa 2 and 3: refuse requests that lack the origin custom header
 * CloudFront adds, i.e. requests that did not come through the distribution.
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createOriginGate, FORBIDDEN, type OriginGuardOptions } from '@cfsign/node-bridge';

export type { OriginGuardOptions };

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
  const gate = createOriginGate(options);
  return async (ctx, next) => {
    if (await gate(ctx.req.headers, { method: ctx.method, path: ctx.path })) return void (await next());
    ctx.status = FORBIDDEN.status;
    ctx.set('Cache-Control', FORBIDDEN.cacheControl);
    ctx.body = FORBIDDEN.body;
  };
}
