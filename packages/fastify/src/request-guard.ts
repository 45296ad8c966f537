/**
 * No 304 and no byte range for a page the plugin rewrites: the request's validators and ranges
 * describe the unsigned bytes.
 * @module
 */

import { CONDITIONAL_REQUEST_HEADERS as GUARDED, rewritableTypeByPath as typeByPath } from '@cfsign/response';

/** The reply methods the guard wraps (those of Fastify, and `sendFile`/`download` of `@fastify/static`). */
interface GuardedReply {
  header(name: string, value: unknown): unknown;
  headers(values: Record<string, unknown>): unknown;
  type(value: string): unknown;
  sendFile?: (file: string, ...rest: unknown[]) => unknown;
  download?: (file: string, ...rest: unknown[]) => unknown;
}

/**
 * Removes `If-None-Match`, `If-Modified-Since`, `Range` and `If-Range` from the request as soon as
 * the reply will be rewritten: at once when the URL names a rewritable file (`.html`, `.htm`,
 * `.css`, `.m3u8`, `.m3u`, `.mpd`, `.json` with `signJson`, or a path ending in `/`: what
 * `@fastify/static` serves; percent-encoded dots read as dots), or is a path without an extension
 * on a wildcard route (`route` ends in `*`: `@fastify/static`'s `extensions` option serves
 * `/page` from `page.html`, and it reads the conditionals and `Range` before it sets the type);
 * when `reply.sendFile(file)` / `reply.download(file)` names one; or when the handler sets a
 * rewritable `Content-Type` (`reply.type(...)`, `reply.header(...)`) before it checks freshness. So
 * `@fastify/static` and handlers answer the whole page as a 200 (then rewritten), never a 304 with
 * stale signatures nor a 206 slice of the unsigned file. Other types keep their 304s and ranges.
 * Requests without those headers cost nothing.
 *
 * @example
 * ```ts
 * fastify.addHook('onRequest', async (request, reply) => {
 *   guardRequest(request.raw.headers, request.url, reply, (type) => formatFor(type).format !== null, request.routeOptions.url);
 * });
 * ```
 */
export function guardRequest(
  headers: Record<string, string | string[] | undefined>,
  url: string,
  reply: GuardedReply,
  rewritten: (contentType: string) => boolean,
  route?: string,
): void {
  if (GUARDED.every((name) => headers[name] === undefined)) return;
  const strip = (type: string | undefined) => {
    if (type === undefined || !rewritten(type)) return false;
    for (const g of GUARDED) delete headers[g];
    return true;
  };
  const path = decodedPath(url);
  if (strip(typeByPath(path))) return;
  if (route?.endsWith('*') && !hasExtension(path) && strip('text/html')) return;
  const { header, headers: many, type } = reply;
  const byType = (name: string, value: unknown) => {
    if (name.length === 12 && name.toLowerCase() === 'content-type') strip(String(value));
  };
  reply.header = function guardedHeader(name, value) {
    byType(name, value);
    return header.call(this, name, value);
  };
  reply.headers = function guardedHeaders(values) {
    for (const [name, value] of Object.entries(values)) byType(name, value);
    return many.call(this, values);
  };
  reply.type = function guardedType(value) {
    strip(value);
    return type.call(this, value);
  };
  for (const m of ['sendFile', 'download'] as const) {
    const original = reply[m];
    if (typeof original !== 'function') continue;
    reply[m] = function guardedFile(file, ...rest) {
      strip(typeByPath(String(file)));
      return original.call(this, file, ...rest);
    };
  }
}

/** The URL's path with percent-encodings read (as a static server reads it), query dropped. */
function decodedPath(url: string): string {
  const path = url.split('?', 1)[0]!;
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** True when the last path segment has a `.` after its first character (`/a/page.html`, not `/a/page`). */
function hasExtension(path: string): boolean {
  return path.lastIndexOf('.') > path.lastIndexOf('/') + 1;
}
