/**
 * Untrusted regions of an HTML page: everything between `<!-- cfsign:off -->` and
 * `<!-- cfsign:on -->` is left exactly as it is (no link signed, no `<base href>` taken).
 *
 * A marker is a real `<!--` comment token, found by the same tokenizer that finds the links: one in
 * an attribute value, in `<script>`/`<style>`/`<textarea>` text, in a CDATA section or inside
 * another comment is text, not a marker. Its data, with ASCII whitespace trimmed at both ends, is
 * `cfsign:off` or `cfsign:on` in any ASCII case, with nothing in between: `<!--cfsign:on-->`,
 * `<!--  CFSIGN:ON\n-->` and `<!-- cfsign:on --!>` are markers, `<!-- cfsign: on -->`,
 * `<!cfsign:on>` (a bogus comment) and `<?cfsign:on>` are not. Regions do not nest: `off` inside a
 * region, or `on` outside one, changes nothing.
 * @module
 */

/** The comment that opens an untrusted region. */
export const UNTRUSTED_OFF = '<!-- cfsign:off -->';
/** The comment that closes an untrusted region. */
export const UNTRUSTED_ON = '<!-- cfsign:on -->';

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
const PREFIX = [0x63, 0x66, 0x73, 0x69, 0x67, 0x6e, 0x3a]; // cfsign:

/**
 * The marker a comment's data `buf[start, end)` is, if any.
 *
 * @example
 * ```ts
 * const data = new TextEncoder().encode(' CFSIGN:off ');
 * markerOf(data, 0, data.length); // 'off'
 * ```
 */
export function markerOf(buf: Uint8Array, start: number, end: number): 'off' | 'on' | null {
  let s = start;
  let e = end;
  while (s < e && isWs(buf[s]!)) s++;
  while (e > s && isWs(buf[e - 1]!)) e--;
  const n = e - s;
  if (n !== 9 && n !== 10) return null;
  for (let k = 0; k < PREFIX.length; k++) if (lower(buf[s + k]!) !== PREFIX[k]) return null;
  const a = lower(buf[s + 7]!);
  const b = lower(buf[s + 8]!);
  if (n === 9) return a === 0x6f && b === 0x6e ? 'on' : null;
  return a === 0x6f && b === 0x66 && lower(buf[s + 9]!) === 0x66 ? 'off' : null;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}
