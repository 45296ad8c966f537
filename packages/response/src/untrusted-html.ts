/**
 * `untrustedHtml(html)`: user-supplied HTML wrapped in an untrusted region, so that no link in it is
 * ever signed. One implementation, re-exported by every adapter.
 * @module
 */
import { CfsignError } from '@cfsign/core';
import { rewriteBytes, UNTRUSTED_OFF, UNTRUSTED_ON } from '@cfsign/rewriter';

/**
 * Every text that could spell a marker. A marker's data is `cfsign:off` / `cfsign:on` in any ASCII
 * case; `fsign:` (not `cfsign:`) also covers a legacy double-byte character (Shift_JIS, Big5, GBK)
 * whose last byte reads as `c` once the page is encoded.
 */
const MARKERISH = /fsign:/gi;
const LT = /</g;

/**
 * Wraps user-supplied HTML (a comment, a profile, sanitised markdown) in
 * `<!-- cfsign:off -->` ... `<!-- cfsign:on -->`, so that the rewriter signs none of its links,
 * however it is chunked. User content cannot end the region early: every `fsign:` in it (any case)
 * is written `fsign&#58;`, which a browser shows the same in text and attribute values, and which
 * no marker comment can contain. HTML that would swallow the closing marker (an unclosed comment,
 * `<script>`, `<style>`, `<textarea>`, `<title>`, `<plaintext>`, tag or attribute quote) is
 * written as text instead (`<` as `&lt;`), so the page's own links after it are still signed.
 * Still sanitise user HTML (DOMPurify, sanitize-html): this helper is about signatures, not XSS.
 *
 * In templates, output it unescaped: EJS `<%- untrustedHtml(c.html) %>`, Handlebars
 * `{{{untrustedHtml c.html}}}`, Pug `!= untrustedHtml(c.html)`, React
 * `<div dangerouslySetInnerHTML={{ __html: untrustedHtml(c.html) }} />`.
 *
 * @example
 * ```ts
 * untrustedHtml('<img src="/private/users/42/tax.pdf"> <!-- cfsign:on -->');
 * // '<!-- cfsign:off --><img src="/private/users/42/tax.pdf"> <!-- cfsign&#58;on --><!-- cfsign:on -->'
 * ```
 */
export function untrustedHtml(html: string): string {
  if (typeof html !== 'string')
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `untrustedHtml(html) takes the user's HTML as a string, got ${html === null ? 'null' : typeof html}; pass the text (String(value)), or '' for none.`,
    );
  const inert = html.replace(MARKERISH, (m) => `${m.slice(0, -1)}&#58;`);
  const wrapped = UNTRUSTED_OFF + inert + UNTRUSTED_ON;
  return closes(wrapped) ? wrapped : UNTRUSTED_OFF + inert.replace(LT, '&lt;') + UNTRUSTED_ON;
}

/** True when the rewriter sees the region end at the closing marker (nothing left open). */
function closes(wrapped: string): boolean {
  let open = false;
  rewriteBytes('html', wrapped, {
    charset: 'utf-8',
    resolve: () => null,
    onSkip: (reason) => {
      if (reason === 'untrusted-region-unclosed') open = true;
    },
  });
  return !open;
}
