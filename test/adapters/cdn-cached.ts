/**
 * Caching headers an app may send on a page (the /cdn-cached route of every adapter app): a private
 * page, with CDN directives that a CDN reads instead of `Cache-Control`. No imports, so that the
 * workerd build of the Hono app can use it.
 */
export const CDN_CACHED = {
  'cache-control': 'private, max-age=600',
  'cdn-cache-control': 'max-age=86400',
  'surrogate-control': 'max-age=86400',
  'cloudflare-cdn-cache-control': 'max-age=86400',
} as const;
