/**
 * A fast path for links already in the form the WHATWG URL parser would serialize them to, so the
 * common case skips `new URL()`. Deliberately narrow: anything it does not recognise goes through
 * the parser. `packages/core/test/canonical-fast.test.ts` checks `new URL(x).href === x` for every
 * string it accepts.
 * @module
 */

/**
 * `http(s)://` + lower-case DNS host (labels of a-z0-9-, the last one starting with a letter, so
 * never an IPv4-looking host, no `xn--`) + no port + a path of characters the parser leaves alone
 * (no dot segments, no `\`, no quotes or spaces) + an optional query of the same (no `'`, which the
 * parser encodes in special-scheme queries) + an optional fragment without a second `#`.
 */
const CANONICAL =
  /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?(?:\/(?![.]|%2[eE])[A-Za-z0-9\-_~!$&()*+,;=:@%.]*)+(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?$/;

/** True when `text` is an http(s) URL the WHATWG parser would serialize unchanged. */
export function isCanonicalHttpUrl(text: string): boolean {
  // Reading a char first flattens a concatenated string in place (`charCodeAt` does, `RegExp#test`
  // does not), so the test and every later step read one flat string: about 70 ns less per link.
  return text.length < 2048 && text.charCodeAt(0) === 0x68 && CANONICAL.test(text) && !text.includes('xn--');
}
