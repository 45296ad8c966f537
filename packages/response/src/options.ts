/**
 * The options every adapter takes, validated once at start-up.
 * @module
 */
import { CfsignError, type Signer } from '@cfsign/core';
import {
  type CompiledRules,
  compileRules,
  type LinkSkipReason,
  type RewriteRequest,
  type RewriteSkipReason,
  type RuleMatch,
  type RulesConfig,
} from '@cfsign/rewriter';
import type { CacheControlOption } from './cache-control.js';
import type { JsonScope } from './sign-json.js';
import type { SkipReason } from './skip-reasons.js';

/** Every reason `onSkip` receives: a whole response left alone, or one link or token in it. */
export type AnySkipReason = SkipReason | LinkSkipReason | RewriteSkipReason;

/** What `onSkip` is told besides the reason. */
export interface SkipInfo {
  method: string;
  /** The request path and query, as the framework saw it. */
  url: string;
  /** For a link or token: the value left unsigned. */
  detail?: string;
}

/** Options of `cloudfrontSigner(...)` in every adapter; `Req` is the framework's request. */
export interface SignerMiddlewareOptions<Req> {
  /** Path rules: a config, or rules compiled once with `compileRules`. */
  rules: RulesConfig | CompiledRules;
  /** A signer from `createSigner` (`@cfsign/core`). */
  signer: Signer;
  /**
   * Called for each response left unchanged (`'not-rewritable-type'`, `'partial-content'`, ...) and
   * for each link or token left unsigned on purpose (`'no-rule'`, `'denied'`, `'token-too-large'`, ...).
   */
  onSkip?: (reason: AnySkipReason, info: SkipInfo) => void;
  /** A link that cannot be signed fails the response (`'throw'`, default) or stays unsigned (`'skip'`). */
  onLinkError?: 'throw' | 'skip';
  /** Cache-Control of rewritten responses (default `'private'`: `private, no-store`). `false` leaves it. */
  cacheControl?: CacheControlOption;
  /** `Referrer-Policy` set on rewritten pages (for example `'strict-origin-when-cross-origin'`), so signed URLs do not leak. */
  referrerPolicy?: string | false;
  /**
   * Sign URL-valued strings of JSON bodies by the same rules; `{ keys }` limits it to those property
   * names; nothing at or under an `untrustedKeys` name (fields holding user text) is ever signed.
   */
  signJson?: boolean | { keys?: readonly string[]; untrustedKeys?: readonly string[] };
  /** Largest JSON body signed, in bytes (default 4 MiB); a larger one fails the response. */
  maxJsonBytes?: number;
  /** Largest tag, `<style>` body, CSS token or playlist line rewritten (default 1 MiB); larger ones pass, reported to `onSkip`. */
  maxTokenBytes?: number;
  /** `url()` inside CSS comments: `'rewrite'` (default) or `'skip'`. */
  cssComments?: 'rewrite' | 'skip';
  /**
   * Memo of pages handed over whole (`res.send`, `ctx.body = string`): the same bytes at the same
   * URL are rewritten once and reused for `ttl` seconds (default 5, at most a tenth of the shortest
   * rule lifetime), unless signatures depend on the client. It is adaptive: a URL whose pages keep
   * differing stops being hashed for a while, so pages that differ per request cost nothing extra.
   * `false` turns it off.
   */
  memo?: false | { ttl?: number; maxEntries?: number };
  /**
   * Entitlement per link, with the framework's request, the absolute URL and the rule match
   * (`match.params.id`); `false` leaves the link unsigned (see rules `onDeny`). Rules that sign per
   * entity (`/users/:id/**`) or grant more than one file (wildcard/cookie) need it, or their own
   * `authorize: 'any-viewer'`; otherwise start-up fails (see SECURITY.md).
   */
  authorize?: (req: Req, url: string, match: RuleMatch) => boolean | Promise<boolean>;
}

/** Settings of the page memo after validation. */
export interface MemoSettings {
  readonly ttlMs: number;
  readonly maxEntries: number;
}

/** Options after validation. */
export interface PreparedOptions {
  readonly rules: CompiledRules;
  readonly signer: Signer;
  readonly onSkip: ((reason: AnySkipReason, info: SkipInfo) => void) | undefined;
  readonly onLinkError: 'throw' | 'skip';
  readonly cacheControl: CacheControlOption;
  readonly referrerPolicy: string | false;
  readonly signJson: false | JsonScope;
  readonly maxJsonBytes: number;
  readonly maxTokenBytes: number | undefined;
  readonly cssComments: 'rewrite' | 'skip' | undefined;
  /** `Vary` added to rewritten responses, or `null`. */
  readonly vary: string | null;
  /** True when signatures depend on who asks (IP rules, cookies, authorize): the page is never shared-cached. */
  readonly perClient: boolean;
  /** Shortest grant lifetime of any rule, seconds. */
  readonly shortestLifetime: number;
  /** Page memo settings, or `null` (off, or signatures depend on the client). */
  readonly memo: MemoSettings | null;
}

function isCompiled(r: unknown): r is CompiledRules {
  return typeof (r as CompiledRules | undefined)?.matchPath === 'function';
}

function validCacheControl(cc: unknown): cc is CacheControlOption {
  if (cc === false || cc === 'private') return true;
  if (typeof cc !== 'object' || cc === null) return false;
  const o = cc as { maxAge?: unknown; value?: unknown };
  if ('value' in o) return typeof o.value === 'string' && o.value.trim() !== '';
  return o.maxAge === 'shortest' || (Number.isInteger(o.maxAge) && (o.maxAge as number) >= 0);
}

const invalidOptions = (message: string) => new CfsignError('ERR_INVALID_OPTIONS', message);
const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : typeof v);

const positive = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) > 0);

/**
 * Validates the options (`CfsignError` `ERR_INVALID_OPTIONS` naming the option and the values it
 * takes, `ERR_INVALID_RULE` for bad rules) and compiles the rules once.
 *
 * @example
 * ```ts
 * const prepared = prepareOptions({ rules: { cdn, rules: [{ match: '/private/**' }] }, signer });
 * prepared.vary; // null: url-mode rules do not depend on the client
 * ```
 */
export function prepareOptions<Req>(options: SignerMiddlewareOptions<Req>): PreparedOptions {
  if (typeof options !== 'object' || options === null)
    throw invalidOptions(
      'cloudfrontSigner needs an options object: { rules, signer } (signer from createSigner() of @cfsign/core).',
    );
  const { signer, authorize } = options;
  if (typeof signer?.signUrl !== 'function')
    throw invalidOptions(
      '"signer" must be a Signer: pass createSigner({ keyPairId, privateKey }) of @cfsign/core.',
    );
  if (authorize !== undefined && typeof authorize !== 'function')
    throw invalidOptions(
      '"authorize" must be a function (req, url, match) => boolean | Promise<boolean>, or left out.',
    );
  if (options.onSkip !== undefined && typeof options.onSkip !== 'function')
    throw invalidOptions('"onSkip" must be a function (reason, info) => void, or left out.');
  const cc = options.cacheControl ?? 'private';
  if (!validCacheControl(cc))
    throw invalidOptions(
      '"cacheControl" must be "private", { maxAge: "shortest" }, { maxAge: seconds }, { value: "..." } or false.',
    );
  const rp = options.referrerPolicy ?? false;
  if (rp !== false && (typeof rp !== 'string' || !/^[a-z-]+(?:\s*,\s*[a-z-]+)*$/.test(rp)))
    throw invalidOptions(
      '"referrerPolicy" must be a Referrer-Policy value such as "strict-origin-when-cross-origin".',
    );
  if (options.onLinkError !== undefined && options.onLinkError !== 'throw' && options.onLinkError !== 'skip')
    throw invalidOptions(
      `"onLinkError" must be 'throw' (default) or 'skip'; got ${shown(options.onLinkError)}.`,
    );
  if (
    options.cssComments !== undefined &&
    options.cssComments !== 'rewrite' &&
    options.cssComments !== 'skip'
  )
    throw invalidOptions(
      `"cssComments" must be 'rewrite' (default) or 'skip'; got ${shown(options.cssComments)}.`,
    );
  if (!positive(options.maxJsonBytes) || !positive(options.maxTokenBytes))
    throw invalidOptions(
      '"maxJsonBytes" and "maxTokenBytes" must be positive integers (bytes), such as 4194304, or left out.',
    );
  const hook =
    authorize === undefined
      ? undefined
      : (request: RewriteRequest, url: string, m: RuleMatch) => authorize(request.req as Req, url, m);
  let rules: CompiledRules;
  if (!isCompiled(options.rules))
    // the hook takes part in the start-up check of per-entity rules
    rules = compileRules(hook === undefined ? options.rules : { ...options.rules, authorize: hook });
  else rules = hook === undefined ? options.rules : Object.freeze({ ...options.rules, authorize: hook });
  const sj = options.signJson ?? false;
  const names = (v: unknown) =>
    v === undefined || (Array.isArray(v) && v.every((k) => typeof k === 'string'));
  if (sj !== true && sj !== false && (typeof sj !== 'object' || !names(sj.keys) || !names(sj.untrustedKeys)))
    throw invalidOptions(
      '"signJson" must be true, false or { keys?: string[], untrustedKeys?: string[] } (property names).',
    );
  const signJson: false | JsonScope =
    sj === false
      ? false
      : {
          keys: sj === true || sj.keys === undefined ? null : new Set(sj.keys),
          untrusted: sj === true || sj.untrustedKeys === undefined ? null : new Set(sj.untrustedKeys),
        };
  const byIp = rules.list.some((r) => r.ipAddress === 'client');
  const byCookie = rules.list.some((r) => r.mode === 'cookie') || rules.authorize !== undefined;
  const shortestLifetime = Math.min(...rules.list.map((r) => r.expiresIn));
  const m = options.memo ?? {};
  if (
    m !== false &&
    (typeof m !== 'object' ||
      (m.ttl !== undefined && !(m.ttl >= 0)) ||
      (m.maxEntries !== undefined && !(m.maxEntries >= 1)))
  )
    throw invalidOptions(
      '"memo" must be false or { ttl?: seconds (0 or more), maxEntries?: number (1 or more) }.',
    );
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
    maxJsonBytes: options.maxJsonBytes ?? 4 * 1024 * 1024,
    maxTokenBytes: options.maxTokenBytes,
    cssComments: options.cssComments,
    vary,
    perClient: vary !== null,
    shortestLifetime,
    memo:
      m === false || ttl <= 0 || vary !== null
        ? null
        : { ttlMs: ttl * 1000, maxEntries: m === undefined ? 64 : (m.maxEntries ?? 64) },
  };
}
