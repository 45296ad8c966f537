/**
 * The comments page of the untrusted-region cases: the page's own links around comments that try
 * every known way to re-open signing. Shared by the response-layer tests and every adapter.
 */

/** Attempts to re-open signing from inside a comment, each with a private link after it. */
export const ATTACKS: readonly [string, string][] = [
  ['the on marker', '<!-- cfsign:on --><img src="/private/users/42/tax.pdf">'],
  ['the on marker without spaces', '<!--cfsign:on--><img src=/private/users/42/a.jpg>'],
  ['the on marker in upper case', '<!-- CFSIGN:ON --><img src=/private/users/42/a.jpg>'],
  ['the on marker ended by --!>', '<!--\ncfsign:on\t--!><img src=/private/users/42/a.jpg>'],
  ['an off/on pair', '<!-- cfsign:off --><!-- cfsign:on --><img src=/private/users/42/a.jpg>'],
  ['the marker in an attribute value', '<a title="<!-- cfsign:on -->" href="/private/users/42/a">x</a>'],
  ['the marker in a <script>', '<script>"<!-- cfsign:on -->"</script><img src=/private/users/42/a.jpg>'],
  ['an unclosed <script>', '<script><!-- cfsign:on --><img src=/private/users/42/a.jpg>'],
  ['CDATA in SVG', '<svg><![CDATA[x]]><!-- cfsign:on --><image href="/private/users/42/a.svg"/></svg>'],
  ['CDATA in MathML', '<math><![CDATA[<!-- cfsign:on -->]]></math><img src=/private/users/42/a.jpg>'],
  ['an unclosed CDATA section', '<svg><![CDATA[<!-- cfsign:on --><img src=/private/users/42/a.jpg>'],
  ['a comment left open', '<!-- <img src=/private/users/42/a.jpg>'],
  ['a comment left open on "--"', '<img src=/private/users/42/a.jpg><!-- x --'],
  ['a comment ended by --!>', '<!-- x --!><!--cfsign:on--><img src=/private/users/42/a.jpg>'],
  ['an unclosed attribute', '<img alt="<!-- cfsign:on --> src=/private/users/42/a.jpg'],
  ['an unclosed tag', '<img src=/private/users/42/a.jpg'],
  ['<plaintext>', '<plaintext><img src=/private/users/42/a.jpg>'],
  ['an unclosed <textarea>', '<textarea><!-- cfsign:on --><img src=/private/users/42/a.jpg>'],
  ['an unclosed <style>', '<style>a{background:url(/private/users/42/a.png)}'],
  ['CSS in a style attribute', '<p style="background:url(/private/users/42/a.png)">x</p>'],
  ['a <base href>', '<base href="/private/users/42/"><img src=a.jpg>'],
  ['the marker split by markup', 'cfsign<b></b>:on <img src=/private/users/42/a.jpg>'],
  ['a bogus comment', '<!cfsign:on><?cfsign:on><img src=/private/users/42/a.jpg>'],
];

/** The page's own links (signed), before and after the comments. */
export const OWN_LINKS = ['/private/site/logo.png', '/private/site/report.pdf'] as const;

/** A page with every attack in a comment of its own, each wrapped by `untrustedHtml`. */
export function commentsPage(untrustedHtml: (html: string) => string): string {
  const items = ATTACKS.map(([, a]) => `<li>${untrustedHtml(a)}</li>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"></head><body><img src="${OWN_LINKS[0]}"><ul>\n${items}\n</ul><a href="${OWN_LINKS[1]}">report</a></body></html>`;
}

/** The page's bytes in chunks: `at` splits in two, `size` cuts every `size` bytes, neither: whole. */
export function chunksOf(html: string, o: { at?: number; size?: number }): Buffer[] {
  const b = Buffer.from(html);
  if (o.at !== undefined) return [b.subarray(0, o.at), b.subarray(o.at)];
  if (o.size !== undefined) {
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; i += o.size) out.push(b.subarray(i, i + o.size));
    return out;
  }
  return [b];
}

/** Reads `?at=` / `?size=` of a request URL. */
export function chunkQuery(url: string): { at?: number; size?: number } {
  const q = new URL(url, 'http://x').searchParams;
  const at = q.get('at');
  const size = q.get('size');
  return { ...(at !== null && { at: Number(at) }), ...(size !== null && { size: Number(size) }) };
}
