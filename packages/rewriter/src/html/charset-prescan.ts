/**
 * How a browser finds an HTML document's encoding before it parses it (WHATWG HTML "determining
 * the character encoding"): a byte order mark, then the `Content-Type` charset, then the
 * `<meta charset>` / `<meta http-equiv="Content-Type">` prescan of the first 1024 bytes.
 * @module
 */

/** Bytes the meta prescan looks at. */
export const PRESCAN_BYTES = 1024;

/** The encoding a byte order mark names, or `null`. */
export function bomEncoding(b: Uint8Array): 'utf-8' | 'utf-16be' | 'utf-16le' | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  return null;
}

const isWs = (c: number | undefined) => c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20;
const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
const label = (b: Uint8Array, s: number, e: number) => {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(lower(b[i]!));
  return out;
};

/**
 * The WHATWG canonical name of an encoding label, or `null` when it names no encoding.
 *
 * @example
 * ```ts
 * encodingOf(' Latin1 '); // 'windows-1252'
 * ```
 */
export function encodingOf(name: string): string | null {
  return resolveLabel(name.trim());
}

const LABELS = new Map<string, string | null>();

function resolveLabel(label: string): string | null {
  let enc = LABELS.get(label);
  if (enc !== undefined) return enc;
  try {
    enc = new TextDecoder(label).encoding;
  } catch {
    enc = null;
  }
  if (LABELS.size < 64) LABELS.set(label, enc);
  return enc;
}

/** "Extract a character encoding from a meta element" (`content` of http-equiv). */
export function charsetFromContent(content: string): string | null {
  const s = content.toLowerCase();
  let at = 0;
  for (;;) {
    const i = s.indexOf('charset', at);
    if (i < 0) return null;
    let p = i + 7;
    while (isWs(s.charCodeAt(p))) p++;
    if (s[p] !== '=') {
      at = i + 7;
      continue;
    }
    p++;
    while (isWs(s.charCodeAt(p))) p++;
    const q = s[p];
    if (q === '"' || q === "'") {
      const end = s.indexOf(q, p + 1);
      return end < 0 ? null : s.slice(p + 1, end);
    }
    let end = p;
    while (end < s.length && !isWs(s.charCodeAt(end)) && s[end] !== ';') end++;
    return end === p ? null : s.slice(p, end);
  }
}

interface Attr {
  name: string;
  value: string;
  next: number;
}

/** "Get an attribute" from position `p`; `null` at `>` or the end. */
function getAttribute(b: Uint8Array, p: number, n: number): Attr | null {
  while (p < n && (isWs(b[p]) || b[p] === 0x2f)) p++;
  if (p >= n || b[p] === 0x3e) return null;
  let name = '';
  let value = '';
  // attribute name
  for (;;) {
    if (p >= n) return null;
    const c = b[p]!;
    if (c === 0x3d && name !== '') {
      p++;
      break;
    }
    if (isWs(c)) {
      while (p < n && isWs(b[p])) p++;
      if (b[p] !== 0x3d) return { name, value, next: p };
      p++;
      break;
    }
    if (c === 0x2f || c === 0x3e) return { name, value, next: p };
    name += String.fromCharCode(lower(c));
    p++;
  }
  while (p < n && isWs(b[p])) p++;
  if (p >= n) return null;
  const q = b[p]!;
  if (q === 0x22 || q === 0x27) {
    p++;
    const s = p;
    while (p < n && b[p] !== q) p++;
    if (p >= n) return null;
    return { name, value: label(b, s, p), next: p + 1 };
  }
  if (q === 0x3e) return { name, value, next: p };
  const s = p;
  while (p < n && !isWs(b[p]) && b[p] !== 0x3e) p++;
  if (p >= n) return null;
  value = label(b, s, p);
  return { name, value, next: p };
}

/** A `<meta>` at `p` (after `<meta` and a space or `/`): its encoding, or `null`. */
function metaEncoding(b: Uint8Array, p: number, n: number): { enc: string | null; next: number } {
  const seen = new Set<string>();
  let gotPragma = false;
  let needPragma: boolean | null = null;
  let charset: string | null = null;
  for (;;) {
    const a = getAttribute(b, p, n);
    if (a === null) break;
    p = a.next;
    if (seen.has(a.name)) continue;
    seen.add(a.name);
    if (a.name === 'http-equiv') {
      if (a.value === 'content-type') gotPragma = true;
    } else if (a.name === 'content') {
      const c = charsetFromContent(a.value);
      if (c !== null && charset === null) {
        charset = c;
        needPragma = true;
      }
    } else if (a.name === 'charset') {
      charset = a.value;
      needPragma = false;
    }
  }
  if (needPragma === null || (needPragma && !gotPragma) || charset === null) return { enc: null, next: p };
  // (x-user-defined, which TextDecoder may not know, means windows-1252 here)
  let enc = charset.trim() === 'x-user-defined' ? 'windows-1252' : encodingOf(charset);
  if (enc === 'utf-16be' || enc === 'utf-16le') enc = 'utf-8';
  return { enc, next: p };
}

const startsWith = (b: Uint8Array, p: number, s: string) => {
  for (let i = 0; i < s.length; i++) if (lower(b[p + i] ?? 0) !== s.charCodeAt(i)) return false;
  return true;
};

/**
 * The meta prescan of the first {@link PRESCAN_BYTES} bytes: the encoding a `<meta>` declares,
 * or `null`.
 *
 * @example
 * ```ts
 * prescanCharset(new TextEncoder().encode('<!doctype html><meta charset="Shift_JIS">')); // 'shift_jis'
 * ```
 */
export function prescanCharset(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, PRESCAN_BYTES);
  const b = bytes;
  let p = 0;
  while (p < n) {
    if (b[p] !== 0x3c) {
      p++;
      continue;
    }
    if (startsWith(b, p, '<!-->') || startsWith(b, p, '<!--->')) {
      // an empty comment, as Chromium's tokenizer (and tree construction) reads it
      p += b[p + 4] === 0x3e ? 5 : 6;
    } else if (startsWith(b, p, '<!--')) {
      let e = p + 2;
      for (;;) {
        e = b.indexOf(0x3e, e + 1);
        if (e < 0 || e >= n) return null;
        if (b[e - 1] === 0x2d && b[e - 2] === 0x2d && e - 2 >= p + 4) break;
      }
      p = e + 1;
    } else if (startsWith(b, p, '<meta') && (isWs(b[p + 5]) || b[p + 5] === 0x2f)) {
      const r = metaEncoding(b, p + 6, n);
      if (r.enc !== null) return r.enc;
      p = r.next + 1;
    } else if (
      (b[p + 1] === 0x2f && (b[p + 2]! | 0x20) >= 0x61 && (b[p + 2]! | 0x20) <= 0x7a) ||
      ((b[p + 1]! | 0x20) >= 0x61 && (b[p + 1]! | 0x20) <= 0x7a)
    ) {
      // a tag: skip its name, then its attributes
      p += b[p + 1] === 0x2f ? 2 : 1;
      while (p < n && !isWs(b[p]) && b[p] !== 0x3e) p++;
      for (;;) {
        const a = getAttribute(b, p, n);
        if (a === null) break;
        p = a.next;
      }
      p++;
    } else if (b[p + 1] === 0x21 || b[p + 1] === 0x2f || b[p + 1] === 0x3f) {
      const e = b.indexOf(0x3e, p + 1);
      if (e < 0 || e >= n) return null;
      p = e + 1;
    } else p++;
  }
  return null;
}

/** What {@link sniffCharset} decided. */
export type SniffResult =
  | { encoding: string; source: 'bom' | 'content-type' | 'meta' }
  | { encoding: null; source: 'default' };

/**
 * The document's encoding as a browser determines it: byte order mark, then the `Content-Type`
 * charset label (`contentType`, when it names an encoding), then the meta prescan. `null` when
 * nothing declares one.
 *
 * @example
 * ```ts
 * const page = new TextEncoder().encode('<meta charset=euc-kr>');
 * sniffCharset(page, undefined);     // { encoding: 'euc-kr', source: 'meta' }
 * sniffCharset(page, 'windows-1252'); // { encoding: 'windows-1252', source: 'content-type' }
 * ```
 */
export function sniffCharset(bytes: Uint8Array, contentType: string | undefined): SniffResult {
  const bom = bomEncoding(bytes);
  if (bom !== null) return { encoding: bom, source: 'bom' };
  const declared = contentType === undefined ? null : encodingOf(contentType);
  if (declared !== null) return { encoding: declared, source: 'content-type' };
  const meta = prescanCharset(bytes);
  if (meta !== null) return { encoding: meta, source: 'meta' };
  return { encoding: null, source: 'default' };
}
