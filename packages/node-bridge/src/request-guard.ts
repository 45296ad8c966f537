/**
 * No 304 and no byte range for a page we rewrite: the request's validators and ranges describe the
 * unsigned bytes.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONDITIONAL_REQUEST_HEADERS as GUARDED, rewritableTypeByPath as typeByPath } from '@cfsign/response';

/** An entity tag no response carries: `If-Range` with it is never fresh. */
const STALE = '"cfsign-rewritten-page"';
/** The placeholder `ETag` of a response that will be rewritten (removed by the header policy). */
const PENDING_ETAG = '"cfsign-pending"';

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
 * guardRequest(req, res, (type) => formatFor(type).format !== null && res.locals.signedUrls !== false);
 * ```
 */
export function guardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  rewritten: (contentType: string) => boolean,
): void {
  const h = req.headers;
  // Static file servers (send, express.static, sendFile) read Range before they set the type.
  if (GUARDED.some((name) => h[name] !== undefined)) {
    const type = typeByPath(req.url ?? '/');
    if (type !== undefined && rewritten(type)) for (const g of GUARDED) delete h[g];
  }
  const setHeader = res.setHeader;
  res.setHeader = function guarded(name, value) {
    if (name.length === 12 && name.toLowerCase() === 'content-type' && rewritten(String(value))) {
      if (GUARDED.some((g) => h[g] !== undefined)) {
        const ranged = h.range !== undefined;
        for (const g of GUARDED) delete h[g];
        // A server that read Range before setting the type (send, sendFile) checks If-Range after it:
        // a validator that never matches makes it answer the whole page.
        if (ranged) h['if-range'] = STALE;
      }
      // The page's own ETag would describe the unsigned bytes and is dropped anyway: a placeholder
      // spares Express hashing the whole page for one (`res.send` skips its ETag when one is set).
      if (this.getHeader('etag') === undefined) setHeader.call(this, 'etag', PENDING_ETAG);
    }
    return setHeader.call(this, name, value);
  };
}

/**
 * Removes the placeholder `ETag` {@link guardRequest} set, from a response that is not rewritten
 * after all (it passes through, or fails).
 *
 * @example
 * ```ts
 * dropPendingEtag(res);
 * ```
 */
export function dropPendingEtag(res: Pick<ServerResponse, 'getHeader' | 'removeHeader'>): void {
  if (res.getHeader('etag') === PENDING_ETAG) res.removeHeader('etag');
}
