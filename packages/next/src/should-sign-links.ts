/**
 * Should a route handler's response be rewritten, and as what? A named predicate with its reasons.
 * @module
 */
import { type RewriteFormat, rewriterFor } from '@cfsign/rewriter';

/** Why a response passes through {@link withSignedLinks} unchanged. */
export type LinkSkipResponseReason =
  | 'head-request'
  | 'no-body'
  | 'partial-content'
  | 'already-encoded'
  | 'no-transform'
  | 'no-content-type'
  | 'not-rewritable-type'
  | 'unsupported-charset';

/** What {@link shouldSignLinks} decided. */
export type SignLinksDecision =
  | { format: RewriteFormat | 'json'; charset: string | undefined }
  | { format: null; reason: LinkSkipResponseReason };

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json$/i;

/**
 * Decides whether {@link withSignedLinks} rewrites a response: HTML, CSS, HLS, DASH and JSON bodies
 * of complete, unencoded, transformable responses to non-HEAD requests.
 *
 * @example
 * ```ts
 * shouldSignLinks(new Request('https://www.example.com/'), new Response('<p>', { headers: { 'content-type': 'text/html' } }));
 * // { format: 'html', charset: undefined }
 * ```
 */
export function shouldSignLinks(request: Request, response: Response): SignLinksDecision {
  // HEAD: no body to rewrite, and headers must match the GET's.
  if (request.method === 'HEAD') return { format: null, reason: 'head-request' };
  // 204/304 and bodiless responses: nothing to do.
  if (response.body === null || response.status === 204 || response.status === 304)
    return { format: null, reason: 'no-body' };
  // 206: a byte range of a body cannot be rewritten on its own.
  if (response.status === 206) return { format: null, reason: 'partial-content' };
  // Compressed bodies: we do not decompress.
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity')
    return { format: null, reason: 'already-encoded' };
  // The handler asked intermediaries to leave the body alone.
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(response.headers.get('cache-control') ?? ''))
    return { format: null, reason: 'no-transform' };
  const type = response.headers.get('content-type');
  if (type !== null && JSON_TYPE.test(type.split(';')[0]!.trim()))
    return { format: 'json', charset: undefined };
  const choice = rewriterFor(type);
  return choice.format === null ? { format: null, reason: choice.reason } : choice;
}
