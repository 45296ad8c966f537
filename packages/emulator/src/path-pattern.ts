/**
 * CloudFront cache-behavior path patterns: `*` matches any run of characters (also none, also
 * across `/`), `?` matches exactly one character, everything else matches itself, case-sensitive.
 * The pattern covers the whole path (no query string). A missing leading `/` is implied. These are
 * the custom-policy wildcard semantics, so matching uses core's linear-time `matchWildcard`.
 * @module
 */
import { CfsignError } from '@cfsign/core';

const PATTERN_CHARS = /^[A-Za-z0-9_\-.*$/~"'@:+&?]+$/;

/**
 * Validate a path pattern (CloudFront's character set, at most 255 characters) and add the implied
 * leading `/`. Throws `CfsignError` `ERR_INVALID_DISTRIBUTION` for a pattern CloudFront would refuse.
 *
 * @example
 * ```ts
 * normalizePathPattern('images/*.jpg') // '/images/*.jpg'
 * ```
 */
export function normalizePathPattern(pattern: string): string {
  if (
    typeof pattern !== 'string' ||
    pattern.length === 0 ||
    pattern.length > 255 ||
    !PATTERN_CHARS.test(pattern)
  ) {
    throw new CfsignError(
      'ERR_INVALID_DISTRIBUTION',
      `emulator: invalid path pattern ${JSON.stringify(pattern)}: use 1-255 of A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + & ?`,
    );
  }
  return pattern === '*' || pattern.startsWith('/') ? pattern : `/${pattern}`;
}
