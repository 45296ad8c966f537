/**
 * Signs the URL-valued strings of a JSON body (the response layer's `signJsonText`).
 * @module
 */

import { signJsonText } from '@cfsign/response';
import type { LinkResolver } from '@cfsign/rewriter';

/**
 * Parses a JSON text, replaces every string value that is a path (`/media/a.jpg`) or an http(s) URL
 * the rules cover by its signed form, and serializes it again (keys and other values unchanged;
 * whitespace is not kept).
 *
 * @example
 * ```ts
 * await signJsonLinks('{"src":"/media/a.jpg","title":"A"}', resolve);
 * // '{"src":"https://d111111abcdef8.cloudfront.net/media/a.jpg?Expires=…","title":"A"}'
 * ```
 */
export function signJsonLinks(text: string, resolve: LinkResolver): Promise<string> {
  const signUrl = async (url: string) => (await resolve(url, { kind: 'html' })) ?? url;
  return signJsonText(text, { signUrl }, null, Number.POSITIVE_INFINITY);
}
