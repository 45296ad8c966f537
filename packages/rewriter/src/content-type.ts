/**
 * Should a response be rewritten, and as what? A named predicate with its skip reasons, for the
 * framework adapters.
 * @module
 */
import type { RewriteFormat } from './resolver-rewriter.js';
import { resolveCharset } from './stream/charset.js';

/** Why a body is not rewritten. */
export type ContentSkipReason = 'no-content-type' | 'not-rewritable-type' | 'unsupported-charset';

/** The decision of {@link formatFor}. */
export type RewriterChoice =
  | { format: RewriteFormat; charset: string | undefined }
  | { format: null; reason: ContentSkipReason };

const TYPES: Record<string, RewriteFormat> = {
  'text/html': 'html',
  'text/css': 'css',
  'application/vnd.apple.mpegurl': 'hls',
  'application/x-mpegurl': 'hls',
  'audio/mpegurl': 'hls',
  'audio/x-mpegurl': 'hls',
  'application/dash+xml': 'dash',
};

/**
 * Picks the rewriter for a `Content-Type` header value: `'html'`, `'css'`, `'hls'` or `'dash'`
 * with the charset to use, or `null` with the reason to skip.
 *
 * @example
 * ```ts
 * formatFor('text/html; charset=utf-8'); // { format: 'html', charset: 'utf-8' }
 * formatFor('image/png');                // { format: null, reason: 'not-rewritable-type' }
 * formatFor('text/html; charset=utf-16'); // { format: null, reason: 'unsupported-charset' }
 * ```
 */
export function formatFor(contentType: string | null | undefined): RewriterChoice {
  if (typeof contentType !== 'string' || contentType.trim() === '')
    return { format: null, reason: 'no-content-type' };
  const [type = '', ...params] = contentType.split(';');
  const name = type.trim().toLowerCase();
  // Own keys only: a header such as `constructor` is not a type.
  const format = Object.hasOwn(TYPES, name) ? TYPES[name] : undefined;
  if (format === undefined) return { format: null, reason: 'not-rewritable-type' };
  let charset: string | undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === 'charset')
      charset = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  if (charset !== undefined && resolveCharset(charset) === null)
    return { format: null, reason: 'unsupported-charset' };
  return { format, charset };
}
