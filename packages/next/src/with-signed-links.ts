/**
 * `withSignedLinks`: wraps a route handler and signs the protected links of its response body.
 * @module
 */
import 'server-only';
import { createRewriter } from '@cfsign/rewriter';
import { getSigning } from './config.js';
import { ensureDynamic } from './dynamic.js';
import { signJsonLinks } from './rewrite-json.js';
import { type LinkSkipResponseReason, shouldSignLinks } from './should-sign-links.js';

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

/**
 * Wraps a route handler: HTML, CSS, HLS and DASH bodies are streamed through the rewriter, JSON
 * bodies get their URL-valued strings signed; `Content-Length` is dropped, a strong `ETag`
 * weakened, `Cache-Control` set to `private, no-store`, and cookie-mode rules add their cookies.
 *
 * @example
 * ```ts
 * // app/playlists/[id]/route.ts
 * import { withSignedLinks } from '@cfsign/next';
 *
 * export const GET = withSignedLinks(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
 *   const { id } = await params;
 *   const text = `#EXTM3U\n#EXTINF:4,\n/video/${id}/seg0.ts\n#EXT-X-ENDLIST\n`;
 *   return new Response(text, { headers: { 'content-type': 'application/vnd.apple.mpegurl' } });
 * });
 * ```
 */
export function withSignedLinks<C>(handler: Handler<C>, options: WithSignedLinksOptions = {}): Handler<C> {
  if (typeof handler !== 'function') throw new TypeError('withSignedLinks needs a route handler function.');
  return async (request, context) => {
    await ensureDynamic();
    const response = await handler(request, context);
    const decision = shouldSignLinks(request, response);
    if (decision.format === null) {
      options.onSkip?.(decision.reason, request);
      return response;
    }
    const { signer, cdn, rules } = await getSigning();
    const url = new URL(request.url);
    const pageUrl = rules.origins.includes(url.origin) ? url.href : cdn + url.pathname + url.search;
    const clientIp = options.clientIp?.(request);
    const rw = createRewriter({
      rules,
      signer,
      request: { url: pageUrl, ...(clientIp !== undefined && { clientIp }) },
    });
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    const etag = headers.get('etag');
    if (etag !== null && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
    if (options.cacheControl !== false)
      headers.set('cache-control', options.cacheControl ?? 'private, no-store');
    for (const c of await rw.cookies()) headers.append('set-cookie', c);
    const init = { status: response.status, statusText: response.statusText, headers };
    if (decision.format === 'json') {
      const text = await response.text();
      const limit = options.maxJsonBytes ?? 4 * 1024 * 1024;
      if (text.length > limit)
        throw new RangeError(
          `The JSON body is over ${limit} bytes; raise "maxJsonBytes" or sign the links in the handler.`,
        );
      return new Response(await signJsonLinks(text, rw.resolve), init);
    }
    return new Response(response.body!.pipeThrough(rw.stream(decision.format, decision.charset)), init);
  };
}
