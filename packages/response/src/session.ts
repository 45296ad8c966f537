/**
 * One request's signing session: the link resolver bound to the page URL, the client address and
 * the framework request; the stream options of its bodies; `signUrl`; its cookies.
 * @module
 */
import { CfsignError } from '@cfsign/core';
import { createRewriter, type LinkResolver, type RewriteStreamOptions } from '@cfsign/rewriter';
import type { AnySkipReason, PreparedOptions } from './options.js';

/** What a session needs to know about the request. */
export interface SessionRequest {
  /** Absolute URL of the page (links resolve against it). */
  url: string;
  /** Client address as the framework resolves it (`req.ip`, `ctx.ip`). */
  clientIp: string | undefined;
  /** The framework's request, handed to `authorize`. */
  req: unknown;
  /** Method and path for `onSkip` (default `GET` and the path of `url`). */
  method?: string;
  path?: string;
}

/** A signing session. */
export interface SigningSession {
  /** Absolute URL of the page. */
  readonly url: string;
  /** The link resolver (rules, signer, authorize). */
  readonly resolve: LinkResolver;
  /** The options of a body rewrite (`createRewriteStream`, `rewriteBytes`, the Node stream): every option passed through. */
  streamOptions(charset: string | undefined): RewriteStreamOptions;
  /** The signed form of `url` by the rules, or `url` unchanged when no rule applies. */
  signUrl(url: string): Promise<string>;
  /** Same, synchronously; throws `ERR_SYNC_UNAVAILABLE` when the signer or the rule needs an await. */
  signUrlSync(url: string): string;
  /** `Set-Cookie` values of the cookie-mode rules (empty when there are none). */
  cookies(): Promise<string[]>;
}

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/**
 * Creates the signing session of one request.
 *
 * @example
 * ```ts
 * const session = createSession(prepared, { url: 'https://www.example.com/', clientIp: '203.0.113.7', req });
 * await session.signUrl('/private/a.jpg'); // 'https://d111111abcdef8.cloudfront.net/private/a.jpg?Expires=…'
 * ```
 */
export function createSession(o: PreparedOptions, request: SessionRequest): SigningSession {
  const clientIp = request.clientIp?.replace(IPV4_MAPPED, '$1');
  const hook = o.onSkip;
  const onSkip =
    hook === undefined
      ? undefined
      : (reason: AnySkipReason, detail: string) =>
          hook(reason, {
            method: request.method ?? 'GET',
            url: request.path ?? new URL(request.url).pathname,
            detail,
          });
  const rewriter = createRewriter({
    rules: o.rules,
    signer: o.signer,
    request: { url: request.url, ...(clientIp !== undefined && { clientIp }), req: request.req },
    onLinkError: o.onLinkError,
    ...(onSkip !== undefined && { onSkip }),
  });
  const { resolve } = rewriter;
  const hasCookies = o.rules.list.some((r) => r.mode === 'cookie');
  return {
    url: request.url,
    resolve,
    streamOptions: (charset) => ({
      resolve,
      attributes: o.rules.attributes,
      ...(charset !== undefined && { charset }),
      ...(o.maxTokenBytes !== undefined && { maxTokenBytes: o.maxTokenBytes }),
      ...(o.cssComments !== undefined && { cssComments: o.cssComments }),
      ...(onSkip !== undefined && { onSkip }),
    }),
    async signUrl(url) {
      return (await resolve(url, { kind: 'html' })) ?? url;
    },
    signUrlSync(url) {
      const out = resolve(url, { kind: 'html' });
      if (out instanceof Promise) {
        out.catch(() => {});
        throw new CfsignError(
          'ERR_SYNC_UNAVAILABLE',
          `Signing ${url} needs an await (async signer, authorize or policy); use signUrl() instead.`,
        );
      }
      return out ?? url;
    },
    cookies: () => (hasCookies ? rewriter.cookies() : Promise.resolve([])),
  };
}
