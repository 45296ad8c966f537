/**
 * Mutation testing (`pnpm test:mutation`, not in CI: slow). StrykerJS mutates packages/core/src and
 * packages/rewriter/src/rules and runs vitest.mutation.config.ts against every mutant. Scope a run
 * while iterating: `pnpm test:mutation --mutate packages/core/src/wildcard.ts --concurrency 1`.
 *
 * Mutants inside error-message text (the message of `new CfsignError(code, message)`, a verdict's
 * human `detail`) are ignored: messages may improve freely; codes and behaviour may not.
 * This file is also the plugin module that declares that ignorer.
 */
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Arguments that are only message text, by callee: a number is "this argument and every later one",
 * a list names the arguments exactly. Besides the error constructors, the validation helpers take a
 * parameter name or a `where` only to print it (`checkBoolean(value, 'secure', code)`: the name is
 * ignored, the code is scored).
 */
const MESSAGE_ARG = {
  CfsignError: 1,
  Error: 0,
  TypeError: 0,
  deny: 3,
  malformed: 0,
  bad: 0,
  checkOptions: [1, 2],
  checkBoolean: [1],
  checkOneOf: [2],
  checkKnown: [2],
  checkHashAlgorithm: [1],
  readClock: [1],
  checkEpoch: [1],
  toEpochSeconds: [1],
  parseDuration: [1],
  checkPolicyResource: [1],
  checkKeyPairId: [1],
  unreadable: [1],
  urlText: [1],
  checkUrl: [1],
  checkPolicyCovers: [2],
  // packages/rewriter/src/rules: invalid(where, message), fail(where, message) and the `where` of the
  // validators (link-signer's own `fail(value, err)` has no literal arguments to mutate).
  invalid: 0,
  fail: 0,
  duration: [1],
  checkIp: [1],
  checkRuleShape: [1],
  parseOrigin: [1],
  checkKeys: [2],
  // crypto/node.ts and key-source.ts: what the refused key was, and the passphrase's parameter name.
  notPrivate: 0,
  checkPassphrase: [1],
  // backend-api.ts: the function's name that `signerFor(options, 'getSignedUrl')` passes on to messages.
  signerFor: [1],
  // rules/cookie-reach.ts: every argument of unreachable(rule, siteHosts, cdnHost, seen, note) is printed only.
  unreachable: 0,
};

/**
 * Functions that only build message text (a hint, a "did you mean", a date for a verdict's detail, the
 * parent domain suggested for a host-only cookie rule, a rule's name in a message).
 */
const MESSAGE_FUNCTIONS = new Set([
  'alternateDomainHint',
  'suggest',
  'distance',
  'iso',
  'parentOf',
  'ruleName',
]);

const isMessageArg = (spec, index) =>
  spec !== undefined && index >= 0 && (Array.isArray(spec) ? spec.includes(index) : index >= spec);

/** True when `path` is (inside) message text: an argument above, a default of one, or a function above. */
function inMessage(path) {
  for (let p = path; p?.parentPath; p = p.parentPath) {
    const node = p.node;
    const parent = p.parentPath.node;
    if (
      (parent.type === 'NewExpression' || parent.type === 'CallExpression') &&
      parent.callee?.type === 'Identifier' &&
      isMessageArg(MESSAGE_ARG[parent.callee.name], parent.arguments.indexOf(node))
    )
      return true;
    // A default such as `name = 'expiresIn'` of a parameter listed above.
    if (node.type === 'AssignmentPattern' && parent.type === 'FunctionDeclaration' && parent.id)
      return isMessageArg(MESSAGE_ARG[parent.id.name], parent.params.indexOf(node));
    if (node.type === 'FunctionDeclaration' || node.type === 'ArrowFunctionExpression')
      return node.type === 'FunctionDeclaration' && MESSAGE_FUNCTIONS.has(node.id?.name);
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
  // Outside the checkout (a sandbox holds a second biome.json), and not under node_modules: vitest
  // does not transform files there, so a sandbox under node_modules finds no related tests.
  tempDirName: join(tmpdir(), `cfsign-stryker-${basename(process.cwd())}`),
  cleanTempDir: 'always',
};
