/**
 * The Worker that runs the conformance suite inside workerd. Bundled by `run-workerd.test.ts` with
 * esbuild for the `worker` export condition, so `@cfsign/core` resolves to `dist/index.web.js`.
 * POST the fixtures as JSON; the response holds the environment probe and every case result.
 */
import * as api from '@cfsign/core';
import { type Fixtures, runConformance } from './suite.js';

async function probe() {
  const spec = ['node', 'crypto'].join(':'); // computed, so no bundler can resolve or inline it
  let nodeCrypto: string;
  try {
    await import(/* @vite-ignore */ spec);
    nodeCrypto = 'present';
  } catch (err) {
    nodeCrypto = `absent (${err instanceof Error ? err.message : String(err)})`;
  }
  const g = globalThis as Record<string, unknown>;
  return {
    nodeCrypto,
    process: typeof g.process,
    Buffer: typeof g.Buffer,
    require: typeof g.require,
    subtle: typeof globalThis.crypto?.subtle,
    navigator: typeof navigator === 'undefined' ? 'undefined' : navigator.userAgent,
    backendName: api.backendName,
  };
}

export default {
  async fetch(request: Request): Promise<Response> {
    const env = await probe();
    if (request.method !== 'POST') return Response.json({ env });
    const fixtures = (await request.json()) as Fixtures;
    const results = await runConformance(api, fixtures);
    return Response.json({ env, results });
  },
};
