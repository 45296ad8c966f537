/**
 * BufferPool: a taken buffer is its taker's alone until given back; a few are kept between bodies.
 */
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../src/index.js';

describe('BufferPool', () => {
  it('gives a buffer of at least the size asked for, at least `min` bytes when new', () => {
    const pool = new BufferPool(1024, 8192, 2);
    expect(pool.take(10).length).toBe(1024);
    expect(pool.take(5000).length).toBe(5000);
  });

  it('a buffer given back serves the next take; one still taken is never handed out twice', () => {
    const pool = new BufferPool(1024, 8192, 2);
    const a = pool.take(100);
    const b = pool.take(100);
    expect(b).not.toBe(a);
    pool.give(a);
    expect(pool.take(100)).toBe(a);
    expect(pool.size).toBe(0);
  });

  it('keeps at most `kept` buffers, only those big enough serve a take, and none above `max`', () => {
    const pool = new BufferPool(1024, 8192, 2);
    const [a, b, c] = [pool.take(1), pool.take(1), pool.take(1)];
    pool.give(a);
    pool.give(b);
    pool.give(c);
    expect(pool.size).toBe(2);
    const big = pool.take(4096);
    expect(big).not.toBe(a);
    expect(big).not.toBe(b);
    const huge = pool.take(10_000);
    expect(huge.length).toBe(10_000);
    const p2 = new BufferPool(1024, 8192, 2);
    p2.give(huge);
    expect(p2.size).toBe(0);
  });
});
