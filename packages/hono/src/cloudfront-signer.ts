/**
 * `cloudfrontSigner(options)`: the Hono middleware, on Node (`@hono/node-server`), Cloudflare
 * Workers, Bun and Deno. A thin layer over `@cfsign/web`.
 * @module
 */
import { createWebSigner, type WebSignerOptions } from '@cfsign/web';
import type { Context, MiddlewareHandler } from 'hono';
import { nodeServerBody } from './node-server-body.js';

/** What the middleware puts on the context: `c.get('signUrl')`, and `c.set('signedUrls', false)` to opt out. */
export interface CfsignVariables {
  /** The signed form of `url` by the rules, or `url` when no rule covers it. */
  signUrl: (url: string) => Promise<string>;
  /** Same, synchronously; throws `ERR_SYNC_UNAVAILABLE` when the signer or the rule needs an await. */
  signUrlSync: (url: string) => string;
  /** Set to `false` to send this response unsigned (reason `'opted-out'`). */
  signedUrls: boolean;
}

/** Options of {@link cloudfrontSigner}; `authorize` receives Hono's `Context`. */
export interface CloudfrontSignerOptions extends WebSignerOptions<Context> {
  /**
   * The viewer's address, for rules with `ipAddress: 'client'`. Default: the socket's address on
   * `@hono/node-server`, `CF-Connecting-IP` on Cloudflare Workers, else none. Behind your own proxy,
   * or on Bun and Deno, pass it (for example from `getConnInfo(c)`).
   */
  clientIp?: (c: Context) => string | undefined;
}

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } } | undefined;

function defaultClientIp(c: Context): string | undefined {
  const incoming = (c.env as NodeBindings)?.incoming;
  if (incoming !== undefined) return incoming.socket?.remoteAddress;
  return typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers'
    ? (c.req.header('cf-connecting-ip') ?? undefined)
    : undefined;
}

/**
 * Hono middleware signing the protected links of every response it lets through (HTML, CSS, HLS
 * and DASH rewritten whole when complete at once and small, else streamed through a
 * `TransformStream`; JSON with `signJson`), by the one response layer
 * of `@cfsign/response`. Sets `c.get('signUrl')` (and `signUrlSync`) for handlers and templates;
 * `c.set('signedUrls', false)` opts a response out. Mount `compress()` before it (outside), so
 * pages are signed first and then compressed; a page compressed inside it passes unsigned
 * (reason `'already-encoded'`).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { compress } from 'hono/compress';
 * import { createSigner } from '@cfsign/core';
 * import { cloudfrontSigner, type CfsignVariables } from '@cfsign/hono';
 *
 * const app = new Hono<{ Variables: CfsignVariables }>();
 * app.use(compress());
 * app.use(cloudfrontSigner({
 *   signer: createSigner({ keyPairId: 'K2JCJMDEHXQW5F', privateKey: env.CLOUDFRONT_KEY }),
 *   rules: { cdn: 'https://cdn.example.com', origins: ['https://www.example.com'], rules: [{ match: '/private/**', expiresIn: '10m' }] },
 * }));
 * app.get('/', (c) => c.html('<img src="/private/a.jpg">'));
 * app.get('/api/poster', async (c) => c.text(await c.get('signUrl')('/private/poster.jpg')));
 * ```
 */
export function cloudfrontSigner(
  options: CloudfrontSignerOptions,
): MiddlewareHandler<{ Variables: CfsignVariables }> {
  const web = createWebSigner(options);
  const clientIp = options.clientIp ?? defaultClientIp;
  return async function cloudfrontSigner(c, next) {
    const guarded = web.guard(c.req.raw);
    if (guarded !== c.req.raw) c.req.raw = guarded;
    const signing = web.begin(c.req.raw, {
      clientIp: clientIp(c),
      req: c,
      optedOut: () => c.get('signedUrls') === false,
      knownBody: nodeServerBody,
    });
    c.set('signUrl', signing.signUrl);
    c.set('signUrlSync', signing.signUrlSync);
    await next();
    const signed = await signing.sign(c.res);
    if (signed === c.res) return;
    // Hono merges the old response's headers into a new one: clear it first, so that the header
    // policy's removals (Content-Length, ETag, ...) stay removed.
    c.res = undefined;
    c.res = signed;
  };
}
