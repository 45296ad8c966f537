/**
 * What `checkDistribution` reports.
 * @module
 */

/** The kinds of mismatch between the app's rules and the distribution. */
export type FindingCode =
  /** A path the rules sign is served by a behavior without restricted viewer access: anyone can fetch it. */
  | 'private-path-public-behavior'
  /** A restricted behavior that no rule signs links for: every link to it answers 403. */
  | 'restricted-behavior-unsigned'
  /** Some paths of a restricted behavior are not signed by any rule (403 for those links). */
  | 'restricted-paths-unsigned'
  /** The signing key is not in the behavior's trusted key groups: 403 UnknownKey. */
  | 'signing-key-not-trusted'
  /** The cache key holds the signing params: every signed URL (or cookie set) is its own cache entry. */
  | 'cache-key-includes-signature'
  /** IP-restricted grants on an IPv6-enabled distribution: IPv6 viewers get 403. */
  | 'ip-restriction-with-ipv6'
  /** Cookie rules, but no alternate domain name shares a parent domain with the site: cookies never reach it. */
  | 'cookie-domain-mismatch'
  /** A restricted behavior reads an S3 bucket without OAC or OAI: the bucket is public, around CloudFront. */
  | 'origin-reachable'
  /** A restricted behavior accepts plain HTTP: signed URLs and cookies cross the network readable. */
  | 'signatures-over-http'
  /** Something the check needed was not in the input (a key group, a cache policy). */
  | 'missing-input';

/** One finding. */
export interface Finding {
  code: FindingCode;
  /** `error`: requests will fail or leak (exit 1 in `cfsign check`); `warning`: probably wrong, or not checkable. */
  severity: 'error' | 'warning';
  /** Path pattern of the behavior involved (`*` is the default behavior). */
  behavior?: string;
  /** The rule involved, as `rules[i] <match>`. */
  rule?: string;
  /** A request path that shows the problem. */
  example?: string;
  /** What is wrong and what it does to viewers. */
  message: string;
  /** How to fix it, in console terms. */
  fix: string;
}

/** What `checkDistribution` returns. */
export interface CheckResult {
  /** True when there is no error (warnings allowed). */
  ok: boolean;
  findings: Finding[];
}
