/**
 * A function that returns a Promise reports every failure by rejection, never by a synchronous
 * throw (`signResponse(request, response, badOptions)` used to throw before returning its promise).
 * The scan: a function of a package source whose declared return type is `Promise<...>` is `async`,
 * or its whole body is one `try`/`catch` (returning `Promise.reject`), or one `return new Promise(...)`
 * (the executor's throw rejects); any other shape is listed below with the reason it cannot throw.
 * Functions without a declared return type are not seen by this scan; the behaviour tests of each
 * package (`rejections.test.ts`) cover those that take options.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { packageSources } from './package-sources.js';

/** Promise-returning functions of another shape: file, a text the function contains, why it cannot throw. */
const ALLOWED: readonly { file: string; contains: string; why: string }[] = [
  {
    file: 'packages/core/src/backend-api.ts',
    contains: 'verifyRequestWith(backend, url, cookies, options)',
    why: 'delegates to verifyRequestWith, whose body is one try/catch',
  },
  {
    file: 'packages/core/src/backend-api.ts',
    contains: 'verifyRequestWith(backend, url, undefined, options)',
    why: 'delegates to verifyRequestWith, whose body is one try/catch',
  },
  {
    file: 'packages/core/src/backend-api.ts',
    contains: 'signedCookies(o).catch(',
    why: 'calls the async signedCookies, which rejects, and only maps the rejection',
  },
  {
    file: 'packages/core/src/crypto/web.ts',
    contains: 'hash: HashAlgorithm): Promise<CryptoKey>',
    why: 'returns a cached promise or one from crypto.subtle, which rejects',
  },
  {
    file: 'packages/core/src/crypto/web.ts',
    contains: '(key: CryptoKey): Promise<Uint8Array> =>',
    why: 'signNow: called inside the try/catch of sign() or as a then-callback, where a throw rejects',
  },
  {
    file: 'packages/core/src/crypto/web.ts',
    contains: '(key: CryptoKey): Promise<boolean> =>',
    why: 'verifyNow: called inside the try/catch of verify() or as a then-callback, where a throw rejects',
  },
  {
    file: 'packages/core/src/key-source.ts',
    contains: 'export function signWith(',
    why: 'the synchronous signature is wrapped in try/catch; the other branches return promises',
  },
  {
    file: 'packages/next/src/rewrite-json.ts',
    contains: 'export function signJsonLinks(',
    why: 'builds a closure and delegates to the async signJsonText',
  },
  {
    file: 'packages/next/src/unbound.ts',
    contains: 'function envOnly(',
    why: 'returns Promise.reject(...) or the resolver, which calls an async function',
  },
];

interface Site {
  file: string;
  line: number;
  text: string;
  shape: 'async' | 'try' | 'new Promise' | 'other';
}

function shapeOf(n: ts.SignatureDeclaration & { body?: ts.Node }): Site['shape'] {
  if ((ts.getModifiers(n as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
    return 'async';
  const body = n.body;
  if (body === undefined || !ts.isBlock(body) || body.statements.length !== 1) return 'other';
  const only = body.statements[0]!;
  if (ts.isTryStatement(only) && only.catchClause !== undefined) return 'try';
  if (
    ts.isReturnStatement(only) &&
    only.expression !== undefined &&
    ts.isNewExpression(only.expression) &&
    only.expression.expression.getText() === 'Promise'
  )
    return 'new Promise';
  return 'other';
}

/** Every function of `text` declared to return a Promise, with its shape. */
function promiseFunctions(file: string, text: string): Site[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Site[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body !== undefined && n.type !== undefined) {
      if (/^Promise\s*</.test(n.type.getText(sf)))
        out.push({
          file,
          line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1,
          text: n.getText(sf),
          shape: shapeOf(n),
        });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const sites = packageSources().flatMap(({ path, file }) =>
  promiseFunctions(file, readFileSync(path, 'utf8')),
);
const allowed = (s: Site) => ALLOWED.some((a) => a.file === s.file && s.text.includes(a.contains));

describe('functions that return a Promise reject, never throw', () => {
  test('the scan sees the async functions of every package', () => {
    expect(sites.filter((s) => s.shape === 'async').length).toBeGreaterThan(30);
    expect(sites.some((s) => s.file.endsWith('web/src/sign-response.ts') && s.shape === 'async')).toBe(true);
  });

  test('the scan tells the shapes apart', () => {
    const sample = `
      export function a(): Promise<void> { check(); return run(); }
      export async function b(): Promise<void> { check(); }
      export function c(): Promise<void> { try { return run(); } catch (e) { return Promise.reject(e); } }
      export function d(): Promise<void> { return new Promise((resolve) => resolve()); }
      export const e = (x: number): Promise<number> => compute(x);
      export function f(): number | Promise<number> { return 1; }`;
    expect(promiseFunctions('sample.ts', sample).map((s) => s.shape)).toEqual([
      'other',
      'async',
      'try',
      'new Promise',
      'other',
    ]);
  });

  test('every other shape is listed, with the reason it cannot throw', () => {
    const offending = sites
      .filter((s) => s.shape === 'other' && !allowed(s))
      .map((s) => `${s.file}:${s.line}: ${s.text.split('\n')[0]}`);
    expect(
      offending,
      'make the function async (or wrap its body in try/catch returning Promise.reject), or list it in ALLOWED',
    ).toEqual([]);
  });

  test('every listed function still exists in that shape', () => {
    for (const a of ALLOWED)
      expect(
        sites.some((s) => s.file === a.file && s.shape === 'other' && s.text.includes(a.contains)),
        `${a.file}: ${a.contains}`,
      ).toBe(true);
  });
});
