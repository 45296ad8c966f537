// Shared helpers of the hardening suite: mode switch, runtime-generated keys, key-leak scanning,
// console capture, small statistics.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { vi } from 'vitest';

/** `HARDENING_LONG=1`: the long mode (>= 100,000 runs per property, 1 GiB streams). */
export const LONG = process.env.HARDENING_LONG === '1';

/** Runs per property: `ci` with fixed seeds in CI mode, at least 100,000 in the long mode. */
export const runs = (ci: number, long = 100_000): number => (LONG ? Math.max(long, 100_000) : ci);

/** Fixed seeds in CI; a fresh (printed by fast-check on failure) seed per run in the long mode. */
export const seed = (n: number): { seed?: number } => (LONG ? {} : { seed: n });

export interface TestKey {
  id: string;
  kind: 'rsa' | 'ec';
  privatePem: string;
  publicPem: string;
  publicKey: KeyObject;
}

const cache = new Map<string, TestKey>();

/** A key pair generated at runtime (never written to disk), memoized per process. */
export function testKey(kind: 'rsa' | 'ec', id = kind === 'rsa' ? 'KRSATEST1' : 'KECTEST1'): TestKey {
  const k = `${kind}|${id}`;
  let key = cache.get(k);
  if (!key) {
    const pair =
      kind === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    key = {
      id,
      kind,
      privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      publicKey: pair.publicKey,
    };
    cache.set(k, key);
  }
  return key;
}

/** The base64 body of a PEM text (all blocks, no armour, no line breaks). */
export function pemBody(pem: string): string {
  return pem
    .replace(/-----(BEGIN|END)[^-]*-----/g, '')
    .replace(/[^A-Za-z0-9+/=]/g, '')
    .replace(/=+$/, '');
}

/**
 * A detector of private-key material: PEM markers, or any 16-character substring of a key's
 * base64 body (in standard base64 and in CloudFront's `-_~` variant).
 */
export function leakDetector(privatePems: readonly string[]): (text: string) => string | null {
  const grams = new Set<string>();
  for (const pem of privatePems) {
    const body = pemBody(pem);
    for (const b of [body, body.replace(/\+/g, '-').replace(/\//g, '~')])
      for (let i = 0; i + 16 <= b.length; i++) grams.add(b.slice(i, i + 16));
  }
  return (text: string) => {
    if (text.includes('-----BEGIN')) return '-----BEGIN';
    if (text.includes('-----END')) return '-----END';
    for (let i = 0; i + 16 <= text.length; i++) {
      const g = text.slice(i, i + 16);
      if (grams.has(g)) return g;
    }
    return null;
  };
}

/** Every text an error exposes: message, stack, `util.inspect` (with causes), JSON. */
export function errorTexts(err: unknown): string[] {
  if (!(err instanceof Error)) return [String(err)];
  let json = '';
  try {
    json = JSON.stringify(err);
  } catch {}
  return [err.message, err.stack ?? '', inspect(err, { depth: 8 }), String(err), json];
}

/** Captures every `console.*` call until `restore()`; `text()` is all arguments inspected. */
export function captureConsole(): { text(): string; count(): number; restore(): void } {
  const calls: unknown[][] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      calls.push(args);
    }),
  );
  return {
    text: () =>
      calls
        .map((c) => c.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' '))
        .join('\n'),
    count: () => calls.length,
    restore: () => {
      for (const s of spies) s.mockRestore();
    },
  };
}

/** Runs `fn` and returns what it threw (or `undefined`). */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    return err;
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A seeded PRNG (mulberry32), for chunkings and generated inputs. */
export function prng(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The docs/signing.md §8 reference matcher: every char literal except `*` → `.*`, `?` → `.`; full dot-all match. */
export function referenceWildcard(pattern: string, text: string): boolean {
  const src = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${src}$`, 's').test(text);
}

/** Reads a query parameter without decoding it. */
export function rawParam(url: string, name: string): string | undefined {
  const q = url.split('#')[0]!.split('?').slice(1).join('?');
  for (const pair of q.split('&')) if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  return undefined;
}
