/**
 * The key must never reach the browser: a client component importing `@cfsign/next` must fail
 * `next build` (the `server-only` guard), with a message that names the problem. Shared by the
 * Next.js 16 run (`../client-import.test.ts`) and the Next.js 15 run (examples/next15-app).
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { run } from './harness.js';

/** The fixture: a page rendering a client component (`app/leak.js`) that imports `@cfsign/next`. */
export const clientImportFixture = fileURLToPath(new URL('../fixtures/client-import', import.meta.url));

/** Runs `next build` on an app directory holding the fixture; expects it to fail, naming leak.js. */
export async function expectClientImportRefused(opts: { dir: string; cwd: string; nextBin: string }) {
  const t = Date.now();
  const { code, output } = await run(process.execPath, [opts.nextBin, 'build', opts.dir], {
    cwd: opts.cwd,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  console.log(`client-import build: ${Date.now() - t} ms, exit ${code}`);
  expect(code).not.toBe(0);
  // Next 16 (Turbopack): 'importing a module that depends on "server-only"'; Next 15 (webpack):
  // "'server-only' cannot be imported from a Client Component module". Both name the client file.
  expect(output).toMatch(
    /importing a module that depends on "server-only"|'server-only' cannot be imported from a Client Component module/,
  );
  expect(output).toMatch(/leak\.js/);
}
