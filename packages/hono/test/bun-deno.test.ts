/**
 * The shared adapter cases on Hono under Bun and Deno, both installed from npm (packages/hono's
 * devDependencies). A runtime whose npm package is missing or whose binary does not run here is
 * skipped, with the reason printed.
 */
import { describe, it, vi } from 'vitest';
import { runAdapterCases } from '../../../test/adapters/cases.js';
import { honoRemoteAdapter, runtimeBinary } from './remote-app.js';

const logs: string[] = [];
for (const level of ['log', 'warn', 'error', 'debug'] as const)
  vi.spyOn(console, level).mockImplementation(
    (...args: unknown[]) => void logs.push(args.map(String).join(' ')),
  );

for (const runtime of ['bun', 'deno'] as const) {
  const bin = runtimeBinary(runtime);
  if ('path' in bin) runAdapterCases(honoRemoteAdapter(runtime, logs));
  else {
    console.info(`[hono on ${runtime}] skipped: ${bin.reason}`);
    describe.skip(`cloudfrontSigner on hono on ${runtime}`, () => it(bin.reason, () => {}));
  }
}
