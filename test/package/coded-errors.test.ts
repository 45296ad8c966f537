/**
 * The error rule, kept by a scan: bad input, bad configuration and limits are reported by one class,
 * `CfsignError`, with a stable `code` and a message that says how to fix it. No source file of a
 * package builds a plain `Error`, `TypeError`, `RangeError` or `SyntaxError`, or declares an error
 * class of its own, except at the sites listed below, each with its reason. A site listed here that
 * disappears fails the scan too, so the list stays exact.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { packageSources } from './package-sources.js';

/** Sites allowed to build another error, by file and the text of the line, with the reason. */
const ALLOWED: readonly { file: string; line: string; why: string }[] = [
  {
    file: 'packages/core/src/errors.ts',
    line: 'export class CfsignError extends Error {',
    why: 'the one error class',
  },
  {
    file: 'packages/cli/src/io.ts',
    line: 'export class UsageError extends Error {',
    why: 'the CLI maps it to exit code 2 and a help hint; it never leaves runCli',
  },
  {
    file: 'packages/cli/src/io.ts',
    line: 'export class InputError extends Error {',
    why: 'the CLI maps it to exit code 3; it never leaves runCli',
  },
  {
    file: 'packages/emulator/src/http-origin.ts',
    line: 'class OriginTimeout extends Error {',
    why: 'internal marker of an upstream timeout, answered with a 504 page; never reaches a caller',
  },
];

const FORBIDDEN =
  /\bnew\s+(?:Type|Range|Syntax|Reference)?Error\s*\(|\bthrow\s+(?:Type|Range|Syntax)?Error\s*\(|\bextends\s+(?:Type|Range|Syntax)?Error\b/;

/** Lines of `text` that build or declare a plain error, comments left out. */
function plainErrorSites(text: string): { line: number; text: string }[] {
  const noBlocks = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  return noBlocks
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => !l.text.startsWith('//') && FORBIDDEN.test(l.text));
}

const files = packageSources();
const found = files.flatMap(({ path, file }) =>
  plainErrorSites(readFileSync(path, 'utf8')).map((s) => ({ file, ...s })),
);
const isAllowed = (s: { file: string; text: string }) =>
  ALLOWED.some((a) => a.file === s.file && a.line === s.text);

describe('every error of a package is a CfsignError with a code', () => {
  test('the scan reads the sources of every package', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.file === 'packages/core/src/errors.ts')).toBe(true);
  });

  test('the scan finds what it forbids, and not what a comment or a CfsignError says', () => {
    const sample = [
      "throw new TypeError('bad');",
      '  return Promise.reject(new RangeError(`too big`));',
      'throw Error("x");',
      'const e = new SyntaxError("y");',
      'class Oops extends Error {}',
      '// throw new TypeError("only a comment")',
      '/** @example throw new Error("in docs") */',
      "throw new CfsignError('ERR_INVALID_OPTIONS', 'fine');",
      'if (err instanceof TypeError) return;',
    ].join('\n');
    expect(plainErrorSites(sample).map((s) => s.line)).toEqual([1, 2, 3, 4, 5]);
  });

  test('no package source builds a plain Error, TypeError, RangeError or SyntaxError', () => {
    const offending = found.filter((s) => !isAllowed(s)).map((s) => `${s.file}:${s.line}: ${s.text}`);
    expect(
      offending,
      'throw a CfsignError with a code from packages/core/src/errors.ts (or list an invariant site in ALLOWED, with why)',
    ).toEqual([]);
  });

  test('every allowed site still exists (the list holds no stale entry)', () => {
    for (const a of ALLOWED)
      expect(
        found.some((s) => s.file === a.file && s.text === a.line),
        `${a.file}: ${a.line}`,
      ).toBe(true);
  });
});
