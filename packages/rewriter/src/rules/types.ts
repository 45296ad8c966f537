/**
 * Configuration and compiled shapes of path rules.
 * @module
 */
import type { RuleCookieOptions } from './cookie-options.js';
import type { PathGlob } from './glob.js';

/** How a matching link is protected. */
export type RuleMode = 'url' | 'wildcard' | 'cookie';

/** A duration in seconds, or a string such as `'10m'`, `'1h'`, `'30s'`, `'2d'`. */
export type DurationInput = number | string;

/** One rule as written in the config. */
export interface RuleConfig {
  /** Path glob(s): `**`, `*`, `?`, `:param` (see {@link compileGlob}). */
  match: string | readonly string[];
  /** `url` (default): one signature per link; `wildcard`: one shared custom policy; `cookie`: links untouched, cookies issued. */
  mode?: RuleMode;
  /** Lifetime of the grant (default `'10m'`). */
  expiresIn?: DurationInput;
  /** Delay before the grant starts. */
  startsIn?: DurationInput;
  /** `'client'` (the requesting client's address) or an IPv4 address / CIDR. */
  ipAddress?: string;
  hashAlgorithm?: 'SHA1' | 'SHA256';
  /** Policy resource for `wildcard`/`cookie` mode: a path pattern such as `'/video/:id/*'`. */
  resource?: string;
  /** How long one wildcard policy is reused (default: a tenth of the lifetime, at most 60 s). */
  bucket?: DurationInput;
  /**
   * `'any-viewer'`: everyone who can see the page may open every path this rule matches, so the
   * config's `authorize` hook is not asked for it. Required on a per-entity rule (`:param` in
   * `match`, or a wildcard/cookie `resource` wider than one file) when there is no hook.
   */
  authorize?: 'any-viewer';
  /**
   * Cookie mode only: attributes of the cookies (`domain`, `path`, `sameSite`, `secure`,
   * `httpOnly`). Their lifetime is the policy's: `Max-Age` ends when the grant expires.
   */
  cookie?: RuleCookieOptions;
}

/** What the app's `authorize` hook decides for a link. */
export type AuthorizeResult = boolean | Promise<boolean>;

/**
 * The app's entitlement decision for one link: `request`, the absolute URL of the link, and the
 * rule that matched it (`match.params.id` for `/users/:id/**`).
 */
export type AuthorizeHook = (request: RewriteRequest, url: string, match: RuleMatch) => AuthorizeResult;

/** The request a response is rewritten for. */
export interface RewriteRequest {
  /** Absolute URL of the page (relative links resolve against it). */
  url: string;
  /** Address of the client, for rules with `ipAddress: 'client'`. */
  clientIp?: string;
  [key: string]: unknown;
}

/** Whole rules config. */
export interface RulesConfig {
  /** CDN origin links are mapped to, e.g. `'https://d111111abcdef8.cloudfront.net'`. */
  cdn: string;
  /** The site's own origins; their links (and relative links) map to the CDN. */
  origins?: readonly string[];
  rules: readonly RuleConfig[];
  /**
   * Entitlement per link; `false` denies. Asked for every link a rule signs, except rules marked
   * `authorize: 'any-viewer'`. Required (or that mark) for per-entity rules: see {@link RuleConfig.authorize}.
   */
  authorize?: AuthorizeHook;
  /** On deny: keep the link unsigned (default) or replace it. */
  onDeny?: 'unsigned' | { replaceWith: string };
  /** Extra HTML attributes holding a URL on any element, e.g. `['data-src', 'data-srcset']` (`*srcset` names are srcsets). */
  attributes?: readonly string[];
}

/** A validated rule. */
export interface CompiledRule {
  readonly index: number;
  readonly mode: RuleMode;
  readonly globs: readonly PathGlob[];
  readonly expiresIn: number;
  readonly startsIn: number | undefined;
  readonly ipAddress: string | undefined;
  readonly hashAlgorithm: 'SHA1' | 'SHA256' | undefined;
  /** Resource path pattern for wildcard/cookie mode (CloudFront `*`/`?`, `:param` placeholders). */
  readonly resource: string | undefined;
  /** Wildcard policy reuse window, seconds. */
  readonly bucket: number;
  /** True for `authorize: 'any-viewer'`: the config's hook is not asked. */
  readonly anyViewer: boolean;
  /** Validated cookie attributes (cookie mode), `undefined` for host-only defaults. */
  readonly cookie: Readonly<RuleCookieOptions> | undefined;
  /**
   * True for a cookie rule without `cookie.domain` when `origins` is not listed: its host-only
   * cookies reach the CDN only from a page on the CDN's host, so each page's host is checked when
   * the cookies are issued (`ERR_INVALID_COOKIE_OPTIONS` otherwise). With `origins` listed, that
   * check runs once at start-up.
   */
  readonly checkPageHost: boolean;
  readonly config: Readonly<RuleConfig>;
}

/** A rule that matched a URL. */
export interface RuleMatch {
  readonly rule: CompiledRule;
  /** The glob that matched. */
  readonly glob: PathGlob;
  readonly params: Readonly<Record<string, string>>;
  /** The path that was matched. */
  readonly path: string;
}

/** Rules compiled once at start-up by {@link compileRules}. */
export interface CompiledRules {
  /** CDN origin, without a trailing slash. */
  readonly cdn: string;
  /** Site origins plus the CDN origin. */
  readonly origins: readonly string[];
  /** The rules in order (the first match wins). */
  readonly list: readonly CompiledRule[];
  readonly authorize: RulesConfig['authorize'];
  readonly onDeny: 'unsigned' | { replaceWith: string };
  readonly attributes: readonly string[];
  /** The first rule matching an absolute URL on a known origin, or a path. */
  match(url: string | URL): RuleMatch | null;
  /** The first rule matching a path (no query). */
  matchPath(path: string): RuleMatch | null;
  /** True when some rule could match a path starting like `path` (cheap pre-filter). */
  mayMatch(path: string): boolean;
}
