/**
 * Times as CloudFront wants them: whole seconds since the Unix epoch, floored, 1 … 2^31-1.
 * @module
 */
import { CfsignError, type CfsignErrorCode } from './errors.js';

/**
 * A point in time. Plain numbers are refused on purpose: seconds and milliseconds are easy to
 * confuse, so say which one with `{ seconds }` or `{ milliseconds }`.
 */
export type DateInput = Date | string | { seconds: number } | { milliseconds: number };

/** A length of time: seconds as a number, or a string such as `'90s'`, `'10m'`, `'1h'`, `'7d'`. */
export type Duration = number | string;

const MAX_EPOCH = 2147483647;
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const parsed = new Map<string, number>();

/**
 * Converts a {@link DateInput} to epoch seconds, floored (flooring never extends a grant).
 *
 * @example
 * ```ts
 * toEpochSeconds(new Date('2030-01-01T00:00:00Z')) // 1893456000
 * toEpochSeconds({ milliseconds: 1893456000999 })   // 1893456000
 * ```
 */
export function toEpochSeconds(
  input: DateInput,
  name = 'dateLessThan',
  code: CfsignErrorCode = 'ERR_INVALID_EXPIRY',
): number {
  let ms: number;
  if (input instanceof Date) ms = input.getTime();
  else if (typeof input === 'string') ms = input.trim() === '' ? Number.NaN : Date.parse(input);
  else if (typeof input === 'object' && input !== null && 'seconds' in input)
    ms = Number(input.seconds) * 1000;
  else if (typeof input === 'object' && input !== null && 'milliseconds' in input)
    ms = Number(input.milliseconds);
  else if (typeof input === 'number')
    throw new TypeError(
      `"${name}" is a bare number; say which unit it is: { seconds: ${input} } or { milliseconds: ${input} }, or pass a Date or an ISO 8601 string.`,
    );
  else throw new TypeError(`"${name}" must be a Date, an ISO 8601 string, { seconds } or { milliseconds }.`);
  const seconds = Math.floor(ms / 1000);
  return checkEpoch(seconds, name, code);
}

/** Checks that epoch seconds are an integer within CloudFront's 1 … 2147483647 range. */
export function checkEpoch(seconds: number, name: string, code: CfsignErrorCode): number {
  if (!Number.isFinite(seconds) || !Number.isInteger(seconds))
    throw new CfsignError(
      code,
      `"${name}" is not a valid time; pass a Date, an ISO 8601 string, { seconds } or { milliseconds }.`,
    );
  if (seconds < 1 || seconds > MAX_EPOCH)
    throw new CfsignError(
      code,
      `"${name}" is ${seconds} s since the epoch, outside CloudFront's range 1 … ${MAX_EPOCH} (2038-01-19); pick a time inside it.`,
    );
  return seconds;
}

/**
 * Parses a duration to whole seconds.
 *
 * @example
 * ```ts
 * parseDuration('10m') // 600
 * parseDuration(90)    // 90
 * ```
 */
export function parseDuration(input: Duration, name = 'expiresIn'): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return Math.floor(input);
  } else if (typeof input === 'string') {
    const known = parsed.get(input);
    if (known !== undefined) return known;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])?\s*$/.exec(input);
    if (m) {
      const seconds = Math.floor(Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1));
      if (parsed.size < 256) parsed.set(input, seconds);
      return seconds;
    }
  } else {
    throw new TypeError(`"${name}" must be a number of seconds or a string such as '10m'.`);
  }
  throw new CfsignError(
    'ERR_INVALID_DURATION',
    `"${name}" is ${JSON.stringify(input)}; use seconds as a non-negative number or a string such as '30s', '10m', '1h', '7d'.`,
  );
}
