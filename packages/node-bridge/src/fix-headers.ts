/**
 * Header fix-ups for a response whose body is being rewritten (the hono compress way, plus caching).
 * @module
 */
import type { PreparedOptions } from './options.js';

/** The header API of a Node `ServerResponse` that {@link fixHeaders} uses. */
export interface HeaderTarget {
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  removeHeader(name: string): void;
}

const str = (v: number | string | string[] | undefined) =>
  Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v);

function cacheControl(current: string, o: PreparedOptions<unknown>): string | null {
  if (o.cacheControl === false) return null;
  const directives = current
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (o.cacheControl === 'private') return 'private, no-store';
  // Capped: a cached copy always keeps at least half of the shortest signature lifetime.
  const limit =
    o.cacheControl.maxAge === 'shortest' ? Math.floor(o.shortestLifetime / 2) : o.cacheControl.maxAge;
  let maxAge = limit;
  const kept: string[] = [];
  for (const d of directives) {
    const [name = '', value] = d.split('=', 2);
    const n = name.toLowerCase();
    if (n === 'max-age' || n === 's-maxage') maxAge = Math.min(maxAge, Number.parseInt(value ?? '', 10) || 0);
    else if (n === 'no-store' || n === 'no-cache') kept.push(d);
    else if (n === 'public' || n === 'immutable' || n.startsWith('stale-') || n === 'private') continue;
    else kept.push(d);
  }
  const scope = o.perClient ? ['private'] : [];
  return [...scope, `max-age=${maxAge}`, ...(o.perClient ? [] : [`s-maxage=${maxAge}`]), ...kept].join(', ');
}

/**
 * Fixes the headers of a response whose body changes: drops `Content-Length`, `ETag` and
 * `Last-Modified` (the validators of the unsigned bytes: keeping them would let a cache revalidate
 * to a 304 and reuse expired signatures), sets `Cache-Control`, `Vary` and `Referrer-Policy`.
 *
 * @example
 * ```ts
 * fixHeaders(res, prepareOptions({ rules, signer, referrerPolicy: 'strict-origin-when-cross-origin' }));
 * res.getHeader('cache-control'); // 'private, no-store'
 * ```
 */
export function fixHeaders(res: HeaderTarget, o: PreparedOptions<unknown>): void {
  res.removeHeader('content-length');
  res.removeHeader('etag');
  res.removeHeader('last-modified');
  const cc = cacheControl(str(res.getHeader('cache-control')), o);
  if (cc !== null) res.setHeader('cache-control', cc);
  if (o.vary !== null) {
    const current = str(res.getHeader('vary'));
    const names = new Set(
      current
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    );
    for (const v of o.vary.split(', ')) names.add(v);
    res.setHeader('vary', names.has('*') ? '*' : [...names].join(', '));
  }
  if (o.referrerPolicy !== false) res.setHeader('referrer-policy', o.referrerPolicy);
}
