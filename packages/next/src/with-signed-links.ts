/**
 * `withSignedLinks`: wraps a route handler and signs the protected links of its response body,
 * through the response layer (`signWebResponse` of `@cfsign/response`).
 * @module
 */
import 'server-only';
import { CfsignError } from '@cfsign/core';
import { createSession, type PreparedOptions, prepareOptions, signWebResponse } from '@cfsign/response';
import type { GetSigning, ResolvedSigning } from './config.js';
import { ensureDynamic } from './dynamic.js';
import type { LinkSkipResponseReason } from './should-sign-links.js';

/** Options of {@link withSignedLinks}. */
export interface WithSignedLinksOptions {
  /** `Cache-Control` of rewritten responses (default `'private, no-store'`); `false` keeps the handler's. */
  cacheControl?: string | false;
  /** Client address for rules with `ipAddress: 'client'` (e.g. from your proxy's header). */
  clientIp?: (request: Request) => string | undefined;
  /** Called when a response passes through unchanged. */
  onSkip?: (reason: LinkSkipResponseReason, request: Request) => void;
  /** Largest JSON body rewritten, in bytes (default 4 MiB); larger ones fail with a 500. */
  maxJsonBytes?: number;
}

type Handler<C> = (request: Request, context: C) => Response | Promise<Response>;

function prepared(
  signing: ResolvedSigning,
  o: WithSignedLinksOptions,
  cache: WeakMap<object, PreparedOptions>,
) {
  let p = cache.get(signing);
  if (p === undefined) {
    p = prepareOptions({
      rules: signing.rules,
      signer: signing.signer,
      signJson: true,
      memo: false,
      cacheControl:
        o.cacheControl === undefined
          ? 'private'
          : o.cacheControl === false
            ? false
            : { value: o.cacheControl },
      ...(o.maxJsonBytes !== undefined && { maxJsonBytes: o.maxJsonBytes }),
    });
    cache.set(signing, p);
  }
  return p;
}

/** The `withSignedLinks` of one configuration. */
export type WithSignedLinks = <C>(handler: Handler<C>, options?: WithSignedLinksOptions) => Handler<C>;

/**
 * Creates `withSignedLinks(handler, options?)`, which wraps a route handler: HTML, CSS, HLS and DASH
 * bodies are streamed through the rewriter, JSON bodies get their URL-valued strings signed, and the
 * headers follow the response layer's one policy (`Content-Length` dropped or exact,
 * `ETag`/`Last-Modified`/`Accept-Ranges` dropped, `Cache-Control: private, no-store`, `Vary` when
 * signatures depend on the viewer); cookie-mode rules add their cookies, with the rules' cookie
 * attributes. `HEAD` gets GET's headers.
 *
 * @example
 * ```ts
 * // app/playlists/[id]/route.ts
 * import { withSignedLinks } from '@/lib/cfsign'; // from cfsign({ rules })
 *
 * export const GET = withSignedLinks(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
 *   const { id } = await params;
 *   const text = `#EXTM3U\n#EXTINF:4,\n/video/${id}/seg0.ts\n#EXT-X-ENDLIST\n`;
 *   return new Response(text, { headers: { 'content-type': 'application/vnd.apple.mpegurl' } });
 * });
 * ```
 */
export function createWithSignedLinks(getSigning: GetSigning): WithSignedLinks {
  return <C>(handler: Handler<C>, options: WithSignedLinksOptions = {}): Handler<C> => {
    if (typeof handler !== 'function')
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        'withSignedLinks(handler) needs the route handler function, such as withSignedLinks(async (request) => new Response(html)).',
      );
    const cache = new WeakMap<object, PreparedOptions>();
    return async (request, context) => {
      await ensureDynamic();
      const response = await handler(request, context);
      return signWebResponse(request, response, {
        signJson: true,
        async begin() {
          const signing = await getSigning();
          const p = prepared(signing, options, cache);
          const url = new URL(request.url);
          const pageUrl = signing.rules.origins.includes(url.origin)
            ? url.href
            : signing.cdn + url.pathname + url.search;
          const clientIp = options.clientIp?.(request);
          const session = createSession(p, { url: pageUrl, clientIp, req: request, method: request.method });
          return { prepared: p, session };
        },
        onSkip: (reason) => options.onSkip?.(reason, request),
      });
    };
  };
}
