/**
 * Small helpers of the Express interception: `writeHead` arguments and body chunks.
 * @module
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Applies `writeHead(status, [message], [headers])` arguments to the response without sending it,
 * so the headers can still be fixed before the first rewritten byte.
 *
 * @example
 * ```ts
 * applyHeadArgs(res, [200, { 'content-type': 'text/html' }]);
 * ```
 */
export function applyHeadArgs(res: ServerResponse, args: unknown[]): void {
  const [status, a, b] = args;
  if (typeof status === 'number') res.statusCode = status;
  const headers = typeof a === 'string' ? b : a;
  if (typeof a === 'string') res.statusMessage = a;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      res.setHeader(String(headers[i]), headers[i + 1] as string);
  } else if (headers !== null && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as OutgoingHttpHeaders))
      if (v !== undefined) res.setHeader(k, v);
  }
}

/**
 * A `write`/`end` chunk as a Buffer (strings encoded; Buffers and views are not copied).
 *
 * @example
 * ```ts
 * bytesOf('<p>', 'utf8'); // <Buffer 3c 70 3e>
 * ```
 */
export function bytesOf(chunk: unknown, enc: unknown): Buffer {
  if (typeof chunk === 'string')
    return Buffer.from(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8');
  if (Buffer.isBuffer(chunk)) return chunk;
  const u = chunk as Uint8Array;
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/**
 * A `write`/`end` chunk that is a string in UTF-8 (the default encoding), as it is; otherwise
 * {@link bytesOf}. The rewriter encodes such a string into a reused buffer.
 *
 * @example
 * ```ts
 * utf8TextOrBytes('<p>', undefined); // '<p>'
 * utf8TextOrBytes('<p>', 'latin1');  // <Buffer 3c 70 3e>
 * ```
 */
export function utf8TextOrBytes(chunk: unknown, enc: unknown): string | Buffer {
  if (typeof chunk === 'string' && (typeof enc !== 'string' || /^utf-?8$/i.test(enc))) return chunk;
  return bytesOf(chunk, enc);
}
