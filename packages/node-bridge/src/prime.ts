/**
 * Waiting for the first rewritten bytes (Koa, Fastify), so that an early signing failure still
 * reaches the framework's error handling as a proper error response.
 * @module
 */
import type { Readable } from 'node:stream';

/**
 * Resolves once `stream` has produced its first chunk (kept in the stream, nothing is consumed) or
 * ended; rejects with its error if it fails first.
 *
 * @example
 * ```ts
 * await primeStream(rewritten); // throws the signing error of the first links, before any header is sent
 * ctx.body = rewritten;
 * ```
 */
export function primeStream(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    const onData = (chunk: Buffer) => {
      cleanup();
      stream.pause();
      stream.unshift(chunk);
      resolve();
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}
