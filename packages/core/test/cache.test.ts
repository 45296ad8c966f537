/**
 * The signer's signature cache (src/cache.ts, src/cache-entry.ts): a two-generation LRU that never
 * holds more than `maxEntries`, and the fingerprint that decides whether a cached URL may be reused.
 */
import { describe, expect, test } from 'vitest';
import { LruCache } from '../src/cache.js';
import { type CacheEntry, sameShape } from '../src/cache-entry.js';
import { isCfsignError } from '../src/errors.js';

describe('LruCache', () => {
  test('takes an integer bound of at least 2', () => {
    for (const bad of [1, 0, -2, 2.5, Number.NaN])
      expect(() => new LruCache(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    try {
      new LruCache(1);
    } catch (err) {
      expect(isCfsignError(err, 'ERR_INVALID_ARGUMENT')).toBe(true);
    }
    expect(new LruCache(2).maxEntries).toBe(2);
  });

  test('never holds more than maxEntries, and keeps the most recent half', () => {
    for (const maxEntries of [2, 3, 4, 5, 10, 11]) {
      const cache = new LruCache<number, string>(maxEntries);
      for (let i = 0; i < 50; i++) {
        cache.set(i, `v${i}`);
        expect(cache.size).toBeLessThanOrEqual(maxEntries);
      }
      const half = Math.floor(maxEntries / 2);
      for (let i = 50 - half; i < 50; i++) expect(cache.get(i)).toBe(`v${i}`);
    }
  });

  test('a read keeps an entry alive across a generation; unread ones are dropped', () => {
    const cache = new LruCache<string, number>(4); // generations of 2
    cache.set('a', 1);
    cache.set('b', 2); // a and b move to the previous generation
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(1); // a is promoted back to the current one
    expect(cache.size).toBe(2);
    cache.set('c', 3); // a and c become the previous generation; b is dropped
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  test('set replaces a value without holding the key twice', () => {
    const cache = new LruCache<string, number>(10);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
    const small = new LruCache<string, number>(4);
    small.set('a', 1);
    small.set('b', 2); // both in the previous generation
    small.set('a', 3); // a moves to the current one, replaced
    expect(small.size).toBe(2);
    expect(small.get('a')).toBe(3);
    expect(small.get('b')).toBe(2);
  });

  test('counts hits and misses, and clear empties it', () => {
    const cache = new LruCache<string, number>(4);
    cache.set('a', 1);
    cache.get('a');
    cache.get('a');
    cache.get('x');
    expect([cache.hits, cache.misses]).toEqual([2, 1]);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.misses).toBe(2);
  });
});

describe('sameShape: a cached URL is reused only for the same key, hash, times, IP, resource and URL options', () => {
  const entry: CacheEntry = {
    out: 'https://cdn/a?x',
    keyPairId: 'K1',
    hash: 'SHA1',
    expires: 1893456000,
    start: 1893452400,
    ipAddress: '192.0.2.1',
    resource: 'https://cdn/*',
    base: 'https://cdn/',
    verbatim: true,
    reservedParams: 'strip',
  };

  test('equal fingerprints match whatever the cached output', () => {
    expect(sameShape(entry, { ...entry, out: '' })).toBe(true);
  });

  test.each([
    ['expires', 1893456001],
    ['keyPairId', 'K2'],
    ['hash', 'SHA256'],
    ['start', undefined],
    ['ipAddress', '192.0.2.2'],
    ['resource', undefined],
    ['base', 'https://cdn/b/'],
    ['verbatim', false],
    ['reservedParams', 'error'],
  ])('a different %s is a miss', (field, value) => {
    expect(sameShape(entry, { ...entry, [field]: value })).toBe(false);
    expect(sameShape({ ...entry, [field]: value }, entry)).toBe(false);
  });
});
