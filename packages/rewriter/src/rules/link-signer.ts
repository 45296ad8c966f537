/**
 * Signing links by the rules: {@link createLinkSigner} turns each link found in a response into its
 * signed CDN form (resolve, match, authorize, sign per URL or with a shared wildcard policy, or leave
 * it alone); {@link signLink} does the same for one link built in code.
 * @module
 */
import {
  appendSignedQuery,
  CfsignError,
  matchWildcard,
  type Signer,
  type SignUrlOptions,
} from '@cfsign/core';
import type { LinkContext, LinkResolver } from '../stream/link-resolver.js';
import { isAlreadySigned, type LinkBase, prepareBase, resolveLink } from '../url/resolve-link.js';
import type { CompiledRule, CompiledRules, RewriteRequest, RuleMatch } from './types.js';
import { wildcardPolicy } from './wildcard-policy.js';

/** Why a link was left as it was. */
export type LinkSkipReason =
  | 'not-http'
  | 'other-origin'
  | 'no-rule'
  | 'already-signed'
  | 'cookie-mode'
  | 'denied'
  | 'needs-wildcard'
  | 'link-error';

/** Options of {@link createLinkSigner}. */
export interface LinkSignerOptions {
  rules: CompiledRules;
  signer: Signer;
  request: RewriteRequest;
  /** Called for each link left unchanged, with the reason. */
  onSkip?: (reason: LinkSkipReason, value: string, error?: unknown) => void;
  /** A signing error fails the response (`'throw'`, default) or leaves that link unsigned (`'skip'`). */
  onLinkError?: 'throw' | 'skip';
  /** Clock in ms (tests). */
  now?: () => number;
}

const ORIGIN_SETS = new WeakMap<CompiledRules, ReadonlySet<string>>();

/** The site's origins plus the page's own, as a set (cached per rules when the page's is listed). */
function originSet(rules: CompiledRules, pageOrigin: string): ReadonlySet<string> {
  let set = ORIGIN_SETS.get(rules);
  if (set === undefined) {
    set = new Set(rules.origins);
    ORIGIN_SETS.set(rules, set);
  }
  return set.has(pageOrigin) ? set : new Set([...rules.origins, pageOrigin]);
}

/**
 * Creates the {@link LinkResolver} the rewriters call for every candidate link of one response.
 * Uses `signer.signUrlSync` when the signer can sign synchronously, so most pages need no await.
 *
 * @example
 * ```ts
 * const resolve = createLinkSigner({ rules, signer, request: { url: 'https://www.example.com/', clientIp: '203.0.113.7' } });
 * await resolve('/media/a.jpg', { kind: 'html' });
 * // 'https://d111111abcdef8.cloudfront.net/media/a.jpg?Expires=…&Signature=…&Key-Pair-Id=…'
 * ```
 */
export function createLinkSigner(options: LinkSignerOptions): LinkResolver {
  const { rules, signer, request, onSkip } = options;
  if (typeof request?.url !== 'string')
    throw new CfsignError(
      'ERR_INVALID_URL',
      '"request.url" must be the absolute URL of the page, such as "https://www.example.com/page".',
    );
  const pageBase = prepareBase(request.url);
  if (pageBase === null)
    throw new CfsignError(
      'ERR_INVALID_URL',
      `"request.url" must be an absolute http(s) URL such as "https://www.example.com/page", got ${JSON.stringify(request.url.slice(0, 200))}.`,
    );
  // The page's own origin counts as a site origin: relative links always map to the CDN.
  const origins = originSet(rules, pageBase.origin);
  const now = options.now ?? Date.now;
  const skipErrors = options.onLinkError === 'skip';
  // Sign options per rule (index * 2 + canonical), built once when no clock is injected: the
  // signer only reads them.
  const optsCache: (SignUrlOptions | undefined)[] = [];
  let lastBaseHref = '';
  let lastBase: LinkBase = pageBase;

  const skip = (reason: LinkSkipReason, value: string, error?: unknown): null => {
    onSkip?.(reason, value, error);
    return null;
  };
  const fail = (value: string, err: unknown): null => {
    if (skipErrors) return skip('link-error', value, err);
    throw err;
  };

  const sign = (
    m: RuleMatch,
    cdnUrl: string,
    fragment: string,
    canonical: boolean,
  ): string | Promise<string> => {
    const rule = m.rule;
    let ip = rule.ipAddress;
    if (ip === 'client') {
      ip = request.clientIp;
      if (typeof ip !== 'string' || ip === '')
        throw new CfsignError(
          'ERR_INVALID_IP_RANGE',
          `Rule ${rule.index} signs for the client IP, but request.clientIp is missing; pass it to the rewriter (e.g. req.ip).`,
        );
    }
    if (rule.mode === 'wildcard') {
      const resource =
        rules.cdn +
        rule.resource!.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (s, n: string) => {
          const v = m.params[n];
          if (v === undefined) return s;
          // A `*` or `?` captured from the link would be a wildcard in the policy: a far wider grant.
          if (/[*?]/.test(v))
            throw new CfsignError(
              'ERR_INVALID_RESOURCE',
              `Rule ${rule.index}: the link ${cdnUrl} puts ${JSON.stringify(v)} in ":${n}", which the policy resource would read as a wildcard; such links are not signed.`,
            );
          return v;
        });
      if (!matchWildcard(resource, cdnUrl))
        throw new CfsignError(
          'ERR_RESOURCE_MISMATCH',
          `Rule ${rule.index}: the link ${cdnUrl} is not covered by its policy resource ${resource}; widen "resource" (e.g. end it with "*").`,
        );
      const p = wildcardPolicy(rules, signer, rule, resource, ip, now());
      return p instanceof Promise
        ? p.then((q) => appendSignedQuery(cdnUrl, q, fragment))
        : appendSignedQuery(cdnUrl, p, fragment);
    }
    const slot = rule.index * 2 + (canonical ? 1 : 0);
    let opts = options.now === undefined ? optsCache[slot] : undefined;
    if (opts === undefined) opts = signOptions(rule, ip, canonical);
    if (options.now === undefined) optsCache[slot] = opts;
    return signer.canSignSync
      ? signer.signUrlSync(cdnUrl + fragment, opts)
      : signer.signUrl(cdnUrl + fragment, opts);
  };

  const signOptions = (rule: CompiledRule, ip: string | undefined, canonical: boolean): SignUrlOptions => {
    return {
      expiresIn: rule.expiresIn,
      ...(rule.startsIn !== undefined && { startsIn: rule.startsIn }),
      ...(ip !== undefined && { ipAddress: ip }),
      ...(rule.hashAlgorithm !== undefined && { hashAlgorithm: rule.hashAlgorithm }),
      ...(canonical && { verbatim: true }),
      // The same clock as wildcard policies, so that `now` governs every link of a response.
      ...(options.now !== undefined && { now: now() }),
    };
  };

  const finish = (m: RuleMatch, cdnUrl: string, fragment: string, canonical: boolean, value: string) => {
    try {
      const out = sign(m, cdnUrl, fragment, canonical);
      return out instanceof Promise ? out.catch((e: unknown) => fail(value, e)) : out;
    } catch (err) {
      return fail(value, err);
    }
  };

  return (value, ctx) => {
    let base = pageBase;
    if (ctx.base !== undefined) {
      if (ctx.base !== lastBaseHref) {
        lastBaseHref = ctx.base;
        lastBase = prepareBase(ctx.base, pageBase) ?? pageBase;
      }
      base = lastBase;
    }
    const link = resolveLink(value, base);
    if (link === null) return skip('not-http', value);
    if (!origins.has(link.origin)) return skip('other-origin', value);
    if (!rules.mayMatch(link.path)) return skip('no-rule', value);
    const m = rules.matchPath(link.path);
    if (m === null) return skip('no-rule', value);
    if (isAlreadySigned(link.query)) return skip('already-signed', value);
    if (m.rule.mode === 'cookie') return skip('cookie-mode', value);
    // A DASH template ($Number$...) names many URLs: only a wildcard policy can cover them.
    if (ctx.kind === 'dash' && m.rule.mode === 'url' && value.includes('$'))
      return skip('needs-wildcard', value);
    const cdnUrl = rules.cdn + link.path + link.query;
    if (rules.authorize !== undefined && !m.rule.anyViewer) {
      const absolute = link.origin + link.path + link.query;
      const denied = (): string | null => {
        onSkip?.('denied', value);
        return rules.onDeny === 'unsigned' ? null : rules.onDeny.replaceWith;
      };
      let ok: boolean | Promise<boolean>;
      try {
        ok = rules.authorize(request, absolute, m);
      } catch (err) {
        return fail(value, err);
      }
      if (ok instanceof Promise)
        return ok.then(
          (yes) => (yes ? finish(m, cdnUrl, link.fragment, link.canonical, value) : denied()),
          (err: unknown) => fail(value, err),
        );
      if (!ok) return denied();
      return finish(m, cdnUrl, link.fragment, link.canonical, value);
    }
    return finish(m, cdnUrl, link.fragment, link.canonical, value);
  };
}

/**
 * Signs `url` the way the rewriter would sign it in a page: the signed CDN URL, the `onDeny`
 * replacement, or `null` when no rule applies (or it is a cookie-mode rule).
 *
 * @example
 * ```ts
 * const src = await signLink('/media/poster.jpg', { rules, signer, request: { url: 'https://www.example.com/' } });
 * ```
 */
export async function signLink(
  url: string,
  options: { rules: CompiledRules; signer: Signer; request: RewriteRequest; context?: LinkContext },
): Promise<string | null> {
  const resolve = createLinkSigner({
    rules: options.rules,
    signer: options.signer,
    request: options.request,
  });
  return resolve(url, options.context ?? { kind: 'html' });
}
