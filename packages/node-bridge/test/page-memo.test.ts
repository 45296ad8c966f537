/**
 * The page memo costs nothing when it does not hit: a URL whose pages keep differing rests, and no
 * hash is computed for it (work is counted, not timed).
 */
import { describe, expect, it } from 'vitest';
import { PageMemo } from '../src/index.js';

const settings = { ttlMs: 5000, maxEntries: 8 };

/** Simulates one request as `rewriteWhole` does; returns whether the body was hashed and whether it hit. */
function request(memo: PageMemo, url: string, body: string, now: number) {
  if (!memo.wants(url)) return { hashed: false, hit: false };
  const key = `${url}|${body}`;
  const hit = memo.get(url, key, now) !== undefined;
  if (!hit) memo.set(key, new Uint8Array(1), now);
  return { hashed: true, hit };
}

describe('PageMemo', () => {
  it('serves an identical page from the memo', () => {
    const memo = new PageMemo(settings);
    const runs = Array.from({ length: 100 }, () => request(memo, '/a', 'same', 1000));
    expect(runs.filter((r) => r.hit)).toHaveLength(99);
  });

  it('stops hashing a URL whose page differs per request: 2 hashes per 258 requests', () => {
    const memo = new PageMemo(settings);
    const runs = Array.from({ length: 258 * 4 }, (_, i) => request(memo, '/a', `user ${i}`, 1000));
    expect(runs.filter((r) => r.hit)).toHaveLength(0);
    expect(runs.filter((r) => r.hashed)).toHaveLength(8);
  });

  it('a resting URL comes back once its page is stable again', () => {
    const memo = new PageMemo(settings);
    for (let i = 0; i < 2; i++) request(memo, '/a', `v${i}`, 1000);
    const runs = Array.from({ length: 300 }, () => request(memo, '/a', 'stable', 1000));
    expect(runs.slice(0, 256).every((r) => !r.hashed)).toBe(true);
    expect(runs.slice(258).every((r) => r.hit)).toBe(true);
  });

  it('other URLs are not affected by a resting one; entries expire after ttl', () => {
    const memo = new PageMemo(settings);
    for (let i = 0; i < 2; i++) request(memo, '/distinct', `v${i}`, 1000);
    request(memo, '/same', 'x', 1000);
    expect(request(memo, '/same', 'x', 1000).hit).toBe(true);
    expect(request(memo, '/same', 'x', 1000 + settings.ttlMs).hit).toBe(false);
  });
});
