/**
 * Argument checks shared by every public function: each refuses a wrong JavaScript value with a
 * {@link CfsignError} naming the parameter and the fix, never a runtime `TypeError`.
 * @module
 */
import type { HashAlgorithm } from './crypto/types.js';
import { CfsignError, type CfsignErrorCode } from './errors.js';

/**
 * A short description of any value for an error message; never throws (symbols, bigints,
 * null-prototype objects and revoked proxies included), never prints more than 60 characters of a
 * string, and never echoes text that looks like a PEM key.
 */
export function show(value: unknown): string {
  try {
    if (typeof value === 'string') {
      // Never echo anything that may be key material into an error message.
      if (looksLikeKey(value))
        return `a ${value.length}-character string that looks like key material (not shown)`;
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    }
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
      return String(value) + (typeof value === 'bigint' ? 'n' : '');
    if (value === null || value === undefined) return String(value);
    if (typeof value === 'symbol') return 'a symbol';
    if (typeof value === 'function') return 'a function';
    if (Array.isArray(value)) return 'an array';
    if (value instanceof Uint8Array) return 'a Uint8Array';
    return 'an object';
  } catch {
    return 'a value';
  }
}

/**
 * True for text that may hold key material, which no message may echo: a PEM block, or key bytes
 * without their armour (base64 DER, as environment variables often hold them): a run of 64 or more
 * base64 characters with both letter cases (hex digests and words do not match).
 */
export function looksLikeKey(text: string): boolean {
  if (/-----BEGIN|PRIVATE KEY/.test(text)) return true;
  for (const [run] of text.matchAll(/[A-Za-z0-9+/]{64,}/g))
    if (/[a-z]/.test(run) && /[A-Z]/.test(run)) return true;
  return false;
}

/**
 * The time of a `Date`, also one from another realm (a `vm` context, an iframe, jsdom), or `undefined`
 * for anything else: a Proxy of a Date has no time of its own to read.
 */
export function dateTime(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]')
      return Date.prototype.getTime.call(value);
  } catch {}
  return undefined;
}

/** True for a parameter name fit to quote in a message (`cache.bucket`, `keys["K1"]`). */
export function isName(name: unknown): name is string {
  return typeof name === 'string' && /^[\w .[\]"-]{1,60}$/.test(name);
}

/** A plain options object (not `null`, not an array, not a function). */
export function isOptions(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws `ERR_INVALID_ARGUMENT` unless `value` is an options object. */
export function checkOptions(value: unknown, name: string, example: string): Record<string, unknown> {
  if (!isOptions(value))
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `${name} needs an options object such as ${example}; got ${show(value)}.`,
    );
  return value;
}

/** Throws `code` unless `value` is `undefined` or a boolean. */
export function checkBoolean(
  value: unknown,
  name: string,
  code: CfsignErrorCode = 'ERR_INVALID_ARGUMENT',
): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new CfsignError(code, `"${name}" must be true or false; got ${show(value)}.`);
}

/** Throws `code` unless `value` is `undefined` or one of `allowed`. */
export function checkOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  name: string,
  code: CfsignErrorCode = 'ERR_INVALID_ARGUMENT',
): T | undefined {
  if (value === undefined || allowed.includes(value as T)) return value as T | undefined;
  throw new CfsignError(
    code,
    `"${name}" must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${show(value)}.`,
  );
}

/**
 * Reads a hash algorithm. CloudFront's own tokens only, spelled as on the wire: `'SHA1'` and
 * `'SHA256'` (upper case, no hyphen), exactly as the AWS SDK compares them. Any other spelling is
 * refused rather than guessed, because a wrong guess signs with a digest CloudFront does not expect.
 */
export function checkHashAlgorithm(value: unknown, name = 'hashAlgorithm'): HashAlgorithm | undefined {
  if (value === undefined || value === 'SHA1' || value === 'SHA256') return value;
  const text = typeof value === 'string' ? value.replace(/[-_\s]/g, '').toUpperCase() : '';
  const hint =
    text === 'SHA1' || text === 'SHA256'
      ? ` Spell it "${text}" exactly (CloudFront's token is case-sensitive).`
      : ' CloudFront supports only these two.';
  throw new CfsignError(
    'ERR_INVALID_HASH_ALGORITHM',
    `"${name}" must be "SHA1" or "SHA256"; got ${show(value)}.${hint}`,
  );
}

/** The last millisecond of CloudFront's epoch-seconds range (2^31-1 s). */
const LAST_MS = 2147483647999;

/** Milliseconds below this (1973-03-03) look like seconds passed where milliseconds are expected. */
export const SECONDS_LOOKALIKE_MS = 1e11;

/**
 * Reads a clock override: milliseconds since the epoch (as `Date.now()` returns) or a `Date`;
 * `undefined` reads `Date.now()`. Refuses strings, NaN, and numbers that look like seconds.
 */
export function readClock(value: unknown, name = 'now'): number {
  const ms =
    value === undefined ? Date.now() : typeof value === 'number' ? value : (dateTime(value) ?? Number.NaN);
  if (!Number.isFinite(ms))
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `"${name}" must be milliseconds since the epoch (a number such as Date.now()) or a valid Date; got ${show(value)}.`,
    );
  if (ms > LAST_MS)
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `"${name}" is ${ms} ms, after 2038-01-19T03:14:07Z, the last time a CloudFront policy can name; pass a clock before it.`,
    );
  if (ms < SECONDS_LOOKALIKE_MS)
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `"${name}" is ${ms}, a time before 1973 if read as milliseconds; it looks like seconds. Pass milliseconds (${ms} * 1000) or a Date.`,
    );
  return ms;
}
