/**
 * Origin guard: check the secret header CloudFront adds to every origin request (an "origin
 * custom header"), so the origin can refuse requests that did not come through the distribution.
 *
 * Exported from `'@cfsign/core'`. Framework-neutral and Web-standard only (`crypto.subtle`,
 * `TextEncoder`); the Express and Koa `originGuard(...)` middlewares are built on it.
 * @module
 */

import { CfsignError, unreadable } from './errors.js';

/**
 * Request headers in any of the shapes the frameworks hand out: a Web `Headers`, a Node
 * `IncomingHttpHeaders`-like record (lower-case names, `string | string[] | undefined`), or a
 * getter `(name) => value`.
 */
export type OriginGuardHeaders =
  | { get(name: string): string | null | undefined }
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | ((name: string) => string | readonly string[] | null | undefined);

/** Options of {@link checkOriginSecret} and {@link createOriginSecretCheck}. */
export interface OriginSecretOptions {
  /** Name of the origin custom header configured on the CloudFront origin, e.g. `x-origin-secret`. */
  header: string;
  /**
   * Accepted secret values: `[current, previous]` during a rotation, or just one. A single string is
   * accepted too. Each must be non-empty printable ASCII without leading or trailing spaces.
   */
  secrets: string | readonly string[];
}

/** A prepared check: resolves `true` when the request carries one of the accepted secrets. */
export type OriginSecretCheck = (headers: OriginGuardHeaders) => Promise<boolean>;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SECRET_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const encoder = new TextEncoder();

/**
 * Validate the options once and return a reusable check. Throws at configuration time
 * (`CfsignError` with code `'ERR_INVALID_ORIGIN_SECRET'`) for an empty secret list, an empty or
 * non-string secret, a value that cannot travel in an HTTP header, or an invalid header name.
 *
 * @remarks
 * Comparison is constant-time with respect to the secrets: the presented value and every accepted
 * secret are hashed with SHA-256 (`crypto.subtle.digest`), and the 32-byte digests are compared
 * with an XOR/OR loop that has no early exit, against *every* accepted secret. The time therefore
 * depends neither on where the first differing byte is nor on the secrets' lengths (their digests
 * are computed once, here). The only length-dependent step is hashing the presented value, whose
 * length the sender already knows. A duplicated header (array value) is refused.
 *
 * @example
 * ```ts
 * const check = createOriginSecretCheck({ header: 'x-origin-secret', secrets: [current, previous] });
 * if (!(await check(request.headers))) return new Response('Forbidden', { status: 403 });
 * ```
 */
export function createOriginSecretCheck(options: OriginSecretOptions): OriginSecretCheck {
  try {
    const header = validateHeaderName(options?.header);
    const secrets = validateSecrets(options?.secrets);
    // Hash the secrets once; the plain values are not kept by the returned closure.
    const expected = Promise.all(secrets.map(sha256));
    return async (headers) => {
      const presented = readHeader(headers, header);
      const digests = await expected;
      // Always hash something, so a missing header costs the same work as a wrong one.
      const actual = await sha256(presented ?? '');
      let matched = 0;
      for (const digest of digests) matched |= equalDigests(digest, actual);
      return presented !== undefined && matched === 1;
    };
  } catch (err) {
    throw unreadable(err, 'createOriginSecretCheck');
  }
}

/**
 * One-shot form of {@link createOriginSecretCheck}: validates `options` (rejecting with
 * `ERR_INVALID_ORIGIN_SECRET` on bad configuration, never throwing synchronously) and resolves
 * `true` when `headers` carry one of the accepted secrets.
 * Prefer `createOriginSecretCheck` in a hot path: it hashes the secrets only once.
 *
 * @example
 * ```ts
 * const ok = await checkOriginSecret(req.headers, {
 *   header: 'x-origin-secret',
 *   secrets: [process.env.ORIGIN_SECRET!, process.env.ORIGIN_SECRET_PREVIOUS!],
 * });
 * if (!ok) { res.statusCode = 403; res.end('Forbidden'); }
 * ```
 */
export function checkOriginSecret(
  headers: OriginGuardHeaders,
  options: OriginSecretOptions,
): Promise<boolean> {
  try {
    return createOriginSecretCheck(options)(headers);
  } catch (err) {
    return Promise.reject(unreadable(err, 'checkOriginSecret'));
  }
}

/** 1 when both 32-byte digests are equal, else 0; no data-dependent branch or early exit. */
function equalDigests(a: Uint8Array, b: Uint8Array): number {
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return ((diff - 1) >>> 31) & 1;
}

async function sha256(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

function readHeader(headers: OriginGuardHeaders, name: string): string | undefined {
  let value: unknown;
  if (typeof headers === 'function') value = headers(name);
  else if (headers !== null && typeof headers === 'object' && typeof headers.get === 'function') {
    value = (headers as { get(name: string): unknown }).get(name);
  } else if (headers !== null && typeof headers === 'object') {
    value = (headers as Record<string, unknown>)[name];
  }
  if (Array.isArray(value)) return value.length === 1 && typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function validateHeaderName(header: unknown): string {
  if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
    throw new CfsignError(
      'ERR_INVALID_ORIGIN_SECRET',
      'origin guard: "header" must be an HTTP header name such as "x-origin-secret"',
    );
  }
  return header.toLowerCase();
}

function validateSecrets(secrets: unknown): string[] {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (!Array.isArray(list) || list.length === 0) {
    throw new CfsignError(
      'ERR_INVALID_ORIGIN_SECRET',
      'origin guard: "secrets" must be a non-empty list: [current] or [current, previous]',
    );
  }
  // An index loop, not forEach: a sparse array's holes must be refused, not skipped.
  for (let i = 0; i < list.length; i++) {
    const secret: unknown = list[i];
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new CfsignError(
        'ERR_INVALID_ORIGIN_SECRET',
        `origin guard: secrets[${i}] is empty or not a string; an empty secret would let anyone in`,
      );
    }
    if (!SECRET_VALUE.test(secret)) {
      // Never echo the value itself.
      throw new CfsignError(
        'ERR_INVALID_ORIGIN_SECRET',
        `origin guard: secrets[${i}] must be printable ASCII without leading or trailing spaces ` +
          '(HTTP trims header values, so such a secret could never match)',
      );
    }
  }
  return list as string[];
}
