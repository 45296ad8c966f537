/**
 * A small LRU map bounding the signature cache's memory.
 * @module
 */

/**
 * Least-recently-used cache over a `Map` (insertion order = recency).
 *
 * @example
 * ```ts
 * const lru = new LruCache<string, string>(2);
 * lru.set('a', '1'); lru.set('b', '2'); lru.get('a'); lru.set('c', '3'); // evicts 'b'
 * ```
 */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>();
  readonly maxEntries: number;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new TypeError('"maxEntries" must be a positive integer.');
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.maxEntries) this.#map.delete(this.#map.keys().next().value as K);
  }

  clear(): void {
    this.#map.clear();
  }
}
