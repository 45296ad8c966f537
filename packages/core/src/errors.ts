/**
 * The one error class of cfsign, with a stable `code` union.
 *
 * Exported from `'@cfsign/core'`.
 * @module
 */

/** Every code a {@link CfsignError} can carry. Codes are stable; messages may improve. */
export type CfsignErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_HASH_ALGORITHM'
  | 'ERR_COOKIE_TOO_LARGE'
  | 'ERR_INVALID_URL'
  | 'ERR_UNSUPPORTED_SCHEME'
  | 'ERR_RESERVED_QUERY_PARAM'
  | 'ERR_URL_TOO_LONG'
  | 'ERR_INVALID_RESOURCE'
  | 'ERR_RESOURCE_MISMATCH'
  | 'ERR_INVALID_EXPIRY'
  | 'ERR_INVALID_START'
  | 'ERR_INVALID_TIME_WINDOW'
  | 'ERR_INVALID_DURATION'
  | 'ERR_INVALID_IP_RANGE'
  | 'ERR_INVALID_KEY_PAIR_ID'
  | 'ERR_UNKNOWN_KEY_PAIR_ID'
  | 'ERR_UNSUPPORTED_KEY_FORMAT'
  | 'ERR_UNSUPPORTED_KEY_TYPE'
  | 'ERR_KEY_PASSPHRASE'
  | 'ERR_HASH_UNAVAILABLE'
  | 'ERR_SIGNER_FAILED'
  | 'ERR_SYNC_UNAVAILABLE'
  | 'ERR_INVALID_POLICY'
  | 'ERR_INVALID_COOKIE_OPTIONS'
  | 'ERR_INVALID_ORIGIN_SECRET'
  | 'ERR_INVALID_RULE'
  | 'ERR_NO_MATCHING_RULE'
  | 'ERR_REWRITE_FAILED'
  | 'ERR_MIDDLEWARE_ORDER'
  | 'ERR_NOT_CONFIGURED';

/**
 * Error raised for bad input or a failed signing step. Check `code`, not the message.
 *
 * @example
 * ```ts
 * try {
 *   await signer.signUrl('ftp://cdn.example.com/a.jpg', { expiresIn: '10m' });
 * } catch (err) {
 *   if (isCfsignError(err) && err.code === 'ERR_UNSUPPORTED_SCHEME') console.error(err.message);
 * }
 * ```
 */
export class CfsignError extends Error {
  override readonly name = 'CfsignError';
  readonly code: CfsignErrorCode;

  constructor(code: CfsignErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * True for a {@link CfsignError}, also one thrown by a second copy of this package
 * (checks `name` and `code`, not only `instanceof`).
 *
 * @example
 * ```ts
 * if (isCfsignError(err, 'ERR_URL_TOO_LONG')) useCookiesInstead();
 * ```
 */
export function isCfsignError(err: unknown, code?: CfsignErrorCode): err is CfsignError {
  if (err instanceof CfsignError) return code === undefined || err.code === code;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'CfsignError' && typeof e.code === 'string' && (code === undefined || e.code === code);
}
