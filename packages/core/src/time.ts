/**
 * Times as CloudFront wants them: whole seconds since the Unix epoch, floored, 1 … 2^31-1.
 * @module
 */
import { dateTime, isName, isOptions, SECONDS_LOOKALIKE_MS, show } from './args.js';
import { CfsignError, type CfsignErrorCode, unreadable } from './errors.js';

/**
 * A point in time, read as `@aws-sdk/cloudfront-signer` reads it (`new Date(x)`): a `Date`, an ISO 8601
 * string, or a number of **milliseconds** since the epoch. `{ seconds }` / `{ milliseconds }` say the
 * unit explicitly. A number that would be a date before 1973 looks like seconds and is refused.
 */
export type DateInput = Date | string | number | { seconds: number } | { milliseconds: number };

/** A length of time: seconds as a number, or a string such as `'90s'`, `'10m'`, `'1h'`, `'7d'`. */
export type Duration = number | string;

type Unit = { seconds?: number; milliseconds?: number };

const MAX_EPOCH = 2147483647;
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const parsed = new Map<string, number>();
const FORMS = 'a Date, an ISO 8601 string, milliseconds since the epoch, { seconds } or { milliseconds }';

/**
 * Converts a {@link DateInput} to epoch seconds, floored (flooring never extends a grant).
 *
 * @example
 * ```ts
 * toEpochSeconds(new Date('2030-01-01T00:00:00Z')) // 1893456000
 * toEpochSeconds(1893456000999)                     // 1893456000 (milliseconds, as the AWS SDK reads numbers)
 * toEpochSeconds({ seconds: 1893456000 })           // 1893456000
 * ```
 */
export function toEpochSeconds(
  input: DateInput,
  name = 'dateLessThan',
  code: CfsignErrorCode = 'ERR_INVALID_EXPIRY',
): number {
  try {
    if (code !== 'ERR_INVALID_START') code = 'ERR_INVALID_EXPIRY';
    let ms: number | undefined;
    if (typeof input === 'string') ms = input.trim() === '' ? Number.NaN : Date.parse(input);
    else if (typeof input === 'number') {
      if (Number.isFinite(input) && input < SECONDS_LOOKALIKE_MS)
        throw new CfsignError(
          code,
          `"${label(name)}" is ${input}, which as milliseconds (the unit the AWS SDK and cfsign read numbers in) is before 1973: it looks like seconds. Pass ${input} * 1000, { seconds: ${input} }, or a Date.`,
        );
      ms = input;
    } else ms = dateTime(input) ?? unitTime(input);
    if (ms === undefined)
      throw new CfsignError(code, `"${label(name)}" must be ${FORMS}; got ${show(input)}.`);
    const seconds = Math.floor(ms / 1000);
    return checkEpoch(seconds, name, code);
  } catch (err) {
    throw unreadable(err, 'toEpochSeconds');
  }
}

/** Milliseconds of `{ seconds }` or `{ milliseconds }`, else `undefined`. */
function unitTime(input: unknown): number | undefined {
  if (!isOptions(input)) return undefined;
  const { seconds, milliseconds } = input as Unit;
  return typeof seconds === 'number'
    ? seconds * 1000
    : typeof milliseconds === 'number'
      ? milliseconds
      : undefined;
}

/** Checks that epoch seconds are an integer within CloudFront's 1 … 2147483647 range. */
export function checkEpoch(seconds: number, name: string, code: CfsignErrorCode): number {
  if (!Number.isFinite(seconds) || !Number.isInteger(seconds))
    throw new CfsignError(code, `"${label(name)}" is not a valid time; pass ${FORMS}.`);
  if (seconds < 1 || seconds > MAX_EPOCH)
    throw new CfsignError(
      code,
      `"${label(name)}" is ${seconds} s since the epoch, outside CloudFront's range 1 … ${MAX_EPOCH} (2038-01-19); pick a time inside it.`,
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
  }
  throw new CfsignError(
    'ERR_INVALID_DURATION',
    `"${label(name)}" is ${show(input)}; use seconds as a non-negative number or a string such as '30s', '10m', '1h', '7d'.`,
  );
}

/** The parameter name for a message (only computed when throwing; odd names are not echoed). */
function label(name: unknown): string {
  return isName(name) ? name : 'time';
}
