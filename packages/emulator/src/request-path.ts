/**
 * Turn the raw path of a request-target into the decoded path that behaviors are matched against
 * and that the directory origin serves, refusing anything ambiguous.
 * @module
 */

/** A decoded request path, or why it was refused (answered with 400). */
export type DecodedPath = { ok: true; path: string; segments: string[] } | { ok: false; detail: string };

/**
 * Percent-decode `rawPath`. Refused: a path not starting with `/`, invalid escapes, NUL or `\`,
 * `.`/`..` segments (raw or encoded) and empty segments (`//`, except a trailing `/`) — so the path a behavior matched is
 * exactly the file the directory origin serves (`/public/%2e%2e/private/x` cannot sneak past a
 * `/private/*` behavior, and `/priv%61te/x` is matched as `/private/x`).
 *
 * @example
 * ```ts
 * decodeRequestPath('/a%20b/c.txt') // { ok: true, path: '/a b/c.txt', segments: ['a b', 'c.txt'] }
 * decodeRequestPath('/a/../b')      // { ok: false, detail: 'dot segment in path' }
 * ```
 */
export function decodeRequestPath(rawPath: string): DecodedPath {
  if (!rawPath.startsWith('/')) return { ok: false, detail: 'path must start with /' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, detail: 'invalid percent-encoding in path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\'))
    return { ok: false, detail: 'NUL or backslash in path' };
  const segments = decoded.slice(1).split('/');
  if (segments.some((s) => s === '.' || s === '..')) return { ok: false, detail: 'dot segment in path' };
  if (segments.slice(0, -1).some((s) => s === '')) return { ok: false, detail: 'empty segment (//) in path' };
  return { ok: true, path: decoded, segments };
}
