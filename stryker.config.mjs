/**
 * Mutation testing (`pnpm test:mutation`, not in CI: slow). StrykerJS mutates packages/core/src and
 * packages/rewriter/src/rules and runs vitest.mutation.config.ts against every mutant. Scope a run
 * while iterating: `pnpm test:mutation --mutate packages/core/src/wildcard.ts --concurrency 1`.
 *
 * Mutants inside error-message text (the message of `new CfsignError(code, message)`, a verdict's
 * human `detail`) are ignored: messages may improve freely; codes and behaviour may not.
 * This file is also the plugin module that declares that ignorer.
 */

const MESSAGE_ARG = { CfsignError: 1, Error: 0, deny: 3, malformed: 0, bad: 0 };

/** True when `path` is (inside) the message argument of an error constructor or deny(). */
function inMessage(path) {
  for (let p = path; p?.parentPath; p = p.parentPath) {
    const parent = p.parentPath.node;
    if (
      (parent.type === 'NewExpression' || parent.type === 'CallExpression') &&
      parent.callee?.type === 'Identifier'
    ) {
      const index = MESSAGE_ARG[parent.callee.name];
      if (index !== undefined && parent.arguments.indexOf(p.node) >= index) return true;
    }
    if (p.node.type === 'FunctionDeclaration' || p.node.type === 'ArrowFunctionExpression') return false;
  }
  return false;
}

export const strykerPlugins = [
  {
    kind: 'Ignore',
    name: 'error-messages',
    value: {
      shouldIgnore(path) {
        return inMessage(path) ? 'error-message text' : undefined;
      },
    },
  },
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner', './stryker.config.mjs'],
  ignorers: ['error-messages'],
  mutate: [
    'packages/core/src/**/*.ts',
    'packages/rewriter/src/rules/**/*.ts',
    '!packages/core/src/index.*.ts',
    '!packages/core/src/**/types.ts',
    '!packages/core/src/signer-types.ts',
    '!packages/rewriter/src/rules/types.ts',
  ],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables and regexes) rerun every test: ~1 minute each here, 80% of the
  // time for a third of the mutants. They are reported as ignored; the static tables are covered by
  // the spec vectors and the property tests in every run.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  disableTypeChecks: 'packages/**/*.ts',
  // Reports go under node_modules/.cache (ignored by git and biome).
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'node_modules/.cache/stryker/mutation.json' },
  htmlReporter: { fileName: 'node_modules/.cache/stryker/mutation.html' },
  thresholds: { high: 90, low: 80, break: null },
  // Under node_modules, which git and biome already ignore (a sandbox holds a second biome.json).
  tempDirName: 'node_modules/.stryker-tmp',
  cleanTempDir: 'always',
};
