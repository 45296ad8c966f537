/**
 * `Cache-Control` of a response whose body carries signatures.
 * @module
 */

/**
 * How a rewritten response may be cached: `'private'` (default: `private, no-store`), a max-age
 * capped below the shortest signature lifetime, a literal value (`{ value }`), or `false` to keep
 * the app's.
 *
 * @example
 * ```ts
 * const cc: CacheControlOption = { maxAge: 'shortest' };
 * ```
 */
export type CacheControlOption = 'private' | { maxAge: 'shortest' | number } | { value: string } | false;

/**
 * The `Cache-Control` value for a rewritten body, or `null` to leave the header alone.
 *
 * A capped max-age only ever narrows what the app allowed: `private` stays (and so does anything
 * else the app said, such as `no-cache`), and `s-maxage` (which lets a shared cache reuse even the
 * answer to a request that carried `Authorization`, RFC 9111 §3.5) is written only where the app
 * already allowed shared caches (`public` or `s-maxage`). `perClient` (signatures depend on who
 * asks) makes it `private` whatever the app said.
 *
 * @example
 * ```ts
 * cacheControlFor('public, max-age=3600', { maxAge: 'shortest' }, { perClient: false, shortestLifetime: 600 });
 * // 'max-age=300, s-maxage=300'
 * cacheControlFor('private, max-age=600', { maxAge: 'shortest' }, { perClient: false, shortestLifetime: 600 });
 * // 'private, max-age=300'
 * cacheControlFor('', { maxAge: 'shortest' }, { perClient: false, shortestLifetime: 600 });
 * // 'max-age=300'
 * ```
 */
export function cacheControlFor(
  current: string,
  option: CacheControlOption,
  o: { perClient: boolean; shortestLifetime: number },
): string | null {
  if (option === false) return null;
  if (option === 'private') return 'private, no-store';
  if ('value' in option) return option.value;
  // Capped: a cached copy always keeps at least half of the shortest signature lifetime.
  const limit = option.maxAge === 'shortest' ? Math.floor(o.shortestLifetime / 2) : option.maxAge;
  let maxAge = limit;
  let isPrivate = o.perClient;
  let shared = false;
  const kept: string[] = [];
  for (const raw of current.split(',')) {
    const d = raw.trim();
    if (d === '') continue;
    const [name = '', value] = d.split('=', 2);
    const n = name.toLowerCase();
    if (n === 'max-age' || n === 's-maxage') maxAge = Math.min(maxAge, Number.parseInt(value ?? '', 10) || 0);
    if (n === 'public' || n === 's-maxage') shared = true;
    else if (n === 'private') isPrivate = true;
    else if (n !== 'max-age' && n !== 'immutable' && !n.startsWith('stale-')) kept.push(d);
  }
  const scope = isPrivate ? ['private'] : [];
  const forShared = shared && !isPrivate ? [`s-maxage=${maxAge}`] : [];
  return [...scope, `max-age=${maxAge}`, ...forShared, ...kept].join(', ');
}
