/**
 * No 304 and no byte range for a page the adapter rewrites: the request's validators and ranges
 * describe the unsigned bytes.
 * @module
 */

const GUARDED = ['if-none-match', 'if-modified-since', 'range', 'if-range'] as const;

/** Extensions whose files a static server sends with a rewritable type (`/` serves an index.html). */
const REWRITABLE = new Set(['html', 'htm', 'css', 'm3u8', 'm3u', 'mpd']);

/**
 * The request without `If-None-Match`, `If-Modified-Since`, `Range` and `If-Range` when its URL
 * names a page the adapter will rewrite (a path ending in `/`, `.html`, `.htm`, `.css`, `.m3u8`,
 * `.m3u`, `.mpd`, and `.json` when `json` is true), so that a static file handler answers the
 * whole page (then rewritten), never a 304 with stale signatures nor a 206 slice of the unsigned
 * file. Any other request is returned as it is. Web requests are immutable, so this is the one
 * point where the adapter can act: a 304 or 206 a handler builds for another URL passes through
 * (`'no-body-status'`, `'partial-content'`); it cannot hold stale signatures, because rewritten
 * responses never carry `ETag` or `Last-Modified` for a client to revalidate.
 *
 * @example
 * ```ts
 * const request = guardRequest(new Request('https://www.example.com/a.html', { headers: { range: 'bytes=0-9' } }));
 * request.headers.get('range'); // null
 * ```
 */
export function guardRequest(request: Request, json = false): Request {
  const h = request.headers;
  if (GUARDED.every((name) => !h.has(name))) return request;
  const path = new URL(request.url).pathname;
  const dot = path.lastIndexOf('.');
  const ext = dot > path.lastIndexOf('/') ? path.slice(dot + 1).toLowerCase() : '';
  if (!(path.endsWith('/') || REWRITABLE.has(ext) || (json && ext === 'json'))) return request;
  const headers = new Headers(h);
  for (const name of GUARDED) headers.delete(name);
  return new Request(request, { headers });
}
