/**
 * A resumable, byte-level HTML tokenizer that follows the WHATWG tokenizer states closely enough
 * to find exactly the start tags and attributes a browser (and parse5) sees, including the
 * script-data escape states, RCDATA/RAWTEXT/PLAINTEXT switching, comments, CDATA and SVG/MathML
 * content. It never builds tokens for text: it jumps between `<` with `indexOf`.
 *
 * It is one state machine in one loop on purpose (speed); the per-tag decisions live in
 * `html-rewriter.ts`, the namespace bookkeeping in `namespace.ts`.
 *
 * Positions are absolute stream offsets; `feed` may be called with any chunking and gives the
 * same results (every state is resumable, lookahead waits for more input).
 * @module
 */

import { findByte, wordView } from './find-byte.js';
import { HASH_SEED, hashStep, type NameTable, RAW_NONE, RAW_PLAINTEXT, RAW_SCRIPT, TAGS } from './names.js';
import { NamespaceTracker } from './namespace.js';

type S = number;
// Tokenizer states, written as numeric literals below so `switch` compiles to a jump table
// (module constants would be context loads):
//   DATA=0, TAG_OPEN=1, END_TAG_OPEN=2, TAG_NAME=3, BEFORE_ATTR_NAME=4, ATTR_NAME=5
//   AFTER_ATTR_NAME=6, BEFORE_ATTR_VALUE=7, ATTR_DQ=8, ATTR_SQ=9, ATTR_UNQ=10, AFTER_ATTR_QUOTED=11
//   SELF_CLOSING=12, MARKUP_DECL=13, BOGUS_COMMENT=14, DOCTYPE=15, CDATA=16, CDATA_BRACKET=17
//   CDATA_END=18, COMMENT_START=19, COMMENT_START_DASH=20, COMMENT=21, COMMENT_END_DASH=22, COMMENT_END=23
//   COMMENT_END_BANG=24, RAW=25, RAW_LT=26, RAW_END_OPEN=27, RAW_END_NAME=28, PLAINTEXT=29
//   SD_ESC_START=30, SD_ESC_START_DASH=31, SD_ESC=32, SD_ESC_DASH=33, SD_ESC_DASH_DASH=34, SD_ESC_LT=35
//   SD_ESC_END_OPEN=36, SD_ESC_END_NAME=37, SD_DBL_START=38, SD_DBL=39, SD_DBL_DASH=40, SD_DBL_DASH_DASH=41
//   SD_DBL_LT=42, SD_DBL_END=43 (at most 256 attributes are recorded per tag)

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
const isAlpha = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
// Byte classes for the name and unquoted-value loops: 1 whitespace, 2 `/`, 4 `>`, 8 `=`.
const CLASS = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x09, 0x0c, 0x0d]) CLASS[c] = 1;
CLASS[0x2f] = 2;
CLASS[0x3e] = 4;
CLASS[0x3d] = 8;
/** ASCII lower-casing table. */
const LOWER = new Uint8Array(256);
for (let c = 0; c < 256; c++) LOWER[c] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
const SCRIPT = [0x73, 0x63, 0x72, 0x69, 0x70, 0x74];

/** Receives the start tags (and captured raw text) the tokenizer finds. */
export interface TokenSink {
  /** A start tag is complete; return true to capture the raw text that follows (for `<style>`). */
  startTag(t: HtmlTokenizer): boolean;
  /** Captured raw text `[start, end)` is complete. */
  rawText(t: HtmlTokenizer, start: number, end: number): void;
  /** A token was too large to rewrite and passes through unmodified. */
  oversized(what: 'tag' | 'raw-text', start: number): void;
  /**
   * A `<!--` comment of at most {@link SHORT_COMMENT} bytes ended; its data is `[start, end)`
   * (in `t.buf` at `start - t.base`). Longer comments are not reported.
   */
  comment?(t: HtmlTokenizer, start: number, end: number): void;
}

/** Longest `<!-- ... -->` comment (all bytes) reported to {@link TokenSink.comment}. */
export const SHORT_COMMENT = 64;

/** The tokenizer; read the public fields from a {@link TokenSink}. */
export class HtmlTokenizer {
  // current buffer (valid during feed and callbacks)
  buf: Uint8Array = new Uint8Array(0);
  base = 0;
  // current tag
  tagId = 0;
  tagStart = -1;
  tagEnd = 0;
  isEnd = false;
  selfClosing = false;
  foreign = false;
  /** Hash of the lower-cased tag name (`names.ts`). */
  nameHash = 0;
  oversizedTag = false;
  attrCount = 0;
  readonly aId: number[] = [];
  readonly aName: number[] = [];
  readonly aStart: number[] = [];
  readonly aEnd: number[] = [];
  /** 0: no value, 1: unquoted, 0x22/0x27: quote byte. */
  readonly aQuote: number[] = [];
  readonly ns = new NamespaceTracker();

  private state = 0 /* DATA */;
  private pos = 0;
  private hash = 0;
  private nameStart = 0;
  private cur = -1; // recorded index of the attribute being read, or -1
  private rawKind = RAW_NONE;
  private rawTag = 0;
  private rawHash = 0;
  private rawName: number[] = [];
  private rawMatch = 0;
  private rawMismatch = false;
  private ltPos = 0;
  private captureStart = -1;
  /** Absolute offset of the `<` of the `<!--` comment being read, or -1. */
  private commentStart = -1;

  constructor(
    private readonly sink: TokenSink,
    private readonly attrs: NameTable,
    private readonly maxToken: number,
  ) {}

  /** Bytes before this absolute offset will never be needed again. */
  holdFrom(): number {
    if (this.captureStart >= 0) return this.captureStart;
    if (this.tagStart >= 0) return this.tagStart;
    // a comment that may still turn out short enough for the sink: its bytes stay available
    if (this.commentStart >= 0 && this.pos - this.commentStart <= SHORT_COMMENT) return this.commentStart;
    return this.pos;
  }

  /** Tokenizes `buf` (whose first byte is at absolute offset `base`) from where the last call stopped. */
  feed(buf: Uint8Array, base: number, final: boolean): void {
    this.buf = buf;
    this.base = base;
    const n = buf.length;
    const wv = wordView(buf);
    let i = this.pos - base;
    let state = this.state;
    let c = 0;
    loop: while (i < n) {
      switch (state) {
        case 0 /* DATA */:
          {
            const j = findByte(wv, i, n, 0x3c, 0x3c3c3c3c);
            if (j < 0) {
              i = n;
              break loop;
            }
            this.tagStart = base + j;
            i = j + 1;
            state = 1 /* TAG_OPEN */;
            break;
          }
        case 1 /* TAG_OPEN */:
          c = buf[i]!;
          if (isAlpha(c)) {
            this.beginTag(false, i);
            state = 3 /* TAG_NAME */;
          } else if (c === 0x21) {
            i++;
            state = 13 /* MARKUP_DECL */;
          } else if (c === 0x2f) {
            i++;
            state = 2 /* END_TAG_OPEN */;
          } else if (c === 0x3f) {
            this.tagStart = -1;
            state = 14 /* BOGUS_COMMENT */;
          } else {
            this.tagStart = -1;
            state = 0 /* DATA */;
          }
          break;
        case 2 /* END_TAG_OPEN */:
          c = buf[i]!;
          if (isAlpha(c)) {
            this.beginTag(true, i);
            state = 3 /* TAG_NAME */;
          } else if (c === 0x3e) {
            i++;
            this.tagStart = -1;
            state = 0 /* DATA */;
          } else {
            this.tagStart = -1;
            state = 14 /* BOGUS_COMMENT */;
          }
          break;
        case 3 /* TAG_NAME */:
          {
            let h = this.hash;
            while (i < n) {
              c = buf[i]!;
              if ((CLASS[c]! & 7) !== 0) break;
              h = hashStep(h, LOWER[c]!);
              i++;
            }
            this.hash = h;
            if (i === n) break loop;
            this.nameHash = h;
            const len = base + i - this.nameStart;
            this.tagId = len <= 16 ? TAGS.lookup(h, buf, this.nameStart - base, len) : 0;
            if (c === 0x3e) {
              i++;
              state = this.emitTag(base + i);
            } else {
              i++;
              state = c === 0x2f ? 12 /* SELF_CLOSING */ : 4 /* BEFORE_ATTR_NAME */;
            }
            break;
          }
        case 4 /* BEFORE_ATTR_NAME */:
          c = buf[i]!;
          if (isWs(c)) i++;
          else if (c === 0x2f || c === 0x3e) state = 6 /* AFTER_ATTR_NAME */;
          else {
            this.beginAttr(i);
            if (c === 0x3d) {
              this.hash = hashStep(this.hash, c);
              i++;
            }
            state = 5 /* ATTR_NAME */;
          }
          break;
        case 5 /* ATTR_NAME */:
          {
            let h = this.hash;
            while (i < n) {
              c = buf[i]!;
              if (CLASS[c] !== 0) break;
              h = hashStep(h, LOWER[c]!);
              i++;
            }
            this.hash = h;
            if (i === n) break loop;
            this.endAttrName(i);
            if (c === 0x3d) {
              i++;
              state = 7 /* BEFORE_ATTR_VALUE */;
            } else state = 6 /* AFTER_ATTR_NAME */;
            break;
          }
        case 6 /* AFTER_ATTR_NAME */:
          c = buf[i]!;
          if (isWs(c)) i++;
          else if (c === 0x2f) {
            i++;
            state = 12 /* SELF_CLOSING */;
          } else if (c === 0x3d) {
            i++;
            state = 7 /* BEFORE_ATTR_VALUE */;
          } else if (c === 0x3e) {
            i++;
            state = this.emitTag(base + i);
          } else {
            this.beginAttr(i);
            state = 5 /* ATTR_NAME */;
          }
          break;
        case 7 /* BEFORE_ATTR_VALUE */:
          c = buf[i]!;
          if (isWs(c)) i++;
          else if (c === 0x22 || c === 0x27) {
            i++;
            this.beginValue(i, c);
            state = c === 0x22 ? 8 /* ATTR_DQ */ : 9 /* ATTR_SQ */;
          } else if (c === 0x3e) {
            i++;
            state = this.emitTag(base + i);
          } else {
            this.beginValue(i, 1);
            state = 10 /* ATTR_UNQ */;
          }
          break;
        case 8 /* ATTR_DQ */:
        case 9 /* ATTR_SQ */:
          {
            const j =
              state === 8 /* ATTR_DQ */
                ? findByte(wv, i, n, 0x22, 0x22222222)
                : findByte(wv, i, n, 0x27, 0x27272727);
            if (j < 0) {
              i = n;
              break loop;
            }
            this.endValue(j);
            i = j + 1;
            state = 11 /* AFTER_ATTR_QUOTED */;
            break;
          }
        case 10 /* ATTR_UNQ */:
          while (i < n) {
            c = buf[i]!;
            if ((CLASS[c]! & 5) !== 0) break;
            i++;
          }
          if (i === n) break loop;
          this.endValue(i);
          i++;
          state = c === 0x3e ? this.emitTag(base + i) : 4 /* BEFORE_ATTR_NAME */;
          break;
        case 11 /* AFTER_ATTR_QUOTED */:
          c = buf[i]!;
          if (isWs(c)) {
            i++;
            state = 4 /* BEFORE_ATTR_NAME */;
          } else if (c === 0x2f) {
            i++;
            state = 12 /* SELF_CLOSING */;
          } else if (c === 0x3e) {
            i++;
            state = this.emitTag(base + i);
          } else state = 4 /* BEFORE_ATTR_NAME */;
          break;
        case 12 /* SELF_CLOSING */:
          if (buf[i] === 0x3e) {
            i++;
            this.selfClosing = true;
            state = this.emitTag(base + i);
          } else state = 4 /* BEFORE_ATTR_NAME */;
          break;
        case 13 /* MARKUP_DECL */:
          {
            const r = this.markupDecl(buf, i, final);
            if (r < 0) break loop; // wait for more input
            state = r;
            if (state === 19 /* COMMENT_START */) {
              this.commentStart = base + i - 2;
              i += 2;
            } else if (state === 15 /* DOCTYPE */ || state === 16 /* CDATA */) i += 7;
            this.tagStart = -1;
            break;
          }
        case 14 /* BOGUS_COMMENT */:
        case 15 /* DOCTYPE */:
          {
            const j = findByte(wv, i, n, 0x3e, 0x3e3e3e3e);
            if (j < 0) {
              i = n;
              break loop;
            }
            i = j + 1;
            state = 0 /* DATA */;
            break;
          }
        case 16 /* CDATA */:
          {
            const j = buf.indexOf(0x5d, i);
            if (j < 0) {
              i = n;
              break loop;
            }
            i = j + 1;
            state = 17 /* CDATA_BRACKET */;
            break;
          }
        case 17 /* CDATA_BRACKET */:
          if (buf[i] === 0x5d) {
            i++;
            state = 18 /* CDATA_END */;
          } else state = 16 /* CDATA */;
          break;
        case 18 /* CDATA_END */:
          c = buf[i]!;
          if (c === 0x5d) i++;
          else if (c === 0x3e) {
            i++;
            state = 0 /* DATA */;
          } else state = 16 /* CDATA */;
          break;
        case 19 /* COMMENT_START */:
          c = buf[i]!;
          if (c === 0x2d) {
            i++;
            state = 20 /* COMMENT_START_DASH */;
          } else if (c === 0x3e) {
            i++;
            this.commentStart = -1;
            state = 0 /* DATA */;
          } else state = 21 /* COMMENT */;
          break;
        case 20 /* COMMENT_START_DASH */:
          c = buf[i]!;
          if (c === 0x2d) {
            i++;
            state = 23 /* COMMENT_END */;
          } else if (c === 0x3e) {
            i++;
            this.commentStart = -1;
            state = 0 /* DATA */;
          } else state = 21 /* COMMENT */;
          break;
        case 21 /* COMMENT */:
          {
            const j = findByte(wv, i, n, 0x2d, 0x2d2d2d2d);
            if (j < 0) {
              i = n;
              break loop;
            }
            i = j + 1;
            state = 22 /* COMMENT_END_DASH */;
            break;
          }
        case 22 /* COMMENT_END_DASH */:
          if (buf[i] === 0x2d) {
            i++;
            state = 23 /* COMMENT_END */;
          } else state = 21 /* COMMENT */;
          break;
        case 23 /* COMMENT_END */:
          c = buf[i]!;
          if (c === 0x3e) {
            this.commentEnd(base + i, 2);
            i++;
            state = 0 /* DATA */;
          } else if (c === 0x21) {
            i++;
            state = 24 /* COMMENT_END_BANG */;
          } else if (c === 0x2d) i++;
          else state = 21 /* COMMENT */;
          break;
        case 24 /* COMMENT_END_BANG */:
          c = buf[i]!;
          if (c === 0x2d) {
            i++;
            state = 22 /* COMMENT_END_DASH */;
          } else if (c === 0x3e) {
            this.commentEnd(base + i, 3);
            i++;
            state = 0 /* DATA */;
          } else state = 21 /* COMMENT */;
          break;
        case 29 /* PLAINTEXT */:
          i = n;
          break;
        case 25 /* RAW */:
          {
            const j = findByte(wv, i, n, 0x3c, 0x3c3c3c3c);
            if (j < 0) {
              i = n;
              break loop;
            }
            this.ltPos = base + j;
            i = j + 1;
            state = 26 /* RAW_LT */;
            break;
          }
        case 26 /* RAW_LT */:
          c = buf[i]!;
          if (c === 0x2f) {
            i++;
            state = 27 /* RAW_END_OPEN */;
          } else if (c === 0x21 && this.rawKind === RAW_SCRIPT) {
            i++;
            state = 30 /* SD_ESC_START */;
          } else state = 25 /* RAW */;
          break;
        case 27 /* RAW_END_OPEN */:
        case 36 /* SD_ESC_END_OPEN */:
          if (isAlpha(buf[i]!)) {
            this.rawMatch = 0;
            state = state === 27 /* RAW_END_OPEN */ ? 28 /* RAW_END_NAME */ : 37 /* SD_ESC_END_NAME */;
          } else state = state === 27 /* RAW_END_OPEN */ ? 25 /* RAW */ : 32 /* SD_ESC */;
          break;
        case 28 /* RAW_END_NAME */:
        case 37 /* SD_ESC_END_NAME */:
          {
            const back = state === 28 /* RAW_END_NAME */ ? 25 /* RAW */ : 32 /* SD_ESC */;
            const name = this.rawName;
            let k = this.rawMatch;
            while (i < n) {
              c = buf[i]!;
              if (!isAlpha(c)) break;
              if (k < name.length && (c | 0x20) === name[k]) {
                k++;
                i++;
              } else {
                k = -1;
                break;
              }
            }
            this.rawMatch = k;
            if (k < 0) {
              state = back;
              break;
            }
            if (i === n) break loop;
            if (k === name.length && (isWs(c) || c === 0x2f || c === 0x3e)) {
              if (this.captureStart >= 0) {
                const start = this.captureStart;
                this.captureStart = -1;
                this.sink.rawText(this, start, this.ltPos);
              }
              this.rawKind = RAW_NONE;
              // An end tag carries no edits, so nothing of it is held: its `<` may already have
              // been emitted with an earlier chunk (holding from there would reach before the
              // buffer). Its attributes, if any, are only skipped over.
              this.beginTag(true, i);
              this.tagStart = -1;
              this.tagId = this.rawTag;
              this.nameHash = this.rawHash;
              i++;
              state =
                c === 0x3e
                  ? this.emitTag(base + i)
                  : c === 0x2f
                    ? 12 /* SELF_CLOSING */
                    : 4 /* BEFORE_ATTR_NAME */;
            } else state = back;
            break;
          }
        // ---- script data escape states (WHATWG 13.2.5.20-13.2.5.32) ----
        case 30 /* SD_ESC_START */:
          if (buf[i] === 0x2d) {
            i++;
            state = 31 /* SD_ESC_START_DASH */;
          } else state = 25 /* RAW */;
          break;
        case 31 /* SD_ESC_START_DASH */:
          if (buf[i] === 0x2d) {
            i++;
            state = 34 /* SD_ESC_DASH_DASH */;
          } else state = 25 /* RAW */;
          break;
        case 32 /* SD_ESC */:
        case 39 /* SD_DBL */:
          {
            const dbl = state === 39 /* SD_DBL */;
            while (i < n) {
              c = buf[i]!;
              if (c === 0x2d || c === 0x3c) break;
              i++;
            }
            if (i === n) break loop;
            i++;
            if (c === 0x2d) state = dbl ? 40 /* SD_DBL_DASH */ : 33 /* SD_ESC_DASH */;
            else state = dbl ? 42 /* SD_DBL_LT */ : this.escLt(base + i - 1);
            break;
          }
        case 33 /* SD_ESC_DASH */:
        case 40 /* SD_DBL_DASH */:
          {
            const dbl = state === 40 /* SD_DBL_DASH */;
            c = buf[i]!;
            if (c === 0x2d) {
              i++;
              state = dbl ? 41 /* SD_DBL_DASH_DASH */ : 34 /* SD_ESC_DASH_DASH */;
            } else if (c === 0x3c) {
              i++;
              state = dbl ? 42 /* SD_DBL_LT */ : this.escLt(base + i - 1);
            } else state = dbl ? 39 /* SD_DBL */ : 32 /* SD_ESC */;
            break;
          }
        case 34 /* SD_ESC_DASH_DASH */:
        case 41 /* SD_DBL_DASH_DASH */:
          {
            const dbl = state === 41 /* SD_DBL_DASH_DASH */;
            c = buf[i]!;
            if (c === 0x2d) i++;
            else if (c === 0x3c) {
              i++;
              state = dbl ? 42 /* SD_DBL_LT */ : this.escLt(base + i - 1);
            } else if (c === 0x3e) {
              i++;
              state = 25 /* RAW */;
            } else state = dbl ? 39 /* SD_DBL */ : 32 /* SD_ESC */;
            break;
          }
        case 35 /* SD_ESC_LT */:
          c = buf[i]!;
          if (c === 0x2f) {
            i++;
            state = 36 /* SD_ESC_END_OPEN */;
          } else if (isAlpha(c)) {
            this.rawMatch = 0;
            this.rawMismatch = false;
            state = 38 /* SD_DBL_START */;
          } else state = 32 /* SD_ESC */;
          break;
        case 42 /* SD_DBL_LT */:
          if (buf[i] === 0x2f) {
            i++;
            this.rawMatch = 0;
            this.rawMismatch = false;
            state = 43 /* SD_DBL_END */;
          } else state = 39 /* SD_DBL */;
          break;
        case 38 /* SD_DBL_START */:
        case 43 /* SD_DBL_END */:
          {
            const start = state === 38 /* SD_DBL_START */;
            const other = start ? 32 /* SD_ESC */ : 39 /* SD_DBL */;
            let k = this.rawMatch;
            let bad = this.rawMismatch;
            while (i < n) {
              c = buf[i]!;
              if (!isAlpha(c)) break;
              if (!bad && k < 6 && (c | 0x20) === SCRIPT[k]) k++;
              else bad = true;
              i++;
            }
            this.rawMatch = k;
            this.rawMismatch = bad;
            if (i === n) break loop;
            if (isWs(c) || c === 0x2f || c === 0x3e) {
              i++;
              const hit = !bad && k === 6;
              state = start
                ? hit
                  ? 39 /* SD_DBL */
                  : 32 /* SD_ESC */
                : hit
                  ? 32 /* SD_ESC */
                  : 39 /* SD_DBL */;
            } else state = other;
            break;
          }
      }
    }
    this.pos = base + i;
    this.state = state;
    this.checkSize(final);
  }

  /** A `<!--` comment ends at the `>` at absolute `gt`, after `closer` bytes (`--` or `--!`). */
  private commentEnd(gt: number, closer: number): void {
    const start = this.commentStart;
    this.commentStart = -1;
    if (start >= 0 && gt + 1 - start <= SHORT_COMMENT) this.sink.comment?.(this, start + 4, gt - closer);
  }

  /** `<` seen in script-data-escaped: remember it as a possible end-tag start. */
  private escLt(at: number): S {
    this.ltPos = at;
    return 35 /* SD_ESC_LT */;
  }

  private checkSize(final: boolean): void {
    const end = this.pos;
    if (this.tagStart >= 0 && !this.oversizedTag && end - this.tagStart > this.maxToken && !final) {
      this.oversizedTag = true;
      this.attrCount = 0;
      this.cur = -1;
      this.sink.oversized('tag', this.tagStart);
    }
    if (this.oversizedTag && this.tagStart >= 0) this.tagStart = -1;
    if (this.captureStart >= 0 && end - this.captureStart > this.maxToken && !final) {
      this.sink.oversized('raw-text', this.captureStart);
      this.captureStart = -1;
    }
  }

  /** Markup declaration open: next state, or -1 to wait for more bytes. */
  private markupDecl(buf: Uint8Array, i: number, final: boolean): S | -1 {
    const avail = buf.length - i;
    const c = buf[i]!;
    if (c === 0x2d) {
      if (avail < 2) return final ? 14 /* BOGUS_COMMENT */ : -1;
      return buf[i + 1] === 0x2d ? 19 /* COMMENT_START */ : 14 /* BOGUS_COMMENT */;
    }
    const word = (c | 0x20) === 0x64 ? 'doctype' : c === 0x5b && this.ns.inForeign ? '[CDATA[' : '';
    if (word === '') return 14 /* BOGUS_COMMENT */;
    const ci = word === 'doctype';
    for (let k = 0; k < 7; k++) {
      if (k >= avail) return final ? 14 /* BOGUS_COMMENT */ : -1;
      const b = buf[i + k]!;
      if ((ci ? lower(b) : b) !== word.charCodeAt(k)) return 14 /* BOGUS_COMMENT */;
    }
    return ci ? 15 /* DOCTYPE */ : 16 /* CDATA */;
  }

  private beginTag(isEnd: boolean, i: number): void {
    this.isEnd = isEnd;
    this.selfClosing = false;
    this.oversizedTag = false;
    this.attrCount = 0;
    this.cur = -1;
    this.hash = HASH_SEED;
    this.nameStart = this.base + i;
  }

  private beginAttr(i: number): void {
    this.hash = HASH_SEED;
    this.nameStart = this.base + i;
    this.cur = -1;
  }

  private endAttrName(i: number): void {
    if (this.isEnd || this.oversizedTag) return;
    const len = this.base + i - this.nameStart;
    const id = len <= 32 ? this.attrs.lookup(this.hash, this.buf, this.nameStart - this.base, len) : 0;
    if (id === 0 || this.attrCount >= 256 /* MAX_ATTRS */) return;
    const k = this.attrCount++;
    this.aId[k] = id;
    this.aName[k] = this.nameStart;
    this.aQuote[k] = 0;
    this.aStart[k] = this.aEnd[k] = this.base + i;
    this.cur = k;
  }

  private beginValue(i: number, quote: number): void {
    const k = this.cur;
    if (k < 0) return;
    this.aQuote[k] = quote;
    this.aStart[k] = this.base + i;
  }

  private endValue(i: number): void {
    const k = this.cur;
    if (k < 0) return;
    this.aEnd[k] = this.base + i;
    this.cur = -1;
  }

  /** A tag is complete at absolute offset `end`: update namespaces, notify, pick the next state. */
  private emitTag(end: number): S {
    this.tagEnd = end;
    this.cur = -1;
    let next = 0 /* DATA */;
    if (this.isEnd) {
      this.ns.endTag(this.tagId, this.nameHash);
    } else {
      const raw = this.ns.startTag(this);
      const capture = this.sink.startTag(this);
      if (raw !== RAW_NONE) {
        this.rawKind = raw;
        if (raw === RAW_PLAINTEXT) next = 29 /* PLAINTEXT */;
        else {
          this.rawTag = this.tagId;
          this.rawHash = this.nameHash;
          this.rawName = Array.from(TAGS.names[this.rawTag]!, (ch) => ch.charCodeAt(0));
          next = 25 /* RAW */;
          if (capture) this.captureStart = end;
        }
      }
    }
    this.tagStart = -1;
    return next;
  }
}
