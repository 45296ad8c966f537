/**
 * Makes the current render dynamic, so a page holding fresh signatures is never frozen into
 * static, ISR or full-route-cache output.
 * @module
 */
import * as nextCache from 'next/cache';
import * as nextServer from 'next/server';

type Fn = () => unknown;

function pick(mod: unknown, name: string): Fn | undefined {
  const m = mod as Record<string, unknown> & { default?: Record<string, unknown> };
  const f = m[name] ?? m.default?.[name];
  return typeof f === 'function' ? (f as Fn) : undefined;
}

/**
 * Opts the current render out of static rendering and caching: `connection()` (Next 15+), else
 * `unstable_noStore()`. Called by every helper that signs unless you pass `revalidate`.
 * Inside `'use cache'` Next rejects it, on purpose: a cached signature outlives its expiry.
 *
 * @example
 * ```ts
 * export default async function Page() {
 *   await ensureDynamic();
 *   return <p>rendered per request at {new Date().toISOString()}</p>;
 * }
 * ```
 */
export async function ensureDynamic(): Promise<void> {
  const connection = pick(nextServer, 'connection');
  if (connection !== undefined) {
    await connection();
    return;
  }
  pick(nextCache, 'unstable_noStore')?.();
}
