import { readFileSync } from 'node:fs';
import * as nodeApi from '../src/index.node.js';
import * as webApi from '../src/index.web.js';

/** Reads a fixture key (test keys only; see fixtures/keys/README.md). */
export const key = (name: string): string =>
  readFileSync(new URL(`./fixtures/keys/${name}`, import.meta.url), 'utf8');
export const specKey = (name: string): string =>
  readFileSync(new URL(`./fixtures/spec/${name}`, import.meta.url), 'utf8');

/** Both backends, so every behaviour test runs on node:crypto and on WebCrypto. */
export const backends = [
  ['node', nodeApi],
  ['webcrypto', webApi],
] as const;

export type Api = typeof nodeApi;

export const KEY_ID = 'K2JCJMDEHXQW5F';
/** 2030-01-01T00:00:00Z, the spec's common expiry. */
export const E2030 = new Date('2030-01-01T00:00:00Z');
/** A fixed clock well before E2030. */
export const NOW = Date.UTC(2026, 10, 1);

/** Undoes CF-base64 to standard base64 bytes. */
export function fromCf(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
}

/** Reads a query parameter without decoding it. */
export function rawParam(url: string, name: string): string | undefined {
  const q = url.split('#')[0]!.split('?')[1] ?? '';
  for (const pair of q.split('&')) if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  return undefined;
}
