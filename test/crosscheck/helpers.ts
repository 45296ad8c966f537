/** Shared helpers of the cross-implementation tests (Node only). Never prints key material. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const KEYS_DIR = new URL('../../packages/core/test/fixtures/keys/', import.meta.url);
export const keyPath = (name: string): string => fileURLToPath(new URL(name, KEYS_DIR));
export const readKey = (name: string): string => readFileSync(new URL(name, KEYS_DIR), 'utf8');

/** 2030-01-01T00:00:00Z, the spec's expiry, and a clock inside every window used here. */
export const E = 1893456000;
export const NOW = Date.UTC(2029, 11, 31, 23, 30);
export const KID = 'KCROSSCHECK01';

export const cf64 = (b: Uint8Array): string =>
  Buffer.from(b).toString('base64').replaceAll('+', '-').replaceAll('=', '_').replaceAll('/', '~');
export const unCf64 = (s: string): Buffer =>
  Buffer.from(s.replaceAll('-', '+').replaceAll('_', '=').replaceAll('~', '/'), 'base64');

/** Splits a signed URL into the resource (signing params removed) and the signing params, in order. */
export function splitSigned(url: string): { resource: string; params: [string, string][] } {
  const q = url.indexOf('?');
  if (q === -1) return { resource: url, params: [] };
  const signing = new Set(['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm']);
  const app: string[] = [];
  const params: [string, string][] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (signing.has(name)) params.push([name, eq === -1 ? '' : pair.slice(eq + 1)]);
    else app.push(pair);
  }
  return { resource: url.slice(0, q) + (app.length ? `?${app.join('&')}` : ''), params };
}
export const param = (url: string, name: string): string | undefined =>
  splitSigned(url).params.find(([k]) => k === name)?.[1];
