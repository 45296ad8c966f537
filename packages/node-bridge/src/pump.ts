/**
 * Moving rewritten bytes to the response, with backpressure.
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/** Where {@link pumpToResponse} writes: the response's own (unpatched) methods. */
export interface PumpTarget {
  /** Writes a chunk; `false` means wait for `drain`. */
  write(chunk: Buffer): boolean;
  end(): void;
  /** Registers a `drain` listener on the response. */
  onDrain(listener: () => void): void;
}

/**
 * Forwards every chunk of `source` to `target`, pausing the source whenever `write` returns
 * `false` until the response drains, then ends the target. Memory stays bounded by the stream
 * high-water marks however slow the client reads.
 *
 * @example
 * ```ts
 * pumpToResponse(rewriteStream, { write: (c) => res.write(c), end: () => res.end(), onDrain: (l) => res.on('drain', l) });
 * ```
 */
export function pumpToResponse(source: Readable, target: PumpTarget): void {
  let waiting = false;
  target.onDrain(() => {
    if (!waiting) return;
    waiting = false;
    source.resume();
  });
  source.on('data', (chunk: Buffer) => {
    if (target.write(chunk) === false) {
      waiting = true;
      source.pause();
    }
  });
  source.once('end', () => target.end());
}

/**
 * Adds `Set-Cookie` values to a response, keeping those already set.
 *
 * @example
 * ```ts
 * appendSetCookie(res, await session.cookies());
 * ```
 */
export function appendSetCookie(
  res: Pick<ServerResponse, 'getHeader' | 'setHeader'>,
  cookies: readonly string[],
): void {
  if (cookies.length === 0) return;
  const prev = res.getHeader('set-cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)];
  res.setHeader('set-cookie', [...list, ...cookies]);
}
