/**
 * Signs the URL-valued strings of a JSON body.
 * @module
 */
import type { LinkResolver } from '@cfsign/rewriter';

const URLISH = /^(?:\/(?!\/)|https?:\/\/)/i;

async function walk(value: unknown, resolve: LinkResolver): Promise<unknown> {
  if (typeof value === 'string') {
    if (!URLISH.test(value)) return value;
    return (await resolve(value, { kind: 'html' })) ?? value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = await walk(value[i], resolve);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = await walk(o[k], resolve);
    return o;
  }
  return value;
}

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
export async function signJsonLinks(text: string, resolve: LinkResolver): Promise<string> {
  return JSON.stringify(await walk(JSON.parse(text), resolve));
}
