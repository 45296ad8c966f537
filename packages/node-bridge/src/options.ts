/**
 * The options both middlewares take, validated once at start-up.
 * @module
 */
import type { Signer } from '@cfsign/core';
import { type CompiledRules, compileRules, type RewriteRequest, type RulesConfig } from '@cfsign/rewriter';
import type { SkipReason } from './should-rewrite.js';
import { PageMemo } from './whole-body.js';

/** How a rewritten page may be cached: `'private'` (default) or a max-age capped below the shortest signature lifetime. */
export type CacheControlOption = 'private' | { maxAge: 'shortest' | number } | false;

/** Options of `cloudfrontSigner(...)` in `@cfsign/express` and `@cfsign/koa`; `Req` is the framework's request. */
export interface SignerMiddlewareOptions<Req> {
  /** Path rules: a config, or rules compiled once with `compileRules`. */
  rules: RulesConfig | CompiledRules;
  /** A signer from `createSigner` (`@cfsign/core`). */
  signer: Signer;
  /** Called for each response left unchanged, with the reason (`'head-request'`, `'not-rewritable-type'`, ...). */
  onSkip?: (reason: SkipReason, info: { method: string; url: string }) => void;
  /** A link that cannot be signed fails the response (`'throw'`, default) or stays unsigned (`'skip'`). */
  onLinkError?: 'throw' | 'skip';
  /** Cache-Control of rewritten responses (default `'private'`: `private, no-store`). `false` leaves it. */
  cacheControl?: CacheControlOption;
  /** `Referrer-Policy` set on rewritten pages (for example `'strict-origin-when-cross-origin'`), so signed URLs do not leak. */
  referrerPolicy?: string | false;
  /** Sign URL-valued strings of JSON bodies by the same rules; `{ keys }` limits it to those property names. */
  signJson?: boolean | { keys?: readonly string[] };
  /**
   * Pages handed over whole (`res.send`, `ctx.body = string`) with the same bytes and URL are
   * rewritten once and reused for `ttl` seconds (default 5, at most a tenth of the shortest rule
   * lifetime), unless signatures depend on the client. `false` turns it off.
   */
  memo?: false | { ttl?: number; maxEntries?: number };
  /** Entitlement per link, with the framework's request; `false` leaves the link unsigned (see rules `onDeny`). */
  authorize?: (req: Req, url: string) => boolean | Promise<boolean>;
}

/** Options after validation. */
export interface PreparedOptions<Req> {
  readonly rules: CompiledRules;
  readonly signer: Signer;
  readonly onSkip: SignerMiddlewareOptions<Req>['onSkip'];
  readonly onLinkError: 'throw' | 'skip';
  readonly cacheControl: CacheControlOption;
  readonly referrerPolicy: string | false;
  readonly signJson: false | { keys: ReadonlySet<string> | null };
  /** `Vary` added to rewritten responses, or `null`. */
  readonly vary: string | null;
  /** True when signatures depend on who asks (IP rules, cookies, authorize): the page is never shared-cached. */
  readonly perClient: boolean;
  /** Shortest grant lifetime of any rule, seconds. */
  readonly shortestLifetime: number;
  /** Memo of whole rewritten pages, or `null`. */
  readonly memo: PageMemo | null;
}

function isCompiled(r: unknown): r is CompiledRules {
  return typeof (r as CompiledRules | undefined)?.matchPath === 'function';
}

/**
 * Validates the options (`TypeError` for misuse, `CfsignError` `ERR_INVALID_RULE` for bad rules)
 * and compiles the rules once.
 *
 * @example
 * ```ts
 * const prepared = prepareOptions({ rules: { cdn, rules: [{ match: '/private/**' }] }, signer });
 * prepared.vary; // null: url-mode rules do not depend on the client
 * ```
 */
export function prepareOptions<Req>(options: SignerMiddlewareOptions<Req>): PreparedOptions<Req> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('cloudfrontSigner needs options: { rules, signer }.');
  const { signer, authorize } = options;
  if (typeof signer?.signUrl !== 'function')
    throw new TypeError('"signer" must be a Signer from createSigner() of @cfsign/core.');
  if (authorize !== undefined && typeof authorize !== 'function')
    throw new TypeError('"authorize" must be a function (req, url) => boolean.');
  if (options.onSkip !== undefined && typeof options.onSkip !== 'function')
    throw new TypeError('"onSkip" must be a function.');
  const cc = options.cacheControl ?? 'private';
  if (
    cc !== false &&
    cc !== 'private' &&
    !(typeof cc === 'object' && (cc.maxAge === 'shortest' || (Number.isInteger(cc.maxAge) && cc.maxAge >= 0)))
  )
    throw new TypeError(
      '"cacheControl" must be "private", { maxAge: "shortest" }, { maxAge: seconds } or false.',
    );
  const rp = options.referrerPolicy ?? false;
  if (rp !== false && (typeof rp !== 'string' || !/^[a-z-]+(?:\s*,\s*[a-z-]+)*$/.test(rp)))
    throw new TypeError(
      '"referrerPolicy" must be a Referrer-Policy value such as "strict-origin-when-cross-origin".',
    );
  let rules = isCompiled(options.rules) ? options.rules : compileRules(options.rules);
  if (authorize !== undefined)
    rules = Object.freeze({
      ...rules,
      authorize: (request: RewriteRequest, url: string) => authorize(request.req as Req, url),
    });
  const sj = options.signJson ?? false;
  const signJson =
    sj === false ? false : { keys: sj === true || sj.keys === undefined ? null : new Set(sj.keys) };
  const byIp = rules.rules.some((r) => r.ipAddress === 'client');
  const byCookie = rules.rules.some((r) => r.mode === 'cookie') || rules.authorize !== undefined;
  const shortestLifetime = Math.min(...rules.rules.map((r) => r.expiresIn));
  const m = options.memo ?? {};
  if (
    m !== false &&
    (typeof m !== 'object' ||
      (m.ttl !== undefined && !(m.ttl >= 0)) ||
      (m.maxEntries !== undefined && !(m.maxEntries >= 1)))
  )
    throw new TypeError('"memo" must be false or { ttl?: seconds, maxEntries?: number }.');
  const ttl = m === false ? 0 : Math.min(m.ttl ?? 5, Math.floor(shortestLifetime / 10));
  const vary = byIp ? '*' : byCookie ? 'Cookie, Authorization' : null;
  return {
    rules,
    signer,
    onSkip: options.onSkip,
    onLinkError: options.onLinkError ?? 'throw',
    cacheControl: cc,
    referrerPolicy: rp,
    signJson,
    vary,
    perClient: vary !== null,
    shortestLifetime,
    memo: m === false || ttl <= 0 || vary !== null ? null : new PageMemo(ttl * 1000, m.maxEntries ?? 64),
  };
}
