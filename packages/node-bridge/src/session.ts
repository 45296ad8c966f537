/**
 * One request's signing session: the rewriter bound to the page URL, the client IP and the
 * framework request, plus `signUrl` for templates and APIs.
 * @module
 */
import type { Transform } from 'node:stream';
import { CfsignError } from '@cfsign/core';
import { createRewriter, type RewriteFormat, type Rewriter } from '@cfsign/rewriter';
import { createNodeRewriteStream } from '@cfsign/rewriter/node';
import type { PreparedOptions } from './options.js';

/** What a session needs to know about the request. */
export interface SessionRequest {
  /** Absolute URL of the page (links resolve against it). */
  url: string;
  /** Client address as the framework resolves it (`req.ip`, `ctx.ip`). */
  clientIp: string | undefined;
  /** The framework's request, handed to `authorize`. */
  req: unknown;
}

/** A signing session. */
export interface SigningSession {
  /** Absolute URL of the page. */
  readonly url: string;
  readonly rewriter: Rewriter;
  /** A Node `Transform` rewriting a body of `format`. */
  transform(format: RewriteFormat, charset: string | undefined): Transform;
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
 * const session = createSession(prepared, { url: 'https://www.example.com/', clientIp: req.ip, req });
 * await session.signUrl('/private/a.jpg'); // 'https://d111111abcdef8.cloudfront.net/private/a.jpg?Expires=…'
 * ```
 */
export function createSession(o: PreparedOptions<unknown>, request: SessionRequest): SigningSession {
  const clientIp = request.clientIp?.replace(IPV4_MAPPED, '$1');
  const rewriter = createRewriter({
    rules: o.rules,
    signer: o.signer,
    request: { url: request.url, ...(clientIp !== undefined && { clientIp }), req: request.req },
    onLinkError: o.onLinkError,
  });
  const { resolve } = rewriter;
  const hasCookies = o.rules.rules.some((r) => r.mode === 'cookie');
  return {
    url: request.url,
    rewriter,
    transform: (format, charset) =>
      createNodeRewriteStream({
        format,
        resolve,
        attributes: o.rules.attributes,
        ...(charset !== undefined && { charset }),
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
