/**
 * The tests StrykerJS runs against each mutant (`pnpm test:mutation`): core's own tests, the Node
 * conformance suite, the cross-checks, and the rewriter's rule tests (rules, link signer, cookie options, cookie reach). Not used by `pnpm test`.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  resolve: base.resolve,
  test: {
    include: [
      'packages/core/test/**/*.test.ts',
      'test/conformance/run-node.test.ts',
      'test/crosscheck/**/*.test.ts',
      'packages/rewriter/test/rules.test.ts',
      'packages/rewriter/test/link-signer.test.ts',
      'packages/rewriter/test/cookie-options.test.ts',
      'packages/rewriter/test/cookie-reach.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
