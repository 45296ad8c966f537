/**
 * CloudFront custom-policy wildcards: `*` matches any run of characters (also none, also across
 * `/`, `?`, `&`), `?` matches exactly one character, everything else matches itself. A match
 * covers the whole string.
 * @module
 */
import { show } from './args.js';
import { CfsignError } from './errors.js';

/**
 * True when `text` matches the CloudFront wildcard `pattern`.
 *
 * Greedy segment matching without regular expressions: the pattern is split at `*`; the first
 * and last segments are anchored, each middle segment is placed at its leftmost occurrence
 * (leftmost placement is always safe for `*`/`?` globs), so there is no backtracking blow-up.
 *
 * @example
 * ```ts
 * matchWildcard('https://cdn.example.com/video/*', 'https://cdn.example.com/video/1/seg.ts') // true
 * matchWildcard('https://cdn.example.com/video/*', 'https://cdn.example.com/video')          // false
 * ```
 */
export function matchWildcard(pattern: string, text: string): boolean {
  if (typeof pattern !== 'string' || typeof text !== 'string')
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `matchWildcard takes two strings (the policy resource and a URL); got ${show(pattern)} and ${show(text)}.`,
    );
  const segments = pattern.split('*');
  if (segments.length === 1) return text.length === pattern.length && segmentAt(pattern, text, 0);
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  if (first.length + last.length > text.length) return false;
  if (!segmentAt(first, text, 0)) return false;
  if (!segmentAt(last, text, text.length - last.length)) return false;
  let pos = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    if (seg.length === 0) continue;
    const at = findSegment(seg, text, pos, end);
    if (at === -1) return false;
    pos = at + seg.length;
  }
  return true;
}

function segmentAt(seg: string, text: string, at: number): boolean {
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

function findSegment(seg: string, text: string, from: number, end: number): number {
  if (!seg.includes('?')) {
    const at = text.indexOf(seg, from);
    return at === -1 || at + seg.length > end ? -1 : at;
  }
  for (let at = from; at + seg.length <= end; at++) if (segmentAt(seg, text, at)) return at;
  return -1;
}
