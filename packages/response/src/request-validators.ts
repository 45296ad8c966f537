/**
 * What a request must lose when its answer will be rewritten: its validators and byte ranges
 * describe the unsigned bytes, so a rewritten page is always answered whole (header policy, README).
 * Shared by the adapters that guard requests before the handler runs (node-bridge, Fastify).
 * @module
 */

/** Request headers that make a server answer 304 or 206 from the unsigned representation. */
export const CONDITIONAL_REQUEST_HEADERS = [
  'if-none-match',
  'if-modified-since',
  'range',
  'if-range',
] as const;

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

/**
 * The type a static file server gives `path` (a URL path or a file name, query ignored), when it is
 * one of the rewritable types; `undefined` otherwise.
 *
 * @example
 * ```ts
 * rewritableTypeByPath('/files/page.html?x=1'); // 'text/html'
 * rewritableTypeByPath('/docs/');               // 'text/html' (an index.html)
 * rewritableTypeByPath('/img/a.png');           // undefined
 * ```
 */
export function rewritableTypeByPath(path: string): string | undefined {
  const p = path.split('?', 1)[0]!;
  if (p.endsWith('/')) return 'text/html';
  const dot = p.lastIndexOf('.');
  if (dot <= p.lastIndexOf('/')) return undefined;
  // Own keys only: the path is the client's, and `/x.constructor` names no type.
  const ext = p.slice(dot + 1).toLowerCase();
  return Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}
