/**
 * A small bounded cache for signatures: two generations of `Map` (the "quick-lru" scheme), so a
 * hit costs one `Map.get` and memory never exceeds `maxEntries` entries.
 * @module
 */
import { CfsignError } from './errors.js';

/**
 * Approximately-LRU cache: entries used in the current or previous generation survive, the
 * rest are dropped a generation at a time. At most `maxEntries` entries are held.
 *
 * @example
 * ```ts
 * const cache = new LruCache<string, string>(10_000);
 * cache.set('k', 'v');
 * cache.get('k'); // 'v'
 * ```
 */
export class LruCache<K, V> {
  #current = new Map<K, V>();
  #previous = new Map<K, V>();
  readonly #generation: number;
  readonly maxEntries: number;
  hits = 0;
  misses = 0;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 2)
      throw new CfsignError('ERR_INVALID_ARGUMENT', '"maxEntries" must be an integer of at least 2.');
    this.maxEntries = maxEntries;
    this.#generation = Math.floor(maxEntries / 2);
  }

  /** Entries held now (never more than `maxEntries`). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  get(key: K): V | undefined {
    let v = this.#current.get(key);
    if (v === undefined) {
      v = this.#previous.get(key);
      if (v !== undefined) {
        this.#previous.delete(key);
        this.#add(key, v);
      }
    }
    if (v === undefined) this.misses++;
    else this.hits++;
    return v;
  }

  set(key: K, value: V): void {
    if (this.#current.has(key)) this.#current.set(key, value);
    else {
      this.#previous.delete(key);
      this.#add(key, value);
    }
  }

  clear(): void {
    this.#current = new Map();
    this.#previous = new Map();
  }

  #add(key: K, value: V): void {
    this.#current.set(key, value);
    if (this.#current.size >= this.#generation) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
  }
}
