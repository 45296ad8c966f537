// The rewrite rule of the standard benchmark page, stated once for the generator, the tests and the
// benches. Everything here is deterministic, so only finding and rewriting links is measured:
//
//  - a link is protected when its decoded value is a path under "/private/";
//  - it becomes CF_ORIGIN + path + ("?" | "&") + SIGNED_SUFFIX, where SIGNED_SUFFIX carries a fixed
//    fake 344-character signature (the length of an RSA-2048 one) instead of a real one;
//  - in an attribute the new value is re-escaped for its quote (`&` -> `&amp;`, the quote as an
//    entity) and an unquoted value gains double quotes; in CSS text it is written raw;
//  - every other byte of the page stays as it was.

/** The distribution the page's links are signed for. */
export const CF_ORIGIN = 'https://d111111abcdef8.cloudfront.net';
/** The key pair ID in the signed links. */
export const KEY_PAIR_ID = 'K2JCJMDEHXQW5F';
/** The `Expires` of every signed link (2030-01-01T00:00:00Z). */
export const EXPIRES = 1893456000;
/** The path prefix a rule protects. */
export const PREFIX = '/private/';

const CF_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~';

/** 342 characters of CloudFront base64 from a 32-bit LCG, then the `__` padding of 256 bytes. */
function fakeSignature() {
  const out = [];
  let x = 0x1f2e3d4c;
  for (let i = 0; i < 342; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out.push(CF_ALPHABET[x >>> 26]);
  }
  return `${out.join('')}__`;
}

/** The fixed fake signature. */
export const FAKE_SIGNATURE = fakeSignature();
/** The query a signed link ends with. */
export const SIGNED_SUFFIX = `Expires=${EXPIRES}&Signature=${FAKE_SIGNATURE}&Key-Pair-Id=${KEY_PAIR_ID}`;

/** Decoded link -> its signed form, or null when the link is not protected. */
export function fakeSignUrl(url) {
  if (!url.startsWith(PREFIX)) return null;
  return `${CF_ORIGIN}${url}${url.includes('?') ? '&' : '?'}${SIGNED_SUFFIX}`;
}

/** A decoded value escaped for an attribute quoted with `quote`. */
export function escapeAttr(value, quote = '"') {
  const amp = value.replaceAll('&', '&amp;');
  return quote === "'" ? amp.replaceAll("'", '&#39;') : amp.replaceAll('"', '&quot;');
}
