/**
 * The key must never reach the browser: a client component importing `@cfsign/next` must fail
 * `next build` on Next.js 16 (the `server-only` guard), with a message that names the problem.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { clientImportFixture, expectClientImportRefused } from './support/client-import.js';
import { appDir, nextBin } from './support/harness.js';

afterAll(() => rmSync(join(clientImportFixture, '.next'), { recursive: true, force: true }));

it('next build refuses a client component that imports @cfsign/next', async () => {
  await expectClientImportRefused({ dir: clientImportFixture, cwd: appDir, nextBin });
}, 180_000);
