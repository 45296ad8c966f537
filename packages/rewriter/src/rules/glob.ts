/**
 * Path globs for rules, compiled to linear-time matchers (no regular expressions are built from
 * user input, so no pattern can backtrack exponentially).
 *
 * Syntax, matched against the URL path (percent-encoded, as the browser sends it, no query):
 * - `**` as a whole segment: zero or more segments;
 * - `*`: any run of characters inside one segment (never `/`);
 * - `?`: exactly one character inside one segment;
 * - `:name` as a whole segment: one non-empty segment, captured as `name`;
 * - anything else is literal and case-sensitive.
 * @module
 */
import { CfsignError } from '@cfsign/core';

type SegmentMatcher =
  | { kind: 'globstar' }
  | { kind: 'param'; name: string }
  | { kind: 'literal'; text: string }
  | { kind: 'glob'; text: string };

/** A compiled path glob. */
export interface PathGlob {
  /** The pattern as written. */
  readonly source: string;
  /** The literal text before the first wildcard or parameter (a fast pre-filter). */
  readonly prefix: string;
  /** Names of the `:name` parameters, in order. */
  readonly params: readonly string[];
  /** Captured parameters when `path` matches, else `null`. */
  match(path: string): Record<string, string> | null;
}

/** Why a glob is invalid (used by rule validation), or `null` when it compiles. */
export function globProblem(pattern: string): string | null {
  if (typeof pattern !== 'string' || pattern.length === 0) return 'it must be a non-empty string';
  if (pattern[0] !== '/') return `it must start with "/" (try "/${pattern}")`;
  if (pattern.includes('#')) return 'it must not contain "#" (fragments are never sent to the CDN)';
  const seen = new Set<string>();
  for (const seg of pattern.split('/')) {
    if (seg.includes('**') && seg !== '**')
      return `"**" must be a whole segment, as in "/a/**/b" (found "${seg}")`;
    if (seg.startsWith(':')) {
      const name = seg.slice(1);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        return `parameter "${seg}" must be ":" followed by a name such as ":id"`;
      if (seen.has(name)) return `parameter ":${name}" appears twice`;
      seen.add(name);
    }
  }
  return null;
}

/**
 * Compiles a path glob. Throws `CfsignError` `ERR_INVALID_RULE` for an invalid pattern (rule
 * validation reports the same problem, with the rule's place, first).
 *
 * @example
 * ```ts
 * const g = compileGlob('/video/:id/**');
 * g.match('/video/42/master.m3u8'); // { id: '42' }
 * g.match('/videos/42');            // null
 * ```
 */
export function compileGlob(pattern: string): PathGlob {
  const problem = globProblem(pattern);
  if (problem !== null)
    throw new CfsignError('ERR_INVALID_RULE', `Invalid path pattern ${JSON.stringify(pattern)}: ${problem}.`);
  const segs: SegmentMatcher[] = pattern.split('/').map((s): SegmentMatcher => {
    if (s === '**') return { kind: 'globstar' };
    if (s.length > 1 && s[0] === ':') return { kind: 'param', name: s.slice(1) };
    if (s.includes('*') || s.includes('?')) return { kind: 'glob', text: s };
    return { kind: 'literal', text: s };
  });
  const params = segs.flatMap((s) => (s.kind === 'param' ? [s.name] : []));
  let cut = pattern.length;
  for (const c of ['*', '?', '/:']) {
    const i = pattern.indexOf(c);
    if (i >= 0 && i < cut) cut = c === '/:' ? i + 1 : i;
  }
  // `/a/**` also matches `/a` (zero segments): keep the slash out of the prefix.
  if (pattern.startsWith('/**', cut - 1)) cut--;
  return {
    source: pattern,
    prefix: pattern.slice(0, cut),
    params,
    match: fastMatcher(pattern, segs) ?? ((path) => matchSegments(segs, path.split('/'))),
  };
}

/**
 * The same answers as {@link matchSegments} without splitting the path, for the common shapes:
 * all-literal segments (`/a/b`) and literal segments then one trailing `**` (`/media/**`, which
 * also matches `/media` and `/media/`).
 */
function fastMatcher(
  pattern: string,
  segs: readonly SegmentMatcher[],
): ((path: string) => Record<string, string> | null) | null {
  const last = segs.length - 1;
  for (let k = 0; k < last; k++) if (segs[k]!.kind !== 'literal') return null;
  if (segs[last]!.kind === 'literal') return (path) => (path === pattern ? {} : null);
  if (segs[last]!.kind !== 'globstar' || last === 0) return null;
  const head = pattern.slice(0, pattern.length - 3); // without the trailing `/**`
  const dir = `${head}/`;
  return (path) => (path === head || path.startsWith(dir) ? {} : null);
}

/** Classic greedy wildcard match over segments, `**` being the star: O(segments x pattern). */
function matchSegments(
  pat: readonly SegmentMatcher[],
  segs: readonly string[],
): Record<string, string> | null {
  const caps: Record<string, string> = {};
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < segs.length) {
    globWork.steps++;
    const m = pat[p];
    if (m !== undefined && m.kind === 'globstar') {
      starP = p++;
      starS = s;
      continue;
    }
    if (m !== undefined && matchSegment(m, segs[s]!, caps)) {
      p++;
      s++;
      continue;
    }
    if (starP < 0) return null;
    p = starP + 1;
    s = ++starS;
  }
  while (p < pat.length && pat[p]!.kind === 'globstar') p++;
  return p === pat.length ? caps : null;
}

function matchSegment(m: SegmentMatcher, seg: string, caps: Record<string, string>): boolean {
  switch (m.kind) {
    case 'literal':
      return m.text === seg;
    case 'param':
      if (seg.length === 0) return false;
      caps[m.name] = seg;
      return true;
    case 'glob':
      return matchStar(m.text, seg);
    default:
      return false;
  }
}

/**
 * Work done by the matchers since the counter was last reset: one step per segment tried and per
 * character examined. Tests read it to check that matching is linear in the path length by
 * counting work instead of timing it. Internal: not exported from the package.
 */
export const globWork = { steps: 0 };

/** `*` and `?` inside one segment; greedy with single-star backtracking, O(n x m), never exponential. */
export function matchStar(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  globWork.steps += text.length;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (c === 42 /* * */) {
      starP = p++;
      starT = t;
    } else if (p < pattern.length && (c === 63 /* ? */ || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (starP >= 0) {
      globWork.steps += t - starT;
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/**
 * Turns a glob and its captured parameters into a CloudFront wildcard resource path:
 * `**` and `*` become `*`, `?` stays `?`, `:name` becomes its captured value.
 *
 * @example
 * ```ts
 * toWildcardPath('/video/:id/**', { id: '42' }); // '/video/42/*'
 * ```
 */
export function toWildcardPath(pattern: string, params: Record<string, string>): string {
  return pattern
    .split('/')
    .map((seg) => {
      if (seg === '**') return '*';
      if (seg.length > 1 && seg[0] === ':') return params[seg.slice(1)] ?? '*';
      return seg;
    })
    .join('/')
    .replace(/\*+/g, '*');
}
