/**
 * Which charsets the rewriter can work in: UTF-8 and ASCII-compatible ones (URLs are located by
 * their ASCII bytes). Anything else passes through untouched.
 * @module
 */

/** ASCII-incompatible encodings of the WHATWG Encoding standard. */
const INCOMPATIBLE = new Set(['utf-16le', 'utf-16be', 'iso-2022-jp', 'replacement']);

/** A usable charset: its decoder and whether it is UTF-8. */
export interface Charset {
  name: string;
  decoder: TextDecoder;
  utf8: boolean;
}

/**
 * Resolves a charset label (`undefined` means UTF-8); `null` when unknown or ASCII-incompatible.
 *
 * @example
 * ```ts
 * resolveCharset('latin1')?.name; // 'windows-1252'
 * resolveCharset('utf-16');       // null
 * ```
 */
export function resolveCharset(label: string | undefined): Charset | null {
  const key = label ?? 'utf-8';
  const known = CACHE.get(key);
  if (known !== undefined) return known;
  let charset: Charset | null = null;
  try {
    const decoder = new TextDecoder(key);
    if (!INCOMPATIBLE.has(decoder.encoding))
      charset = { name: decoder.encoding, decoder, utf8: decoder.encoding === 'utf-8' };
  } catch {
    charset = null;
  }
  // A decoder used without `stream` keeps no state: one per label serves every response.
  if (CACHE.size < 64) CACHE.set(key, charset);
  return charset;
}

const CACHE = new Map<string, Charset | null>();
