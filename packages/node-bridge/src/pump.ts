/**
 * Moving rewritten bytes to the response, with backpressure.
 * @module
 */
import type { Readable } from 'node:stream';

/** Bytes the destination may hold before the pump pauses, when it can say how many it holds. */
export const PUMP_SLACK = 64 * 1024;

/**
 * Forwards every chunk of `source` to `write`, pausing the source whenever `write` returns `false`
 * (and, when `backlog` is given, the destination holds at least {@link PUMP_SLACK} bytes) until
 * {@link Pump.drained} is called, then calls `end`. Memory stays bounded by the stream high-water
 * marks and the slack however slowly the client reads. The slack spares a pause and a resume per
 * chunk: a response's socket reports `false` as soon as it holds one 16 KiB chunk, and a rewritten
 * chunk is a little larger than the one written. The pump adds no listener to the response:
 * whoever sees the response drain calls `drained()`.
 *
 * @example
 * ```ts
 * const pump = new Pump(rewritten, (c) => write.call(res, c), () => end.call(res));
 * pump.start();
 * // on the response's 'drain': pump.drained();
 * ```
 */
export class Pump {
  private waiting = false;
  constructor(
    private readonly source: Readable,
    private readonly write: (chunk: Buffer) => unknown,
    private readonly end: () => unknown,
    private readonly backlog?: () => number,
  ) {}

  start(): void {
    this.source.on('data', (chunk: Buffer) => {
      if (this.write(chunk) === false && (this.backlog === undefined || this.backlog() >= PUMP_SLACK)) {
        this.waiting = true;
        this.source.pause();
      }
    });
    this.source.once('end', () => this.end());
  }

  /** True while the destination is congested (the last write returned `false`). */
  get congested(): boolean {
    return this.waiting;
  }

  /** The destination drained: resume the source if it was waiting. */
  drained(): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.source.resume();
  }
}
