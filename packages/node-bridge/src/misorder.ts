/**
 * The loud failure for a body encoder mounted after the signer.
 * @module
 */
import { CfsignError } from '@cfsign/core';

/**
 * The error raised when `compression()` / `koa-compress` runs inside `cloudfrontSigner`, so the
 * signer would only ever see compressed bytes and leave pages unsigned.
 *
 * @example
 * ```ts
 * throw misorderError('koa'); // CfsignError, code 'ERR_MIDDLEWARE_ORDER'
 * ```
 */
export function misorderError(framework: 'express' | 'koa'): CfsignError {
  const fix =
    framework === 'express'
      ? 'app.use(compression()); app.use(cloudfrontSigner(options));'
      : 'app.use(compress()); app.use(cloudfrontSigner(options));';
  return new CfsignError(
    'ERR_MIDDLEWARE_ORDER',
    `cloudfrontSigner() is mounted before the compression middleware, so it only sees compressed pages and cannot sign them. Mount compression first: ${fix}`,
  );
}
