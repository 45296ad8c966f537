// Rule matching is linear-time: an 8 KiB path is matched well under a millisecond on adversarial
// globs, doubling the path roughly doubles the time (never squares it), and adversarial user
// patterns are refused at compile time or compile into the same linear matchers.
import { performance } from 'node:perf_hooks';
import { isCfsignError, matchWildcard } from '@cfsign/core';
import { compileRules } from '@cfsign/rewriter';
import { describe, expect, test } from 'vitest';
import { median } from './helpers.js';

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

const rules = compileRules({
  cdn: 'https://cdn.example.com',
  rules: ADVERSARIAL_GLOBS.map((match) => ({ match })),
});

/** Median time (ms) of one match over many repetitions, after a warm-up. */
function timeMatch(paths: readonly string[], reps: number, compiled = rules): number {
  for (let i = 0; i < 20; i++) for (const p of paths) compiled.matchPath(p);
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (const p of paths) compiled.matchPath(p);
    samples.push((performance.now() - t0) / paths.length);
  }
  return median(samples);
}

describe('rule matching is linear-time', () => {
  test('an 8 KiB adversarial path, each adversarial glob: median < 1 ms per path', () => {
    const paths = adversarialPaths(8192);
    for (const p of paths) expect(p.length).toBeGreaterThanOrEqual(8000);
    for (const p of paths) expect(rules.matchPath(p)).toBeNull();
    for (const glob of ADVERSARIAL_GLOBS) {
      const one = compileRules({ cdn: 'https://cdn.example.com', rules: [{ match: glob }] });
      const ms = timeMatch(paths, 100, one);
      console.info(`8 KiB adversarial paths vs ${glob}: median ${ms.toFixed(4)} ms per path`);
      expect(ms).toBeLessThan(1);
    }
  });

  test('4x the path length costs roughly 4x the time (linear: 4, quadratic: 16; bound 10)', () => {
    const small = adversarialPaths(8192);
    const big = adversarialPaths(32768);
    // Interleave the measurements so that load from other processes hits both sizes alike.
    const ratios: number[] = [];
    for (let round = 0; round < 5; round++) ratios.push(timeMatch(big, 40) / timeMatch(small, 40));
    const ratio = median(ratios);
    console.info(`32 KiB / 8 KiB time ratio: ${ratio.toFixed(2)}`);
    expect(ratio).toBeLessThan(10);
  });

  test('CloudFront wildcard matching of an 8 KiB URL is linear too', () => {
    const patterns = [
      'https://cdn.example.com/*a*a*a*a*a*a*b',
      'https://cdn.example.com/*?a*?a*?a*?b*',
      '*a*a*a*a*a*c',
    ];
    const time = (len: number) => {
      const url = `https://cdn.example.com/${'a'.repeat(len)}`;
      const samples: number[] = [];
      for (let r = 0; r < 60; r++) {
        const t0 = performance.now();
        for (const p of patterns) matchWildcard(p, url);
        samples.push(performance.now() - t0);
      }
      return median(samples);
    };
    time(8192);
    const small = time(8192);
    const big = time(32768);
    console.info(
      `matchWildcard 8 KiB: ${small.toFixed(4)} ms, 32 KiB/8 KiB ratio ${(big / small).toFixed(2)}`,
    );
    expect(small).toBeLessThan(1);
    expect(big / Math.max(small, 0.001)).toBeLessThan(8);
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
        compiled = compileRules({ cdn: 'https://cdn.example.com', rules: [{ match: pattern }] });
      } catch (err) {
        expect(isCfsignError(err, 'ERR_INVALID_RULE'), String(err)).toBe(true);
        expect((err as Error).message).toContain('rules[0]');
        return;
      }
      // Compiled: regex syntax is literal text, and an 8 KiB path is matched quickly.
      const paths = adversarialPaths(8192);
      const samples: number[] = [];
      for (let r = 0; r < 30; r++) {
        const t0 = performance.now();
        for (const p of paths) compiled.matchPath(p);
        samples.push((performance.now() - t0) / paths.length);
      }
      expect(median(samples)).toBeLessThan(5);
      if (/[()+|[\]{}$\\.]/.test(pattern) && !pattern.includes('*'))
        expect(compiled.matchPath(pattern.replace(/[:]p/g, 'x'))).not.toBeNull();
    },
  );
});
