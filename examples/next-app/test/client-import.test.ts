/**
 * The key must never reach the browser: a client component importing `@cfsign/next` must fail
 * `next build` (the `server-only` guard), with a message that names the problem.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { appDir, nextBin, run } from './support/harness.js';

const fixture = join(appDir, 'test/fixtures/client-import');

afterAll(() => rmSync(join(fixture, '.next'), { recursive: true, force: true }));

it('next build refuses a client component that imports @cfsign/next', async () => {
  const t = Date.now();
  const { code, output } = await run(process.execPath, [nextBin, 'build', fixture], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  console.log(`client-import build: ${Date.now() - t} ms, exit ${code}`);
  expect(code).not.toBe(0);
  expect(output).toMatch(/importing a module that depends on "server-only"/);
  expect(output).toMatch(/leak\.js/);
}, 180_000);
