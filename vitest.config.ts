import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cfsign\/core\/node$/, replacement: src('core/src/index.node.ts') },
      { find: /^@cfsign\/core\/web$/, replacement: src('core/src/index.web.ts') },
      { find: /^@cfsign\/core$/, replacement: src('core/src/index.node.ts') },
      { find: /^@cfsign\/([a-z-]+)\/node$/, replacement: src('$1/src/node.ts') },
      { find: /^@cfsign\/([a-z-]+)$/, replacement: src('$1/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/hardening/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
