/**
 * No 304 and no byte range for a page we rewrite: the request's validators and ranges describe the
 * unsigned bytes.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const GUARDED = ['if-none-match', 'if-modified-since', 'range', 'if-range'] as const;

/** Types of the file extensions a static server maps to a rewritable type (`/` serves an index.html). */
const BY_EXTENSION: Record<string, string> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  m3u8: 'application/vnd.apple.mpegurl',
  m3u: 'audio/mpegurl',
  mpd: 'application/dash+xml',
  json: 'application/json',
};

/** An entity tag no response carries: `If-Range` with it is never fresh. */
const STALE = '"cfsign-rewritten-page"';

function typeByPath(url: string): string | undefined {
  const path = url.split('?', 1)[0]!;
  if (path.endsWith('/')) return 'text/html';
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? BY_EXTENSION[path.slice(dot + 1).toLowerCase()] : undefined;
}

/**
 * Removes `If-None-Match`, `If-Modified-Since`, `Range` and `If-Range` from the request as soon as
 * the response is given a `Content-Type` that will be rewritten (at once when the path names such a
 * file: `.html`, `.htm`, `.css`, `.m3u8`, `.m3u`, `.mpd`, `.json` with `signJson`, or ends in `/`,
 * because static servers read `Range` before they set the type), so that Express's `req.fresh`,
 * `send`/`express.static`/`sendFile` and Koa's `ctx.fresh` answer the whole page as a 200 (then
 * rewritten), never a 304 with stale signatures nor a 206 slice of the unsigned file. Other types
 * keep their 304s and ranges. When `Range` was sent, `If-Range` is replaced by an entity tag that
 * never matches, so that a server which read `Range` before setting the type (`send`, `sendFile`)
 * still answers the whole page.
 *
 * @example
 * ```ts
 * guardRequest(req, res, (type) => rewriterFor(type).format !== null && res.locals.signedUrls !== false);
 * ```
 */
export function guardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  rewritten: (contentType: string) => boolean,
): void {
  const h = req.headers;
  if (GUARDED.every((name) => h[name] === undefined)) return;
  // Static file servers (send, express.static, sendFile) read Range before they set the type.
  const type = typeByPath(req.url ?? '/');
  if (type !== undefined && rewritten(type)) {
    for (const g of GUARDED) delete h[g];
    return;
  }
  const setHeader = res.setHeader;
  res.setHeader = function guarded(name, value) {
    if (name.length === 12 && name.toLowerCase() === 'content-type' && rewritten(String(value))) {
      const ranged = h.range !== undefined;
      for (const g of GUARDED) delete h[g];
      // A server that read Range before setting the type (send, sendFile) checks If-Range after it:
      // a validator that never matches makes it answer the whole page.
      if (ranged) h['if-range'] = STALE;
    }
    return setHeader.call(this, name, value);
  };
}
