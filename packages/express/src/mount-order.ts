/**
 * First-request check that `compression()` is not mounted after `cloudfrontSigner()`.
 * @module
 */
import { misorderError } from '@cfsign/node-bridge';

type Layer = { handle?: unknown; name?: string };
type AppLike = { _router?: { stack?: Layer[] }; router?: { stack?: Layer[] } };
const seen = new WeakMap<object, Error | null>();

/**
 * The coded error when a layer named `compression` follows `self` in the app's stack, else `null`.
 * Computed once per app.
 *
 * @example
 * ```ts
 * const err = checkMountOrder(req.app, middleware);
 * if (err) return next(err);
 * ```
 */
export function checkMountOrder(app: unknown, self: unknown): Error | null {
  if (typeof app !== 'function' && (typeof app !== 'object' || app === null)) return null;
  const known = seen.get(app);
  if (known !== undefined) return known;
  const a = app as AppLike;
  const stack = ('_router' in a ? a._router?.stack : a.router?.stack) ?? [];
  const i = stack.findIndex((l) => l.handle === self);
  const err =
    i >= 0 && stack.slice(i + 1).some((l) => l.name === 'compression') ? misorderError('express') : null;
  seen.set(app, err);
  return err;
}
