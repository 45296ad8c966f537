/**
 * The one error class of cfsign, with a stable `code` union.
 *
 * Exported from `'@cfsign/core'`.
 * @module
 */

/**
 * Every code a {@link CfsignError} can carry. Codes are stable; messages may improve. Each message
 * names the parameter (or file, option, rule) at fault and how to fix it, and never holds key material.
 *
 * Misuse of a function (a value of the wrong type or shape) is `ERR_INVALID_ARGUMENT`, or the
 * more precise code of that parameter (`ERR_INVALID_URL`, `ERR_INVALID_EXPIRY`, ...); options of an
 * adapter or helper are `ERR_INVALID_OPTIONS`; path rules are `ERR_INVALID_RULE`. Functions that
 * return a Promise report every one of these by rejection, never by a synchronous throw; factories
 * (`createSigner`, `cloudfrontSigner`, `compileRules`, `createEmulator`) throw at once, at start-up.
 *
 * @example
 * ```ts
 * const fixable: CfsignErrorCode[] = ['ERR_INVALID_OPTIONS', 'ERR_INVALID_RULE'];
 * if (isCfsignError(err) && fixable.includes(err.code)) console.error(`${err.code}: ${err.message}`);
 * ```
 */
export type CfsignErrorCode =
  /** A parameter of the wrong type or shape (a function called wrongly). */
  | 'ERR_INVALID_ARGUMENT'
  /** `hashAlgorithm` is not `'SHA1'` or `'SHA256'`, or disagrees with `algorithm`. */
  | 'ERR_INVALID_HASH_ALGORITHM'
  /** A `Set-Cookie` line would be over the 4,096 bytes browsers keep. */
  | 'ERR_COOKIE_TOO_LARGE'
  /** A URL (to sign, a page URL, an origin's URL) that is not a valid absolute URL. */
  | 'ERR_INVALID_URL'
  /** A URL whose scheme CloudFront does not sign (only `http:` and `https:`). */
  | 'ERR_UNSUPPORTED_SCHEME'
  /** The URL already carries a query parameter CloudFront reserves for signing (`Expires`, `Signature`, ...). */
  | 'ERR_RESERVED_QUERY_PARAM'
  /** The signed URL would be over CloudFront's 8,192 bytes. */
  | 'ERR_URL_TOO_LONG'
  /** A policy resource (or cookie resource pattern) CloudFront would read differently than meant. */
  | 'ERR_INVALID_RESOURCE'
  /** The resource passed does not match the one of the given policy. */
  | 'ERR_RESOURCE_MISMATCH'
  /** The expiry (`expiresIn`, `dateLessThan`) is missing, not a time, or in the past. */
  | 'ERR_INVALID_EXPIRY'
  /** The start (`startsIn`, `dateGreaterThan`) is not a time, or given twice. */
  | 'ERR_INVALID_START'
  /** The start is not before the expiry. */
  | 'ERR_INVALID_TIME_WINDOW'
  /** A duration (`'10m'`, seconds, `revalidate`) that cannot be read. */
  | 'ERR_INVALID_DURATION'
  /** An IP address or CIDR a policy cannot hold (or a client-IP rule given no client IP). */
  | 'ERR_INVALID_IP_RANGE'
  /** A key pair ID that is not a CloudFront public key ID. */
  | 'ERR_INVALID_KEY_PAIR_ID'
  /** A key pair ID that is not in the keyring or key group. */
  | 'ERR_UNKNOWN_KEY_PAIR_ID'
  /** A key that is not a PEM/DER/JWK private (or public) key. */
  | 'ERR_UNSUPPORTED_KEY_FORMAT'
  /** A key type or size CloudFront does not accept; the message names the ones it does. */
  | 'ERR_UNSUPPORTED_KEY_TYPE'
  /** An encrypted key without its passphrase, or with a wrong one. */
  | 'ERR_KEY_PASSPHRASE'
  /** The runtime refuses the hash the signature needs (SHA-1 in some WebCrypto runtimes). */
  | 'ERR_HASH_UNAVAILABLE'
  /** The signature itself failed (a KMS/HSM callback threw, timed out or returned no bytes). */
  | 'ERR_SIGNER_FAILED'
  /** Synchronous signing was asked of a signer, rule or hook that needs an await. */
  | 'ERR_SYNC_UNAVAILABLE'
  /** A given policy document that is not one CloudFront accepts, or options that conflict with it. */
  | 'ERR_INVALID_POLICY'
  /** Cookie attributes (`domain`, `path`, `sameSite`, `secure`, `httpOnly`, `expires`) that cannot work. */
  | 'ERR_INVALID_COOKIE_OPTIONS'
  /** Origin guard options: a header name or a secret that cannot travel in an HTTP header. */
  | 'ERR_INVALID_ORIGIN_SECRET'
  /** A path rules config, a rule or a path pattern that is not valid (found at start-up). */
  | 'ERR_INVALID_RULE'
  /** No rule covers the URL (or `authorize` refused it) where a signature was required. */
  | 'ERR_NO_MATCHING_RULE'
  /** Rewriting a body failed (its JSON is not valid JSON, or a rewriter invariant broke). */
  | 'ERR_REWRITE_FAILED'
  /** Middleware mounted in the wrong order (a compressor inside the signer). */
  | 'ERR_MIDDLEWARE_ORDER'
  /** Required settings (rules, CDN domain, key) are in neither the options nor the environment. */
  | 'ERR_NOT_CONFIGURED'
  /**
   * Options of an adapter or helper (`cloudfrontSigner`, `createWebSigner`, `cfsign()`,
   * `createRewriter`, `createRewriteStream`, the emulator's options) are missing or hold a value
   * of the wrong kind; thrown at start-up, the message names the option and the values it takes.
   */
  | 'ERR_INVALID_OPTIONS'
  /**
   * A distribution description that cannot be used: an unreadable or malformed input file (AWS CLI
   * output, CloudFormation template), an emulator config or path pattern CloudFront would refuse,
   * or a behavior that refers to an origin, key group or key the input does not describe.
   */
  | 'ERR_INVALID_DISTRIBUTION'
  /** A body over a configured limit (`maxJsonBytes`): raise the limit or sign the links in the handler. */
  | 'ERR_BODY_TOO_LARGE'
  /**
   * Reading an argument threw: a getter, a Proxy trap or a revoked Proxy of the caller's value. The
   * thrown value is the error's `cause`. Plain values (strings, numbers, Dates, plain objects) never
   * get this code.
   */
  | 'ERR_UNREADABLE_ARGUMENT';

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

/**
 * What a public function throws for a value caught at its boundary: a {@link CfsignError} as it is;
 * anything else can only have been thrown while reading the caller's value (a getter, a Proxy trap),
 * and becomes `ERR_UNREADABLE_ARGUMENT` with that value as its `cause`. Not exported from the package.
 */
export function unreadable(err: unknown, fn: string): CfsignError {
  if (err instanceof CfsignError) return err;
  return new CfsignError(
    'ERR_UNREADABLE_ARGUMENT',
    `${fn} could not read its arguments: reading one threw (a getter, a Proxy trap or a revoked Proxy). Pass plain values (strings, numbers, Dates, plain objects); what was thrown is this error's cause.`,
    { cause: err },
  );
}
