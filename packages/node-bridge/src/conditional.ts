/**
 * No 304 for a page we rewrite: its validators describe the unsigned bytes.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rewriterFor } from '@cfsign/rewriter';

/**
 * Removes `If-None-Match` / `If-Modified-Since` from the request as soon as the response is given a
 * rewritable `Content-Type`, so that Express's `req.fresh`, `send`/`express.static` and Koa's
 * `ctx.fresh` never answer 304 for a page whose signatures must be fresh. Other types keep their 304s.
 *
 * @example
 * ```ts
 * guardConditional(req, res, () => res.locals.signedUrls === false);
 * ```
 */
export function guardConditional(req: IncomingMessage, res: ServerResponse, optedOut: () => boolean): void {
  const h = req.headers;
  if (h['if-none-match'] === undefined && h['if-modified-since'] === undefined) return;
  const setHeader = res.setHeader;
  res.setHeader = function guarded(name, value) {
    if (name.toLowerCase() === 'content-type' && rewriterFor(String(value)).format !== null && !optedOut()) {
      delete h['if-none-match'];
      delete h['if-modified-since'];
    }
    return setHeader.call(this, name, value);
  };
}
