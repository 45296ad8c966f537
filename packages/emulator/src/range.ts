/**
 * Parse a `Range` request header (RFC 9110 §14) for a single byte range.
 * @module
 */

/** The outcome of {@link parseRange}. */
export type RangeResult =
  | { kind: 'none' }
  | { kind: 'range'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * Parse `header` against a representation of `size` bytes. A missing, malformed or multi-range
 * header is `none` (serve the whole file, as S3 does for several ranges); a syntactically valid
 * range that selects nothing is `unsatisfiable` (416). `end` is inclusive and clamped to the size.
 *
 * @example
 * ```ts
 * parseRange('bytes=0-99', 1000)   // { kind: 'range', start: 0, end: 99 }
 * parseRange('bytes=-100', 1000)   // { kind: 'range', start: 900, end: 999 }
 * parseRange('bytes=2000-', 1000)  // { kind: 'unsatisfiable' }
 * ```
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'none' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: 'none' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'none' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end };
}
