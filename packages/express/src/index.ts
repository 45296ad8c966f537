/**
 * Express middleware for cfsign. Exported from `'@cfsign/express'`.
 * @module
 */
export { type OriginGuardMiddleware, type OriginGuardOptions, originGuard } from './origin-guard.js';
