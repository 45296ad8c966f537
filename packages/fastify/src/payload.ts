/**
 * The payload kinds an `onSend` hook receives, in one place.
 * @module
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { jsonBodyTooLarge } from '@cfsign/response';

/** A Fetch `Response` handed to `reply.send` (Fastify 5). */
export function isFetchResponse(p: unknown): p is Response {
  return typeof Response !== 'undefined' && p instanceof Response;
}

/**
 * A Node `Readable` over a stream payload (Node stream or Web `ReadableStream`), or `null` for a
 * string, a Buffer or nothing.
 *
 * @example
 * ```ts
 * const source = streamOf(payload); // Readable | null
 * ```
 */
export function streamOf(p: unknown): Readable | null {
  if (p instanceof Readable) return p;
  if (typeof (p as { pipe?: unknown } | null)?.pipe === 'function')
    return new Readable({ read() {} }).wrap(p as NodeJS.ReadableStream);
  if (typeof ReadableStream !== 'undefined' && p instanceof ReadableStream)
    return Readable.fromWeb(p as NodeWebStream<Uint8Array>);
  return null;
}

/**
 * Reads a whole payload into a Buffer, failing above `max` bytes (`ERR_BODY_TOO_LARGE`).
 *
 * @example
 * ```ts
 * const json = (await readAll(payload, 4 << 20)).toString('utf8');
 * ```
 */
export async function readAll(p: string | Uint8Array | Readable, max: number): Promise<Buffer> {
  if (typeof p === 'string') return Buffer.from(p);
  if (p instanceof Uint8Array) return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of p) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    n += b.length;
    if (n > max) {
      p.destroy();
      throw jsonBodyTooLarge(max);
    }
    parts.push(b);
  }
  return Buffer.concat(parts);
}
