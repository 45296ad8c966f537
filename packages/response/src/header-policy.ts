/**
 * The header policy of a rewritten response, written down once for every runtime.
 * @module
 */
import { type CacheControlOption, cacheControlFor } from './cache-control.js';
import type { HeaderAccess } from './headers.js';

/** What {@link applyHeaderPolicy} needs to know (a `PreparedOptions` fits). */
export interface HeaderPolicy {
  readonly cacheControl: CacheControlOption;
  readonly referrerPolicy: string | false;
  /** `Vary` added to rewritten responses (signatures depend on the cookie or the client), or `null`. */
  readonly vary: string | null;
  readonly perClient: boolean;
  /** Shortest grant lifetime of any rule, seconds. */
  readonly shortestLifetime: number;
}

/**
 * Cache directives aimed at CDNs, which those CDNs obey instead of `Cache-Control`: RFC 9213's
 * `CDN-Cache-Control` and its targeted forms, and the older `Surrogate-Control` and `Edge-Control`.
 * Left on a rewritten page, a day's CDN lifetime would outlive the `Cache-Control` written for it.
 */
const CDN_CACHE_FIELDS = [
  'cdn-cache-control',
  'cloudflare-cdn-cache-control',
  'vercel-cdn-cache-control',
  'netlify-cdn-cache-control',
  'surrogate-control',
  'edge-control',
];

/** Headers that describe the exact bytes of the origin's representation. */
const BYTE_VALIDATORS = ['etag', 'last-modified', 'accept-ranges', 'content-md5', 'digest', 'repr-digest'];

/**
 * Applies the one header policy to a response whose body is rewritten (or, for `HEAD`, would be):
 *
 * - `Content-Length`: the exact length of the rewritten body when it is known (`length`), else
 *   removed (streamed bodies, and every `HEAD`: its length is never claimed).
 * - `ETag`, `Last-Modified`: removed. They describe the unsigned bytes; keeping them (even a weak
 *   ETag) lets a cache revalidate to a 304 and reuse a page whose signatures have expired.
 * - `Accept-Ranges`, `Content-MD5`, `Digest`, `Repr-Digest`: removed (a range or a digest of the
 *   rewritten body would refer to bytes no request can reproduce).
 * - `Cache-Control`: `private, no-store` by default, or a max-age capped below the shortest
 *   signature lifetime (see {@link cacheControlFor}); the CDN-targeted fields (`CDN-Cache-Control`,
 *   `Surrogate-Control`, ...) are removed with it, so CDNs read that `Cache-Control` too.
 * - `Vary`: `Cookie, Authorization` when signatures depend on the viewer, `*` when on the client
 *   address (merged with the app's).
 * - `Referrer-Policy`: set when configured, so signed URLs do not leak through `Referer`.
 *
 * @example
 * ```ts
 * const h = new Headers({ 'content-type': 'text/html', etag: '"v1"', 'content-length': '250167' });
 * applyHeaderPolicy(h, prepared, {});
 * h.get('etag');          // null
 * h.get('cache-control'); // 'private, no-store'
 * ```
 */
export function applyHeaderPolicy(h: HeaderAccess, p: HeaderPolicy, body: { length?: number }): void {
  if (body.length === undefined) h.delete('content-length');
  else h.set('content-length', String(body.length));
  for (const name of BYTE_VALIDATORS) h.delete(name);
  const cc = cacheControlFor(h.get('cache-control') ?? '', p.cacheControl, p);
  if (cc !== null) {
    h.set('cache-control', cc);
    for (const name of CDN_CACHE_FIELDS) h.delete(name);
  }
  if (p.vary !== null) {
    const names = new Set(
      (h.get('vary') ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    );
    for (const v of p.vary.split(', ')) names.add(v);
    h.set('vary', names.has('*') ? '*' : [...names].join(', '));
  }
  if (p.referrerPolicy !== false) h.set('referrer-policy', p.referrerPolicy);
}
