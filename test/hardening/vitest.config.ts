// The hardening suite (`pnpm test:hardening`): the root config's aliases, only test/hardening.
// HARDENING_LONG=1 switches to the long mode (>= 100,000 runs per property, 1 GiB streams).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

const long = process.env.HARDENING_LONG === '1';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: root.resolve,
  test: {
    ...root.test,
    include: ['test/hardening/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: long ? 3_600_000 : 120_000,
    hookTimeout: long ? 600_000 : 60_000,
    pool: 'forks',
    // Timing-sensitive files must not compete with each other for the 2 cores.
    fileParallelism: false,
  },
});
