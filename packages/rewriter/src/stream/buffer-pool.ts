/**
 * A few large buffers kept between bodies, so that each body does not cost a fresh one.
 * @module
 */

/**
 * Buffers handed out with {@link BufferPool.take} and given back with {@link BufferPool.give} once
 * nothing reads them any more. A taken buffer belongs to its taker alone until given back, so bodies
 * in flight at once each get their own; at most `kept` wait between bodies. A size above `max` is
 * served by a fresh buffer, which the pool does not keep.
 *
 * @example
 * ```ts
 * const pool = new BufferPool(1 << 20, 4 << 20, 2);
 * const b = pool.take(300_000); // at least 300,000 bytes
 * // ... write and read b ...
 * pool.give(b);                 // b is not read again by anyone
 * ```
 */
export class BufferPool {
  private readonly free: Uint8Array[] = [];

  /**
   * `min`: the smallest buffer allocated (room for a typical body, so one buffer serves the next
   * ones); `max`: the largest size the pool serves; `kept`: buffers kept between bodies.
   */
  constructor(
    readonly min: number,
    readonly max: number,
    private readonly kept: number,
  ) {}

  /** A buffer of at least `size` bytes, taken out of the pool or new (exactly `size` above `max`). */
  take(size: number): Uint8Array {
    if (size > this.max) return new Uint8Array(size);
    const i = this.free.findIndex((b) => b.length >= size);
    return i === -1 ? new Uint8Array(Math.max(size, this.min)) : this.free.splice(i, 1)[0]!;
  }

  /** Gives back a buffer that nothing reads any more; kept if fewer than `kept` wait and it is not above `max`. */
  give(b: Uint8Array): void {
    if (this.free.length < this.kept && b.length <= Math.max(this.max, this.min)) this.free.push(b);
  }

  /** How many buffers wait for the next body. */
  get size(): number {
    return this.free.length;
  }
}
