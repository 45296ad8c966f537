// Rule matching is linear in the path length: the work the matchers do (segments tried and
// characters examined, counted by the matchers themselves; characters read by the CloudFront
// wildcard matcher, counted here) grows 4x when the path grows 4x (quadratic would be 16x), on
// adversarial globs built to make backtracking matchers explode; and adversarial user patterns are
// refused at compile time or compile into the same linear matchers. Work is counted, not timed, so
// a busy machine cannot fail these tests.
import { isCfsignError, matchWildcard } from '@cfsign/core';
import { compileRules } from '@cfsign/rewriter';
import { afterEach, describe, expect, test } from 'vitest';
import { globWork } from '../../packages/rewriter/src/rules/glob.js';

const ADVERSARIAL_GLOBS = [
  '/**/*a*a*a*a*a*a*a*b',
  '/**/**/**/**/**/**/**/**/b',
  '/**/a/**/a/**/a/**/a/**/b',
  '/*a*a*a*a*a*a*a*a*a*a*?b',
  '/**/:x/**/:y/**/:z/**/b',
  '/a/**/*?*?*?*?*?*?*?*b/**/c',
];

/** Paths built to make backtracking matchers explode: long runs of near-matches. */
const adversarialPaths = (bytes: number): string[] => [
  `/${'a'.repeat(bytes - 1)}`,
  '/a'.repeat(bytes / 2),
  `${'/aa'.repeat(Math.floor(bytes / 3))}`.padEnd(bytes, 'a'),
  `/${'ab'.repeat(bytes / 2 - 1)}a`,
];

// Matching is what is measured here, not entitlement: per-entity globs say they are for any viewer.
const compile = (match: string) =>
  compileRules({ cdn: 'https://cdn.example.com', rules: [{ match, authorize: 'any-viewer' }] });

/** Matcher steps spent matching every path once. */
function workOf(rules: ReturnType<typeof compileRules>, paths: readonly string[]): number {
  globWork.steps = 0;
  for (const p of paths) rules.matchPath(p);
  return globWork.steps;
}

/** Characters the CloudFront wildcard matcher reads, counted on String.prototype while `fn` runs. */
function charsRead(fn: () => void): number {
  const proto = String.prototype;
  const { charCodeAt, indexOf } = proto;
  let n = 0;
  proto.charCodeAt = function (this: string, i: number) {
    n++;
    return charCodeAt.call(this, i);
  };
  proto.indexOf = function (this: string, search: string, from?: number) {
    const at = indexOf.call(this, search, from);
    n += (at === -1 ? this.length : at + search.length) - (from ?? 0);
    return at;
  };
  try {
    fn();
  } finally {
    proto.charCodeAt = charCodeAt;
    proto.indexOf = indexOf;
  }
  return n;
}

afterEach(() => {
  globWork.steps = 0;
});

describe('rule matching is linear in the path length', () => {
  test.each(ADVERSARIAL_GLOBS)('%s: 4x the path costs at most 4.5x the work, bounded per byte', (glob) => {
    const rules = compile(glob);
    const small = adversarialPaths(8192);
    const big = adversarialPaths(32768);
    for (const p of [...small, ...big]) expect(rules.matchPath(p)).toBeNull();
    const w8 = workOf(rules, small);
    const w32 = workOf(rules, big);
    console.info(`${glob}: ${w8} steps for 4 x 8 KiB, ratio 32/8 KiB ${(w32 / w8).toFixed(2)}`);
    expect(w8).toBeGreaterThan(0);
    expect(w32 / w8).toBeLessThanOrEqual(4.5);
    // a constant number of steps per byte of path (the constant depends on the pattern only)
    expect(w8 / (4 * 8192)).toBeLessThan(32);
  });

  test('the counter counts what the matcher examines (so the ratios above measure real work)', () => {
    // A glob segment is read character by character: a failing match on an n-byte segment costs at
    // least n steps, and twice the segment costs at least twice the steps.
    const rules = compile('/*a*a*?b');
    const w1 = workOf(rules, [`/${'a'.repeat(1000)}`]);
    const w2 = workOf(rules, [`/${'a'.repeat(2000)}`]);
    expect(w1).toBeGreaterThanOrEqual(1000);
    expect(w2).toBeGreaterThanOrEqual(2 * w1 - 10);
  });

  test('CloudFront wildcard matching of an 8 KiB URL is linear too', () => {
    const patterns = [
      'https://cdn.example.com/*a*a*a*a*a*a*b',
      'https://cdn.example.com/*?a*?a*?a*?b*',
      '*a*a*a*a*a*c',
    ];
    const work = (len: number) => {
      const url = `https://cdn.example.com/${'a'.repeat(len)}`;
      return charsRead(() => {
        for (const p of patterns) expect(matchWildcard(p, url)).toBe(false);
      });
    };
    const small = work(8192);
    const big = work(32768);
    console.info(
      `matchWildcard: ${small} characters read for 8 KiB, ratio 32/8 KiB ${(big / small).toFixed(2)}`,
    );
    expect(small).toBeGreaterThan(8192);
    expect(big / small).toBeLessThanOrEqual(4.5);
  });
});

describe('adversarial user patterns are refused or compile safely', () => {
  const hostile = [
    '/(a+)+$',
    '/(a|aa)*b',
    '/.*.*.*.*.*.*x',
    '/[a-z]{1,1000}',
    '/a***b',
    '/***',
    `/${'*'.repeat(5000)}x`,
    `/${'**/'.repeat(2000)}x`,
    `/${'?'.repeat(3000)}`,
    `/${':p/'.repeat(3)}`,
    '/a/**b',
    'no-leading-slash/**',
    '/#frag',
    '',
    '/%2e%2e/**',
    '/\\d+\\w+',
    '/$1/$' + '{x}',
  ];
  test.each(hostile.map((p) => [p.length > 40 ? `${p.slice(0, 37)}... (${p.length} chars)` : p, p]))(
    '%s',
    (_label, pattern) => {
      let compiled: ReturnType<typeof compileRules> | undefined;
      try {
        compiled = compileRules({
          cdn: 'https://cdn.example.com',
          rules: [{ match: pattern, authorize: 'any-viewer' }],
        });
      } catch (err) {
        expect(isCfsignError(err, 'ERR_INVALID_RULE'), String(err)).toBe(true);
        expect((err as Error).message).toContain('rules[0]');
        return;
      }
      // Compiled: regex syntax is literal text, and the work grows linearly with the path.
      const w8 = workOf(compiled, adversarialPaths(8192));
      const w32 = workOf(compiled, adversarialPaths(32768));
      expect(w32).toBeLessThanOrEqual(4.5 * Math.max(w8, 1));
      if (/[()+|[\]{}$\\.]/.test(pattern) && !pattern.includes('*'))
        expect(compiled.matchPath(pattern.replace(/[:]p/g, 'x'))).not.toBeNull();
    },
  );
});
