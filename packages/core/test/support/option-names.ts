/**
 * The option names of the public API, written out as a user writes them (the tests list them instead of
 * reading the sets in src, so a name dropped from src is noticed).
 */

/** `signUrl` / `signUrlSync`. */
export const URL_OPTIONS = [
  'expiresIn',
  'dateLessThan',
  'startsIn',
  'dateGreaterThan',
  'ipAddress',
  'now',
  'resource',
  'policy',
  'hashAlgorithm',
  'base',
  'verbatim',
  'reservedParams',
] as const;

/** `signCookies`. */
export const COOKIE_OPTIONS = [
  'expiresIn',
  'dateLessThan',
  'startsIn',
  'dateGreaterThan',
  'ipAddress',
  'now',
  'hashAlgorithm',
  'policy',
  'canned',
  'clearUnused',
  'domain',
  'path',
  'secure',
  'httpOnly',
  'sameSite',
  'maxAge',
  'resource',
] as const;

/** `getSignedUrl` / `getSignedCookies` (the AWS SDK's names). */
export const GET_SIGNED_OPTIONS = [
  'url',
  'keyPairId',
  'privateKey',
  'passphrase',
  'dateLessThan',
  'expiresIn',
  'dateGreaterThan',
  'ipAddress',
  'policy',
  'policyResource',
  'hashAlgorithm',
  'algorithm',
  'now',
] as const;
