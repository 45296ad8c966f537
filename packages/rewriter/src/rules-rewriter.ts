/**
 * The high-level rewriter: rules + signer + request in, a streaming rewrite of one response out.
 * @module
 */
import { CfsignError, type SignedCookies, type Signer, serializeCookie } from '@cfsign/core';
import { formatFor } from './content-type.js';
import { createRewriteStream, type RewriteFormat, type RewriteStreamOptions } from './resolver-rewriter.js';
import { compileRules } from './rules/compile-rules.js';
import { checkPageReach } from './rules/cookie-reach.js';
import { createLinkSigner, type LinkSignerOptions, type LinkSkipReason } from './rules/link-signer.js';
import type { CompiledRules, RewriteRequest, RulesConfig } from './rules/types.js';
import type { LinkResolver } from './stream/link-resolver.js';
import type { RewriteSkipReason } from './stream/scan-options.js';

/** Options of {@link createRewriter} and {@link rewrite}. */
export interface RewriterOptions {
  /** Compiled rules (compile once at start-up), or a config compiled on the spot. */
  rules: CompiledRules | RulesConfig;
  signer: Signer;
  request: RewriteRequest;
  /** Called for each link or token left unchanged on purpose. */
  onSkip?: (reason: LinkSkipReason | RewriteSkipReason, detail: string) => void;
  /** A signing error fails the response (default) or leaves that link unsigned. */
  onLinkError?: 'throw' | 'skip';
  /** Largest token rewritten (default 1 MiB). */
  maxTokenBytes?: number;
  /**
   * `url()` inside CSS comments: `'rewrite'` (default, matches the benchmark's ideal output) or
   * `'skip'`. See {@link RewriteStreamOptions.cssComments}.
   */
  cssComments?: 'rewrite' | 'skip';
  /** Clock in ms (tests). */
  now?: () => number;
}

/** A rewriter bound to one request. */
export interface Rewriter {
  readonly rules: CompiledRules;
  /** The link resolver (for links you render yourself). */
  readonly resolve: LinkResolver;
  /** A byte `TransformStream` for a format. */
  stream(format: RewriteFormat, charset?: string): TransformStream<Uint8Array, Uint8Array>;
  /**
   * The options for {@link createRewriteStream}, {@link rewriteBytes} or the Node wrapper, built
   * from this rewriter's options (so none of them is dropped on the way).
   */
  streamOptions(charset?: string): RewriteStreamOptions;
  /** The stream for a `Content-Type`, or `null` when that response must pass through. */
  forContentType(contentType: string | null | undefined): TransformStream<Uint8Array, Uint8Array> | null;
  /**
   * `Set-Cookie` values for the rules in `cookie` mode (send them before the body). Rejects with
   * `ERR_INVALID_COOKIE_OPTIONS` when a rule's host-only cookies cannot reach the CDN from this
   * page (no `cookie.domain`, no `origins`, and the page's host is not the CDN's).
   */
  cookies(): Promise<string[]>;
}

function isCompiled(r: CompiledRules | RulesConfig): r is CompiledRules {
  return typeof (r as CompiledRules).matchPath === 'function';
}

/**
 * The one place the options of a response's rewrite stream are built (resolver, configured
 * attributes, charset, `maxTokenBytes`, `cssComments`, `onSkip`): {@link createRewriter}, the
 * Node wrapper and {@link Rewriter.streamOptions} all use it.
 *
 * @example
 * ```ts
 * const rw = createRewriter(options);
 * const out = rewriteBytes('html', body, streamOptions(options, rw.rules, rw.resolve, 'utf-8'));
 * ```
 */
export function streamOptions(
  o: RewriterOptions,
  rules: CompiledRules,
  resolve: LinkResolver,
  charset?: string,
): RewriteStreamOptions {
  return {
    resolve,
    attributes: rules.attributes,
    ...(charset !== undefined && { charset }),
    ...(o.maxTokenBytes !== undefined && { maxTokenBytes: o.maxTokenBytes }),
    ...(o.cssComments !== undefined && { cssComments: o.cssComments }),
    ...(o.onSkip !== undefined && { onSkip: o.onSkip }),
  };
}

/**
 * The `Set-Cookie` values of a signed cookie set, each living exactly as long as the policy
 * (`Max-Age` up to its `DateLessThan`): no cookie outlives its grant, none dies before it.
 */
function withPolicyLifetime(signed: SignedCookies, nowMs: number): string[] {
  const maxAge = Math.max(0, signed.expires - Math.floor(nowMs / 1000));
  const live = signed.cookies.map((c) => serializeCookie({ ...c, maxAge }));
  // The rest of `setCookie` expires the CloudFront-* names this set does not use.
  return [...live, ...signed.setCookie.slice(signed.cookies.length)];
}

/**
 * Creates the rewriter of one response.
 *
 * @example
 * ```ts
 * const rules = compileRules({ cdn: 'https://d111111abcdef8.cloudfront.net', origins: ['https://www.example.com'],
 *   rules: [{ match: '/media/**', expiresIn: '10m' }] });
 * const rw = createRewriter({ rules, signer, request: { url: 'https://www.example.com/', clientIp: '203.0.113.7' } });
 * const body = response.body!.pipeThrough(rw.forContentType(response.headers.get('content-type'))!);
 * ```
 */
export function createRewriter(options: RewriterOptions): Rewriter {
  if (typeof options !== 'object' || options === null)
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      'createRewriter(options) needs an options object: { rules, signer, request: { url } }.',
    );
  const rules = isCompiled(options.rules) ? options.rules : compileRules(options.rules);
  const { signer, request } = options;
  if (typeof signer?.signUrl !== 'function')
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      '"signer" must be a Signer: pass createSigner({ keyPairId, privateKey }) of @cfsign/core.',
    );
  const linkOpts: LinkSignerOptions = { rules, signer, request };
  if (options.onSkip !== undefined) linkOpts.onSkip = options.onSkip;
  if (options.onLinkError !== undefined) linkOpts.onLinkError = options.onLinkError;
  if (options.now !== undefined) linkOpts.now = options.now;
  const resolve = createLinkSigner(linkOpts);
  const stream = (format: RewriteFormat, charset?: string) =>
    createRewriteStream(format, streamOptions(options, rules, resolve, charset));
  return {
    rules,
    resolve,
    stream,
    streamOptions: (charset?: string) => streamOptions(options, rules, resolve, charset),
    forContentType(contentType) {
      const choice = formatFor(contentType);
      if (choice.format === null) return null;
      return stream(choice.format, choice.charset);
    },
    async cookies() {
      // A page whose host-only cookies could not reach the CDN fails whole, before any is signed.
      for (const rule of rules.list) checkPageReach(rule, request.url, rules.cdn);
      const out: string[] = [];
      for (const rule of rules.list) {
        if (rule.mode !== 'cookie') continue;
        // Entitlement: the hook is asked once per response, with the resource the cookies grant.
        if (!rule.anyViewer && rules.authorize !== undefined) {
          const path = rule.resource!;
          const match = { rule, glob: rule.globs[0]!, params: {}, path };
          if (!(await rules.authorize(request, rules.cdn + path, match))) continue;
        }
        const ip = rule.ipAddress === 'client' ? request.clientIp : rule.ipAddress;
        const nowMs = options.now?.() ?? Date.now();
        const signed = await signer.signCookies(rules.cdn + rule.resource!, {
          expiresIn: rule.expiresIn,
          ...(rule.startsIn !== undefined && { startsIn: rule.startsIn }),
          ...(ip !== undefined && { ipAddress: ip }),
          ...(rule.hashAlgorithm !== undefined && { hashAlgorithm: rule.hashAlgorithm }),
          ...rule.cookie,
          now: nowMs,
        });
        out.push(...withPolicyLifetime(signed, nowMs));
      }
      return out;
    },
  };
}

/**
 * Rewrites a response body stream: `rewrite(stream, { rules, signer, request, contentType })`.
 * Bodies of other types pass through unchanged.
 *
 * @example
 * ```ts
 * const body = rewrite(upstream.body!, { rules, signer, request: { url: req.url }, contentType: 'text/html' });
 * return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
 * ```
 */
export function rewrite(
  stream: ReadableStream<Uint8Array>,
  options: RewriterOptions & { contentType?: string; format?: RewriteFormat },
): ReadableStream<Uint8Array> {
  const rw = createRewriter(options);
  const t =
    options.format !== undefined
      ? rw.stream(options.format)
      : rw.forContentType(options.contentType ?? 'text/html');
  return t === null ? stream : stream.pipeThrough(t);
}
