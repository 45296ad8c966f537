/**
 * Resolves a link found in a page against the page (or `<base href>`) URL, with a fast path for
 * the common root-relative form that needs no WHATWG URL parse.
 * @module
 */

/** A link resolved to an absolute http(s) URL. */
export interface ResolvedLink {
  origin: string;
  /** Percent-encoded path, as the browser sends it. */
  path: string;
  /** `''` or `'?...'`. */
  query: string;
  /** `''` or `'#...'`. */
  fragment: string;
  /** True when the fast path proved `origin + path + query` is already canonical (docs/signing.md §4). */
  canonical: boolean;
}

/** A parsed base URL, prepared once per document. */
export interface LinkBase {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
}

/**
 * Prepares a base URL for {@link resolveLink}; `null` when it is not an absolute http(s) URL.
 *
 * @example
 * ```ts
 * prepareBase('https://www.example.com/shop/')?.origin; // 'https://www.example.com'
 * ```
 */
export function prepareBase(href: string, parent?: LinkBase | null): LinkBase | null {
  // One rewriter per response, nearly always for the same few page URLs: remember the last one.
  if (!parent && href === lastHref) return lastBase;
  const b = parseBase(href, parent);
  if (!parent) {
    lastHref = href;
    lastBase = b;
  }
  return b;
}

let lastHref: string | undefined;
let lastBase: LinkBase | null = null;

function parseBase(href: string, parent?: LinkBase | null): LinkBase | null {
  try {
    const u = parent ? new URL(href, parent.href) : new URL(href);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return Object.freeze({ href: u.href, origin: u.origin, protocol: u.protocol });
  } catch {
    return null;
  }
}

// Bytes a root-relative link may contain and still be canonical as written: printable ASCII
// minus what the URL serializer would encode or interpret (quotes, <>, \, `, {}, |, ^, space).
const SAFE = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) SAFE[c] = 1;
for (const ch of '"\'<>\\`{}|^') SAFE[ch.charCodeAt(0)] = 0;

function fastPath(value: string, base: LinkBase): ResolvedLink | null {
  const n = value.length;
  let q = -1;
  let h = n;
  for (let i = 1; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || SAFE[c] === 0) return null;
    if (c === 0x23 /* # */) {
      h = i;
      break;
    }
    if (c === 0x3f /* ? */ && q < 0) q = i;
    else if (c === 0x2e /* . */ && value.charCodeAt(i - 1) === 0x2f && q < 0)
      return null; // maybe a dot segment
    else if (
      c === 0x25 /* % */ &&
      value.charCodeAt(i + 1) === 0x32 &&
      (value.charCodeAt(i + 2) | 0x20) === 0x65
    )
      return null; // %2e
  }
  const pathEnd = q < 0 ? h : q;
  return {
    origin: base.origin,
    path: value.slice(0, pathEnd),
    query: q < 0 ? '' : value.slice(q, h),
    fragment: h < n ? value.slice(h) : '',
    canonical: true,
  };
}

/**
 * Resolves `value` (an entity-decoded attribute value or CSS/HLS URL) against `base`. Returns
 * `null` for non-http(s) links (`data:`, `mailto:`, `javascript:`...) and unparsable ones.
 *
 * @example
 * ```ts
 * const base = prepareBase('https://www.example.com/shop/')!;
 * resolveLink('/media/a.jpg?w=1#x', base);
 * // { origin: 'https://www.example.com', path: '/media/a.jpg', query: '?w=1', fragment: '#x', canonical: true }
 * ```
 */
export function resolveLink(value: string, base: LinkBase): ResolvedLink | null {
  if (
    value.length > 1 &&
    value.charCodeAt(0) === 0x2f &&
    value.charCodeAt(1) !== 0x2f &&
    value.charCodeAt(1) !== 0x5c
  ) {
    const fast = fastPath(value, base);
    if (fast !== null) return fast;
  }
  let u: URL;
  try {
    u = new URL(value, base.href);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const fragment = u.hash;
  return { origin: u.origin, path: u.pathname, query: u.search, fragment, canonical: false };
}

/** True when a query already carries CloudFront signing parameters (never sign twice). */
export function isAlreadySigned(query: string): boolean {
  if (query.length < 10 || !query.includes('Signature=')) return false;
  return /[?&]Signature=/.test(query) && /[?&](Key-Pair-Id)=/.test(query);
}
