/**
 * The low-level rewriter: a format, a link resolver, and bytes in / bytes out. Rules and signing
 * are layered on top by {@link createRewriter}; use this directly to plug in your own resolver.
 * @module
 */
import { CfsignError } from '@cfsign/core';
import { CssScanner } from './css/css-scanner.js';
import { DashScanner } from './dash/dash-scanner.js';
import { HlsScanner } from './hls/hls-scanner.js';
import type { SniffResult } from './html/charset-prescan.js';
import { CharsetSniffer } from './html/charset-sniffer.js';
import { HtmlScanner } from './html/html-scanner.js';
import { type Charset, resolveCharset } from './stream/charset.js';
import { RewriteEngine, type Scanner } from './stream/chunk-engine.js';
import type { LinkResolver } from './stream/link-resolver.js';
import type { RewriteSkipReason, ScanOptions } from './stream/scan-options.js';
import { rewriteText } from './stream/text-scratch.js';

/** Body formats the rewriter understands. */
export type RewriteFormat = 'html' | 'css' | 'hls' | 'dash';

/** Options of {@link createRewriteStream} and {@link rewriteBytes}. */
export interface RewriteStreamOptions {
  /** Maps each link found to its replacement, or `null` to leave it. May return a Promise. */
  resolve: LinkResolver;
  /**
   * Charset label of the `Content-Type` header. HTML: a byte order mark overrides it, and without
   * it the first 1024 bytes are prescanned for `<meta charset>`, as browsers do; undeclared is
   * UTF-8 (signed URLs are ASCII, so a browser's own guess reads them alike). Other formats:
   * default UTF-8. ASCII-incompatible encodings (UTF-16,
   * ISO-2022-JP) pass through untouched, reported as `'charset'`.
   */
  charset?: string;
  /** Extra HTML URL attributes such as `data-src` (`*srcset` names are parsed as srcsets). */
  attributes?: readonly string[];
  /** Largest tag, `<style>` body, CSS token or playlist line rewritten (default 1 MiB); larger ones pass through. */
  maxTokenBytes?: number;
  /**
   * `url()` inside CSS comments (`<style>`, `style=""`, CSS responses): `'rewrite'` (default) signs
   * them like any other URL, `'skip'` leaves them alone. The default keeps the output byte-exact
   * with the standard benchmark page's ideal output (which signs them); the grant still stays
   * inside what the rules name. A `url(` inside a CSS string is never rewritten either way.
   */
  cssComments?: 'rewrite' | 'skip';
  /** Called when something is left untouched on purpose. */
  onSkip?: (reason: RewriteSkipReason, detail: string) => void;
  /**
   * Where output bytes are written: given a size, a `Uint8Array` of at least that many bytes, whose
   * first `size` bytes become the output (default: a fresh buffer for every output). Only for a
   * caller that knows when the memory is free again: the output refers to it until then. Output that
   * is unchanged input is returned as a view of the input, without calling it.
   */
  allocate?: (size: number) => Uint8Array;
}

const DEFAULT_MAX_TOKEN = 1 << 20;
const FORMATS: readonly unknown[] = ['html', 'css', 'hls', 'dash'];

class Passthrough implements Scanner {
  scan(buf: Uint8Array, base: number): number {
    return base + buf.length;
  }
}

function scannerFor(format: RewriteFormat, o: RewriteStreamOptions): Scanner {
  if (!FORMATS.includes(format))
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `Unknown format ${typeof format === 'string' ? JSON.stringify(format) : typeof format}; use 'html', 'css', 'hls' or 'dash'.`,
    );
  if (typeof o?.resolve !== 'function')
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      '"resolve" must be a function (url, context) => string | null | Promise<string | null>.',
    );
  if (o.cssComments !== undefined && o.cssComments !== 'rewrite' && o.cssComments !== 'skip')
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      `"cssComments" must be 'rewrite' (default) or 'skip', not ${typeof o.cssComments === 'string' ? JSON.stringify(o.cssComments) : typeof o.cssComments}.`,
    );
  if (format === 'html') return new CharsetSniffer(o.charset, (found) => htmlScanner(found, o));
  const charset = resolveCharset(o.charset);
  if (charset === null) return passthrough(o, o.charset ?? '');
  const opts = scanOptions(o, charset, !charset.utf8);
  switch (format) {
    case 'css':
      return new CssScanner(opts);
    case 'hls':
      return new HlsScanner(opts);
    case 'dash':
      return new DashScanner(opts);
    default:
      // Cannot happen: the format was checked on entry.
      throw new CfsignError('ERR_INVALID_ARGUMENT', `Unknown format ${JSON.stringify(format)}.`);
  }
}

function passthrough(o: RewriteStreamOptions, detail: string): Scanner {
  o.onSkip?.('charset', detail);
  return new Passthrough();
}

function scanOptions(o: RewriteStreamOptions, charset: Charset, asciiOnly: boolean): ScanOptions {
  return {
    decoder: charset.decoder,
    asciiOnly,
    attributes: o.attributes ?? [],
    maxTokenBytes: o.maxTokenBytes ?? DEFAULT_MAX_TOKEN,
    skipCssComments: o.cssComments === 'skip',
    onSkip: o.onSkip,
  };
}

/** The HTML scanner for the encoding found (undeclared: UTF-8). */
function htmlScanner(found: SniffResult, o: RewriteStreamOptions): Scanner {
  const charset = resolveCharset(found.encoding ?? 'utf-8');
  if (charset === null) return passthrough(o, `${found.encoding} (from the ${found.source})`);
  return new HtmlScanner(scanOptions(o, charset, !charset.utf8));
}

/**
 * The push-based engine behind every stream wrapper: `push(chunk, final)` returns the bytes ready
 * to emit (or a Promise of them when a signature is async). For custom stream plumbing.
 *
 * @example
 * ```ts
 * const engine = createEngine('hls', { resolve });
 * const head = engine.push(chunk1, false);
 * const tail = engine.push(new Uint8Array(0), true);
 * ```
 */
export function createEngine(format: RewriteFormat, options: RewriteStreamOptions): RewriteEngine {
  const scanner = scannerFor(format, options);
  if (options.allocate !== undefined && typeof options.allocate !== 'function')
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      '"allocate" must be a function (size) => Uint8Array, or left out.',
    );
  return new RewriteEngine(scanner, options.resolve, options.allocate);
}

/** Normalizes a chunk to bytes, or throws `ERR_INVALID_ARGUMENT`. */
export function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new CfsignError(
    'ERR_INVALID_ARGUMENT',
    `The rewriter takes bytes (Uint8Array chunks), got ${chunk === null ? 'null' : typeof chunk}; encode strings with TextEncoder first.`,
  );
}

/**
 * A Web `TransformStream` (bytes in, bytes out) rewriting the links of one body. Output is the
 * same however the input is chunked; if a signature fails, the stream errors (never truncates).
 *
 * @example
 * ```ts
 * const out = response.body!.pipeThrough(
 *   createRewriteStream('html', { resolve: (url) => (url.startsWith('/private/') ? sign(url) : null) }),
 * );
 * ```
 */
export function createRewriteStream(
  format: RewriteFormat,
  options: RewriteStreamOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const engine = createEngine(format, options);
  const emit = (out: Uint8Array, c: TransformStreamDefaultController<Uint8Array>) => {
    if (out.length > 0) c.enqueue(out);
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const out = engine.push(toBytes(chunk), false);
      if (out instanceof Promise) return out.then((o) => emit(o, controller));
      emit(out, controller);
      return undefined;
    },
    flush(controller) {
      const out = engine.push(new Uint8Array(0), true);
      if (out instanceof Promise) return out.then((o) => emit(o, controller));
      emit(out, controller);
      return undefined;
    },
  });
}

/**
 * Rewrites a whole body held in memory; synchronous when every link resolves synchronously. A
 * string is encoded into a scratch buffer reused from one body to the next (see `rewriteText`):
 * pass a page built as a string as it is rather than encoding it first. The output never shares
 * memory with that buffer.
 *
 * @example
 * ```ts
 * const out = rewriteBytes('css', 'a{background:url(/private/a.png)}', { resolve: (u) => u + '?signed' });
 * new TextDecoder().decode(out as Uint8Array); // 'a{background:url(/private/a.png?signed)}'
 * ```
 */
export function rewriteBytes(
  format: RewriteFormat,
  input: Uint8Array | string,
  options: RewriteStreamOptions,
): Uint8Array | Promise<Uint8Array> {
  const engine = createEngine(format, options);
  if (typeof input === 'string') return rewriteText(input, (bytes) => engine.push(bytes, true));
  return engine.push(toBytes(input), true);
}
