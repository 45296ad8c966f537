/**
 * No 304 and no byte range for a page we rewrite: the request's validators and ranges describe the
 * unsigned bytes.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const GUARDED = ['if-none-match', 'if-modified-since', 'range', 'if-range'] as const;

/**
 * Removes `If-None-Match`, `If-Modified-Since`, `Range` and `If-Range` from the request as soon as
 * the response is given a `Content-Type` that will be rewritten, so that Express's `req.fresh`,
 * `send`/`express.static`/`sendFile` and Koa's `ctx.fresh` answer the whole page as a 200 (then
 * rewritten), never a 304 with stale signatures nor a 206 slice of the unsigned file. Other types
 * keep their 304s and ranges.
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
  const setHeader = res.setHeader;
  res.setHeader = function guarded(name, value) {
    if (name.length === 12 && name.toLowerCase() === 'content-type' && rewritten(String(value)))
      for (const g of GUARDED) delete h[g];
    return setHeader.call(this, name, value);
  };
}
