/**
 * Should a route handler's response be rewritten, and as what? The response layer's decision
 * (`decideRewrite` of `@cfsign/response`) on a Web `Request`/`Response`.
 * @module
 */
import { decideRewrite, type RewriteDecision, type SkipReason } from '@cfsign/response';

/** Why a response passes through {@link withSignedLinks} unchanged (the response layer's reasons). */
export type LinkSkipResponseReason = SkipReason;

/** What {@link shouldSignLinks} decided. */
export type SignLinksDecision = RewriteDecision;

/**
 * Decides whether {@link withSignedLinks} rewrites a response: HTML, CSS, HLS, DASH and JSON bodies
 * of complete, unencoded, transformable responses. `HEAD` is not a skip: it gets GET's headers.
 *
 * @example
 * ```ts
 * shouldSignLinks(new Request('https://www.example.com/'), new Response('<p>', { headers: { 'content-type': 'text/html' } }));
 * // { rewrite: true, format: 'html', charset: undefined, headOnly: false }
 * ```
 */
export function shouldSignLinks(request: Request, response: Response): SignLinksDecision {
  return decideRewrite({
    method: request.method,
    status: response.status,
    header: (n) => response.headers.get(n),
    signJson: true,
    hasBody: response.body !== null,
  });
}
