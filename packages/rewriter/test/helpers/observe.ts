// Test helpers: run our tokenizer through the real engine (chunked) and parse5's SAX parser, and
// list every start tag with its attributes (first occurrence, decoded) in document order.
import { SAXParser } from 'parse5-sax-parser';
import { decodeAttr } from '../../src/html/attr-value.js';
import { attrTable, type NameTable } from '../../src/html/names.js';
import { HtmlTokenizer, type TokenSink } from '../../src/html/tokenizer.js';
import { RewriteEngine, type Scanner } from '../../src/stream/chunk-engine.js';
import type { EditList } from '../../src/stream/edits.js';

export type TagRecord = [string, string][];

class Observer implements Scanner, TokenSink {
  readonly tags: TagRecord[] = [];
  private readonly tok: HtmlTokenizer;
  private readonly decoder = new TextDecoder();
  constructor(private readonly table: NameTable) {
    this.tok = new HtmlTokenizer(this, table, 1 << 20);
  }
  scan(buf: Uint8Array, base: number, final: boolean, _edits: EditList): number {
    this.tok.feed(buf, base, final);
    return this.tok.holdFrom();
  }
  startTag(t: HtmlTokenizer): boolean {
    const rec: TagRecord = [];
    const seen = new Set<number>();
    for (let k = 0; k < t.attrCount; k++) {
      const id = t.aId[k]!;
      if (seen.has(id)) continue;
      seen.add(id);
      const value =
        t.aQuote[k] === 0 ? '' : decodeAttr(t.buf, t.aStart[k]! - t.base, t.aEnd[k]! - t.base, this.decoder);
      rec.push([this.table.names[id]!, value]);
    }
    this.tags.push(rec);
    return false;
  }
  rawText(): void {}
  oversized(): void {}
}

/** Our view: start tags with the attributes named in `names`, feeding `bytes` in the given chunks. */
export function ourTags(chunks: Uint8Array[], names: readonly string[]): TagRecord[] {
  const obs = new Observer(attrTable(names));
  const engine = new RewriteEngine(obs, () => null);
  for (const c of chunks) engine.push(c, false);
  engine.push(new Uint8Array(0), true);
  const wanted = new Set(names);
  return obs.tags.map((t) => t.filter(([n]) => wanted.has(n)));
}

/** parse5's view (tokenizer + parser feedback simulator). */
export function parse5Tags(html: string): { tags: TagRecord[]; names: Set<string> } {
  const tags: TagRecord[] = [];
  const names = new Set<string>();
  const sax = new SAXParser();
  sax.on('startTag', (t: { attrs: { name: string; value: string; prefix?: string }[] }) => {
    const rec: TagRecord = [];
    for (const a of t.attrs) {
      const name = (a.prefix ? `${a.prefix}:${a.name}` : a.name).toLowerCase();
      names.add(name);
      rec.push([name, a.value]);
    }
    tags.push(rec);
  });
  sax.end(html);
  return { tags, names };
}

/** Splits bytes at the given offsets. */
export function split(bytes: Uint8Array, ...at: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  for (const a of [...at, bytes.length]) {
    out.push(bytes.subarray(p, a));
    p = a;
  }
  return out;
}
