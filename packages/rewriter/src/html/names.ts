/**
 * Interned tag and attribute names: the tokenizer hashes lower-cased name bytes as it reads
 * them and looks the hash up here, so no string is built for the thousands of tags of a page.
 * @module
 */
import { CfsignError } from '@cfsign/core';

/** FNV-style step over a lower-cased byte. */
export const hashStep = (h: number, c: number): number => Math.imul(h ^ c, 16777619);
export const HASH_SEED = 0x811c9dc5 | 0;

function hashOf(name: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < name.length; i++) h = hashStep(h, name.charCodeAt(i));
  return h;
}

/** A name table: hash -> id, with the names for verification. Id 0 means "not interesting". */
export class NameTable {
  readonly names: string[] = [''];
  private readonly byHash = new Map<number, number>();

  constructor(names: readonly string[]) {
    for (const n of names) this.add(n);
  }

  add(name: string): number {
    const h = hashOf(name);
    const existing = this.byHash.get(h);
    if (existing !== undefined) {
      if (this.names[existing] === name) return existing;
      throw new CfsignError(
        'ERR_INVALID_RULE',
        `rules config.attributes: ${JSON.stringify(name)} shares its hash with ${JSON.stringify(this.names[existing])} in the rewriter's name table; drop one of them from "attributes".`,
      );
    }
    this.names.push(name);
    this.byHash.set(h, this.names.length - 1);
    return this.names.length - 1;
  }

  /** Id of the lower-cased name in `buf[start, start+len)`, verified byte by byte; 0 if unknown. */
  lookup(h: number, buf: Uint8Array, start: number, len: number): number {
    const id = this.byHash.get(h);
    if (id === undefined) return 0;
    const name = this.names[id]!;
    if (name.length !== len) return 0;
    for (let i = 0; i < len; i++) {
      let c = buf[start + i]!;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== name.charCodeAt(i)) return 0;
    }
    return id;
  }
}

/** Tags that leave SVG/MathML content (parse5 `causesExit`). */
const BREAKOUT_NAMES = [
  'b',
  'big',
  'blockquote',
  'body',
  'br',
  'center',
  'code',
  'dd',
  'div',
  'dl',
  'dt',
  'em',
  'embed',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'head',
  'hr',
  'i',
  'img',
  'li',
  'listing',
  'menu',
  'meta',
  'nobr',
  'ol',
  'p',
  'pre',
  'ruby',
  's',
  'small',
  'span',
  'strong',
  'strike',
  'sub',
  'sup',
  'table',
  'tt',
  'u',
  'ul',
  'var',
] as const;

const TAG_LIST = [
  // raw text
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'plaintext',
  // foreign content
  'svg',
  'math',
  'font',
  'foreignobject',
  'desc',
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'mglyph',
  'malignmark',
  // void elements (no end tag)
  'col',
  'wbr',
  'keygen',
  'param',
  // elements that break out of foreign content
  ...BREAKOUT_NAMES,
  // link-bearing
  'a',
  'area',
  'link',
  'source',
  'video',
  'audio',
  'track',
  'object',
  'input',
  'image',
  'use',
  'feimage',
  'base',
  'template',
] as const;

export type TagName = (typeof TAG_LIST)[number];

/** The shared tag table. */
export const TAGS = new NameTable(TAG_LIST);
/** Tag id by name. */
export const T = Object.fromEntries(
  TAG_LIST.map((n) => [n, TAGS.lookup(hashOf(n), new TextEncoder().encode(n), 0, n.length)]),
) as Record<TagName, number>;

/** Tags that leave SVG/MathML content (parse5 `causesExit`; `font` only with color/face/size). */
export const BREAKOUT = new Set<number>(BREAKOUT_NAMES.map((n) => T[n]));

/** HTML void elements: never open, so never closed. */
export const VOID = new Set<number>(
  (
    [
      'area',
      'base',
      'br',
      'col',
      'embed',
      'hr',
      'img',
      'input',
      'keygen',
      'link',
      'meta',
      'param',
      'source',
      'track',
      'wbr',
    ] as const
  ).map((n) => T[n]),
);

/** Tokenizer content models switched to after a start tag in HTML content. */
export const RAW_NONE = 0;
export const RAW_RCDATA = 1;
export const RAW_RAWTEXT = 2;
export const RAW_SCRIPT = 3;
export const RAW_PLAINTEXT = 4;

export const RAW_KIND = new Map<number, number>([
  [T.title, RAW_RCDATA],
  [T.textarea, RAW_RCDATA],
  [T.style, RAW_RAWTEXT],
  [T.xmp, RAW_RAWTEXT],
  [T.iframe, RAW_RAWTEXT],
  [T.noembed, RAW_RAWTEXT],
  [T.noframes, RAW_RAWTEXT],
  [T.noscript, RAW_RAWTEXT],
  [T.script, RAW_SCRIPT],
  [T.plaintext, RAW_PLAINTEXT],
]);

const ATTR_LIST = [
  'src',
  'href',
  'srcset',
  'imagesrcset',
  'poster',
  'data',
  'content',
  'style',
  'xlink:href',
  'property',
  'name',
  'encoding',
  'color',
  'face',
  'size',
] as const;

export type AttrName = (typeof ATTR_LIST)[number];

/** Attribute table for a set of extra configured attribute names (cached per set). */
export function attrTable(extra: readonly string[]): NameTable {
  return new NameTable([...ATTR_LIST, ...extra.filter((n) => !(ATTR_LIST as readonly string[]).includes(n))]);
}

/** Ids of the built-in attributes (identical in every {@link attrTable}). */
export const A = Object.fromEntries(ATTR_LIST.map((n, i) => [n, i + 1])) as Record<AttrName, number>;

/** Hash of a name (tests, tables). */
export { hashOf };
