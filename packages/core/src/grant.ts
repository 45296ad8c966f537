/**
 * Turns sign options (relative or absolute times, IP, resource) into validated policy conditions.
 * @module
 */
import { show } from './args.js';
import { isCanonicalHttpUrl } from './canonical-fast.js';
import { canonicalizeUrl, preview } from './canonical-url.js';
import { CfsignError } from './errors.js';
import { normalizeIpRange } from './ip.js';
import { checkPolicyResource } from './policy.js';
import { checkEpoch, type DateInput, type Duration, parseDuration, toEpochSeconds } from './time.js';
import { matchWildcard } from './wildcard.js';

/** Time and scope options shared by URLs, policies and cookies. */
export interface GrantOptions {
  /** Lifetime from now: seconds or `'10m'`. Rounded up to the cache bucket when caching. */
  expiresIn?: Duration;
  /** Absolute expiry (AWS SDK name); numbers are milliseconds, as in the AWS SDK. */
  dateLessThan?: DateInput;
  /** Start from now (back-dated by the clock-skew margin). */
  startsIn?: Duration;
  /** Absolute start (AWS SDK name), used as given; numbers are milliseconds. */
  dateGreaterThan?: DateInput;
  /** IPv4 address or CIDR the grant is limited to (IPv4-mapped IPv6 is read as IPv4). */
  ipAddress?: string;
  /** Clock override: milliseconds since the epoch or a `Date` (tests, replays). */
  now?: number | Date;
}

/** Resolved times in epoch seconds. */
export interface Times {
  expires: number;
  start: number | undefined;
}

/**
 * The second within a `bucket` at which the buckets of `key` (a URL) begin: links of one page get
 * different ones, so their cached signatures do not all expire, and get signed again, in the same
 * second (300 RSA signatures at once stall a server for a good part of a second). Every character
 * counts: links that differ only in the middle (`/users/123/avatar.jpg`, `/users/456/avatar.jpg`)
 * get different phases too. The signer computes it once per link and keeps it with the cached URL.
 */
export function bucketPhase(key: string, bucket: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % bucket;
}

/**
 * Computes expiry/start, applying the cache bucket (whose boundaries are shifted by `phase` seconds,
 * see {@link bucketPhase}) and the clock-skew rules.
 */
export function resolveTimes(o: GrantOptions, nowMs: number, bucket: number, skew: number, phase = 0): Times {
  const now = Math.floor(nowMs / 1000);
  let expires: number;
  if (o.dateLessThan !== undefined && o.expiresIn !== undefined)
    throw new CfsignError('ERR_INVALID_EXPIRY', 'Pass either "expiresIn" or "dateLessThan", not both.');
  if (o.dateLessThan !== undefined) expires = toEpochSeconds(o.dateLessThan, 'dateLessThan');
  else if (o.expiresIn !== undefined) {
    const life = parseDuration(o.expiresIn, 'expiresIn');
    expires = bucket > 1 ? Math.ceil((now + life - phase) / bucket) * bucket + phase : now + life;
    checkEpoch(expires, 'expiresIn', 'ERR_INVALID_EXPIRY');
  } else
    throw new CfsignError(
      'ERR_INVALID_EXPIRY',
      'Pass "expiresIn" (such as \'10m\') or "dateLessThan" (a Date, an ISO string or milliseconds).',
    );
  if (expires <= now + skew)
    throw new CfsignError(
      'ERR_INVALID_EXPIRY',
      `The expiry ${new Date(expires * 1000).toISOString()} is not more than ${skew} s after now (${new Date(now * 1000).toISOString()}); CloudFront would refuse it. Use a later expiry, or pass "now" to sign for another time.`,
    );
  let start: number | undefined;
  if (o.dateGreaterThan !== undefined && o.startsIn !== undefined)
    throw new CfsignError('ERR_INVALID_START', 'Pass either "startsIn" or "dateGreaterThan", not both.');
  if (o.dateGreaterThan !== undefined)
    start = toEpochSeconds(o.dateGreaterThan, 'dateGreaterThan', 'ERR_INVALID_START');
  else if (o.startsIn !== undefined)
    start = checkEpoch(
      Math.max(1, now + parseDuration(o.startsIn, 'startsIn') - skew),
      'startsIn',
      'ERR_INVALID_START',
    );
  if (start !== undefined && start >= expires)
    throw new CfsignError(
      'ERR_INVALID_TIME_WINDOW',
      `The start (${start}) must be before the expiry (${expires}); move "dateGreaterThan"/"startsIn" earlier or the expiry later.`,
    );
  return { expires, start };
}

/** Normalizes the optional IP restriction (IPv4-mapped IPv6 becomes IPv4; other IPv6 is refused). */
export function resolveIp(ip: unknown): string | undefined {
  return ip === undefined ? undefined : normalizeIpRange(ip as string);
}

/**
 * Resolves a custom-policy resource (absolute, or a path such as `/video/1/*` on the URL's origin)
 * and checks that `url` (when given) matches it, so no link is dead on arrival.
 *
 * The edge compares the Resource with the URL as the browser sends it (docs/signing.md §4), so an
 * http(s) URL without `*` is canonicalized exactly as for a canned policy
 * (`https://CDN.Example.com:443/v/./a.jpg` → `https://cdn.example.com/v/a.jpg`), and a resource
 * with `*` whose fixed part is not in that form is refused ({@link checkWildcardForm}), never rewritten.
 */
export function resolveResource(
  resource: unknown,
  url: string | undefined,
  allowAnyResource: boolean,
): string {
  if (typeof resource !== 'string' || resource === '')
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `"resource" must be a non-empty string such as "https://cdn.example.com/videos/*"; got ${show(resource)}.`,
    );
  let full = resource;
  if (resource.startsWith('/')) {
    if (!url)
      throw new CfsignError(
        'ERR_INVALID_RESOURCE',
        `The resource ${preview(resource)} is a path; pass an absolute resource such as "https://cdn.example.com${resource}".`,
      );
    full = url.slice(0, url.indexOf('/', url.indexOf('//') + 2)) + resource;
  }
  if (full === '*' && !allowAnyResource)
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      'A bare "*" resource grants everything the key can reach; name the resource, or pass allowAnyResource: true if that is really meant.',
    );
  if (!full.includes('*') && /^https?:\/\//i.test(full)) full = canonicalizeUrl(full).resource;
  checkPolicyResource(full, 'resource');
  if (full.includes('*')) checkWildcardForm(full);
  if (url !== undefined && !matchWildcard(full, url))
    throw new CfsignError(
      'ERR_RESOURCE_MISMATCH',
      `The URL ${preview(url)} does not match the policy resource ${preview(full)}, so CloudFront would refuse it. Widen the resource (note: "/v/*" does not match "/v", and a resource without a trailing "*" does not match extra query strings).`,
    );
  return full;
}

/**
 * Refuses a given policy's Resource that no browser request can match: a URL that the WHATWG parser
 * would print otherwise, or a wildcard pattern whose fixed part is not in that form. A given policy is
 * signed as written, so it is refused rather than rewritten.
 */
export function checkBrowserForm(resource: string): void {
  if (resource.includes('*')) checkWildcardForm(resource);
  if (resource.includes('*') || !/^https?:\/\//i.test(resource)) return;
  const canonical = canonicalizeUrl(resource).resource;
  if (canonical !== resource)
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `The resource ${preview(resource)} can never match a request: browsers send ${preview(canonical)} (docs/signing.md §4). Write it that way.`,
    );
}

/**
 * Refuses a wildcard resource that no browser request can match: one whose fixed part (the text
 * before its first `*` or `?`) has an upper-case host, a default port, a `.`/`..` segment or
 * anything else the WHATWG parser would rewrite. Only that part is checked: a wildcard may match
 * `/` and `?`, so what follows it may end up in the query, which the parser leaves alone. A
 * wildcard in the scheme leaves nothing to check; one in the host leaves only its letter case.
 */
function checkWildcardForm(resource: string): void {
  const fixed = resource.slice(0, resource.search(/[*?]/));
  const authority = /^https?:\/\/[^/]*/.exec(fixed)?.[0];
  if (authority === undefined) return;
  let corrected: string | null;
  if (authority.length === fixed.length) {
    if (fixed === fixed.toLowerCase()) return;
    corrected = fixed.toLowerCase() + resource.slice(fixed.length);
  } else {
    // Up to the last `/`: a trailing `.` could still grow into `.jpg`.
    const prefix = fixed.slice(0, fixed.lastIndexOf('/') + 1);
    if (isCanonicalHttpUrl(prefix)) return;
    let href: string | null = null;
    try {
      const u = new URL(prefix);
      u.username = '';
      u.password = '';
      href = u.href;
    } catch {}
    if (href === prefix) return;
    corrected = href === null ? null : href + resource.slice(prefix.length);
  }
  throw new CfsignError(
    'ERR_INVALID_RESOURCE',
    corrected === null
      ? `The resource ${preview(resource)} does not start with a valid URL, so no request can match it; write its scheme and host as a browser sends them, such as "https://cdn.example.com/videos/*".`
      : `The resource ${preview(resource)} can never match a request: browsers send URLs with a lower-case host, no default port, no "." or ".." segments and no user:password@ (docs/signing.md §4). Write it as ${preview(corrected)}.`,
  );
}
