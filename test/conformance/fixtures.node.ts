/** Loads the conformance fixtures from disk (Node only; the workerd run posts them to the worker). */
import { readdirSync, readFileSync } from 'node:fs';
import type { Fixtures, Vector } from './suite.js';

const keysDir = new URL('../../packages/core/test/fixtures/keys/', import.meta.url);
const vectorsDir = new URL('./vectors/', import.meta.url);

export function loadFixtures(): Fixtures {
  const keys: Record<string, string> = {};
  for (const f of readdirSync(keysDir))
    if (f.endsWith('.pem')) keys[f] = readFileSync(new URL(f, keysDir), 'utf8');
  const json = (f: string) => JSON.parse(readFileSync(new URL(f, vectorsDir), 'utf8')) as Vector[];
  return {
    keys,
    vectors: {
      canned: json('rsa-canned.json'),
      custom: json('rsa-custom.json'),
      spec: json('spec-examples.json'),
    },
  };
}
