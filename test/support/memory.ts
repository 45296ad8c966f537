/**
 * What a test process holds, read so that memory checks do not depend on when V8 collects: after a
 * full collection, heap in use plus the memory of live `ArrayBuffer`s (Node's buffers). Left to V8,
 * dead buffers promoted to the old generation wait for a full collection, and RSS swings by tens of
 * MiB from run to run; what is live after a collection is what buffering or a leak raises.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Bytes live after a full collection, taken twice: after one, the buffers it found dead are still
 * counted until they are swept.
 *
 * @example
 * ```ts
 * const before = liveBytes();
 * // ... stream a large body ...
 * expect(liveBytes() - before).toBeLessThan(4 * 2 ** 20);
 * ```
 */
export function liveBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
