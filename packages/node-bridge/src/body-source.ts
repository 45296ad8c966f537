/**
 * Turning a framework body (string, Buffer, Node stream, Web stream) into a Node `Readable`.
 * @module
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/**
 * A Node `Readable` over a response body, or `null` for bodies that are not bytes (objects, null).
 * Strings and Buffers become a one-chunk stream (no copy); Web streams are adapted with backpressure.
 *
 * @example
 * ```ts
 * toNodeReadable('<p>hi</p>');            // Readable of one Buffer
 * toNodeReadable(fs.createReadStream(f)); // the same stream
 * ```
 */
export function toNodeReadable(body: unknown): Readable | null {
  if (typeof body === 'string') return Readable.from([Buffer.from(body)], { objectMode: false });
  if (body instanceof Uint8Array) return Readable.from([body], { objectMode: false });
  if (body instanceof Readable) return body;
  if (
    typeof (body as { pipe?: unknown } | null)?.pipe === 'function' &&
    typeof (body as { on?: unknown }).on === 'function'
  )
    return new Readable({ read() {} }).wrap(body as NodeJS.ReadableStream);
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
    return Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  return null;
}
