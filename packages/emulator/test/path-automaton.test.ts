import { matchWildcard } from '@cfsign/core';
import { compileGlob } from '@cfsign/rewriter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explorePaths } from '../src/check/explore-paths.js';
import {
  acceptsPath,
  cloudFrontPatternAutomaton,
  ruleGlobAutomaton,
  unionAutomaton,
} from '../src/check/path-automaton.js';

const pathChar = fc.constantFrom('a', 'b', '/', '.', 'j');
const path = fc.array(pathChar, { maxLength: 10 }).map((cs) => `/${cs.join('')}`);

describe('path automata agree with the matchers they stand for', () => {
  it('CloudFront path patterns: the same answers as the emulator matcher (core matchWildcard)', () => {
    const pattern = fc
      .array(fc.constantFrom('a', 'b', '/', '.', '*', '?'), { maxLength: 8 })
      .map((cs) => `/${cs.join('')}`);
    fc.assert(
      fc.property(pattern, path, (p, s) => {
        expect(acceptsPath(cloudFrontPatternAutomaton(p), s)).toBe(matchWildcard(p, s));
      }),
      { numRuns: 3000 },
    );
  });

  it('rule globs: the same answers as the rewriter glob matcher', () => {
    const segment = fc.oneof(
      fc.constant('**'),
      fc.constant(':id'),
      fc
        .array(fc.constantFrom('a', 'b', '.', '*', '?'), { minLength: 1, maxLength: 3 })
        .map((c) => c.join('')),
    );
    const glob = fc
      .array(segment, { minLength: 1, maxLength: 4 })
      .filter((segs) => segs.every((seg) => seg === '**' || !seg.includes('**')))
      .map((segs) => `/${segs.join('/')}`)
      .filter((g) => !/(^|\/):id\/.*:id/.test(g));
    fc.assert(
      fc.property(glob, path, (g, s) => {
        expect(acceptsPath(ruleGlobAutomaton(g), s), `${g} ${s}`).toBe(compileGlob(g).match(s) !== null);
      }),
      { numRuns: 3000 },
    );
  });

  it('a strict trailing ** needs a file below the folder', () => {
    expect(acceptsPath(ruleGlobAutomaton('/private/**'), '/private')).toBe(true);
    expect(acceptsPath(ruleGlobAutomaton('/private/**', true), '/private')).toBe(false);
    expect(acceptsPath(ruleGlobAutomaton('/private/**', true), '/private/a')).toBe(true);
    expect(acceptsPath(ruleGlobAutomaton('/a/**/b', true), '/a/b')).toBe(true);
  });

  it('a union accepts what any part accepts', () => {
    const u = unionAutomaton([ruleGlobAutomaton('/a/**'), ruleGlobAutomaton('/b/*.jpg')]);
    expect(['/a/x', '/b/x.jpg', '/b/x.png'].map((p) => acceptsPath(u, p))).toEqual([true, true, false]);
  });
});

describe('explorePaths', () => {
  it('finds every (first rule, behavior) pair with a shortest example, and only those', () => {
    const { combinations, complete } = explorePaths(
      [[ruleGlobAutomaton('/img/**'), ruleGlobAutomaton('/**')]],
      ['/img/*.png', '/IMG/*', '*'].map((p) => cloudFrontPatternAutomaton(p)),
    );
    expect(complete).toBe(true);
    const pairs = Object.fromEntries(combinations[0]!.map((c) => [`${c.rule}:${c.behavior}`, c.example]));
    expect(pairs).toEqual({
      '1:2': '/x',
      '0:2': '/img', // `/img/**` also matches the folder itself
      '0:0': '/img/.png',
      '1:1': '/IMG/x',
    });
  });
});
