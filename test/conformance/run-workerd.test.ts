/**
 * The conformance suite inside workerd (Cloudflare's runtime, via Miniflare from npm), where
 * `node:crypto` does not exist: the suite and `packages/core/dist/index.web.js` are bundled by
 * esbuild for the `worker` condition and run without the `nodejs_compat` flag.
 * Needs the built core: `pnpm --filter @cfsign/core build` (the root `pnpm test` builds first).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadFixtures } from './fixtures.node.js';
import { type CaseResult, conformanceCases } from './suite.js';

const distWeb = fileURLToPath(new URL('../../packages/core/dist/index.web.js', import.meta.url));
const fixtures = loadFixtures();
const names = conformanceCases(fixtures).map((c) => c.name);

let mf: Miniflare | undefined;
let bundle = '';
let inputs: string[] = [];
let env: Record<string, string> = {};
let results = new Map<string, CaseResult>();

beforeAll(async () => {
  if (!existsSync(distWeb))
    throw new Error(
      'packages/core/dist is missing: run `pnpm --filter @cfsign/core build` (or the root `pnpm test`, which builds first).',
    );
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./worker-entry.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['worker'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0]!.text;
  inputs = Object.keys(out.metafile.inputs);
  mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: bundle }],
    compatibilityDate: '2025-01-01',
    compatibilityFlags: [],
  });
  const res = await mf.dispatchFetch('http://conformance.local/', {
    method: 'POST',
    body: JSON.stringify(fixtures),
    headers: { 'content-type': 'application/json' },
  });
  const body = (await res.json()) as { env: Record<string, string>; results: CaseResult[] };
  env = body.env;
  results = new Map(body.results.map((r) => [r.name, r]));
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

describe('the workerd environment', () => {
  test('the bundle is the web build of the core, without the node backend', () => {
    expect(inputs.some((p) => p.endsWith('packages/core/dist/index.web.js'))).toBe(true);
    expect(inputs.some((p) => p.endsWith('crypto/web.js'))).toBe(true);
    expect(
      inputs.filter((p) => /crypto\/node\.|index\.node\.|\/src\//.test(p) && p.includes('packages/core')),
    ).toEqual([]);
    expect(bundle).not.toMatch(/from\s*["']node:/);
  });
  test('node:crypto is absent inside, WebCrypto present, no Node globals', () => {
    expect(env.nodeCrypto).toMatch(/^absent/);
    expect(env.process).toBe('undefined');
    expect(env.Buffer).toBe('undefined');
    expect(env.require).toBe('undefined');
    expect(env.subtle).toBe('object');
    expect(env.navigator).toBe('Cloudflare-Workers');
    expect(env.backendName).toBe('webcrypto');
  });
  test('every case ran', () => {
    expect([...results.keys()].sort()).toEqual([...names].sort());
  });
});

describe('conformance on @cfsign/core (worker condition) in workerd', () => {
  for (const name of names)
    test(name, () => {
      const r = results.get(name);
      expect(r, 'case did not run').toBeDefined();
      if (!r!.ok) throw new Error(r!.error);
    });
});
