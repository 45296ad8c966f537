/**
 * Koa middleware for cfsign. Exported from `'@cfsign/koa'`.
 * @module
 */
export {
  type OriginGuardContext,
  type OriginGuardMiddleware,
  type OriginGuardOptions,
  originGuard,
} from './origin-guard.js';
