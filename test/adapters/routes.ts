/**
 * What every adapter app serves (the route table the shared cases rely on), framework-neutral parts.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Signer } from '@cfsign/core';
import { CSS, HLS, page } from './harness.js';

/** Body sources an adapter can produce a page from. */
export type Source =
  | 'string'
  | 'buffer'
  | 'end-buffer'
  | 'stream'
  | 'chunks'
  | 'static'
  | 'send-file'
  | 'render'
  | 'web-stream'
  | 'response';

/** How the app under test is built. */
export interface AppSpec {
  rules: unknown;
  signer: Signer;
  /** Extra middleware options (onSkip is added by the adapter harness). */
  options?: Record<string, unknown>;
  compression?: 'before' | 'after';
  trustProxy?: boolean;
  /** The /ssr route waits for this before its second half. */
  ssrGate?: () => Promise<void>;
  /** Directory with page.html for the static routes. */
  dir: string;
  /** Told the listener counts of the response of /drain-loop once it has closed. */
  probe?: (path: string, counts: Record<string, number>) => void;
}

export interface StartedApp {
  base: string;
  errors: unknown[];
  skips: string[];
  /** Everything written to console.* while the app ran. */
  logs: string[];
  close(): Promise<void>;
}

/** Cases that need something a runtime does not have (Node's EventEmitter response, in-process memory, ...). */
export type CaseKey =
  | 'drain-loop'
  | 'trust-proxy'
  | 'memory'
  | 'authorize'
  | 'compression'
  | 'signer-failure'
  | 'stream-abort'
  | 'page-memo';

export interface Adapter {
  name: string;
  sources: readonly Source[];
  /**
   * What happens when the framework's compression is registered on the wrong side of the signer:
   * `'enforced'` (default): refused with `ERR_MIDDLEWARE_ORDER`; `'handled'`: the framework runs
   * compression after the signer whatever the order (Fastify's per-route `onSend`); `'skipped'`:
   * the compressed page passes unsigned with the reason `'already-encoded'` (documented order).
   */
  compressionOrder?: 'enforced' | 'handled' | 'skipped';
  /**
   * Conditional requests: `'type'` (default): the adapter drops the validators as soon as the
   * response gets a rewritable type; `'path'`: only when the URL names a rewritable file (Web
   * requests are immutable), so the case uses `/cond.html`.
   */
  conditional?: 'type' | 'path';
  /** Encodings the framework's compression produces (default gzip and br). */
  encodings?: ReadonlyArray<'gzip' | 'br'>;
  /** Cases this runtime cannot run, each with the reason printed. */
  unsupported?: Partial<Record<CaseKey, string>>;
  start(spec: AppSpec): Promise<StartedApp>;
}

export const BODIES = {
  css: CSS,
  hls: HLS,
  encoded: gzipSync(page()),
  json: {
    poster: '/private/a.jpg',
    items: [{ src: '/private/video/7/seg1.ts' }],
    title: '/private is a word',
    other: 'https://other.example.org/private/a.jpg',
  },
  ip: page('<a href="/private/ip/doc.pdf">doc</a>'),
  cookie: page('<video src="/private/hls/x.ts"></video>'),
  partial: page().slice(0, 10),
};

/** The chunks of the /stream-page route: one protected link per chunk. */
export function streamChunks(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `<p>${i}<img src="/private/a.jpg?n=${i}"></p>\n`);
}

/** A multi-MB HTML page produced lazily (Readable honouring backpressure). */
export function bigPage(totalBytes: number): Readable {
  const unit = `<div><img src="/private/a.jpg"><span>${'x'.repeat(400)}</span></div>\n`;
  const chunk = unit.repeat(Math.ceil(16_384 / unit.length));
  let sent = 0;
  return new Readable({
    read() {
      if (sent === 0) this.push('<!doctype html><html><body>');
      if (sent >= totalBytes) {
        this.push('</body></html>');
        this.push(null);
        return;
      }
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

/** A Readable that emits the given chunks with a delay between them. */
export function delayedStream(chunks: readonly string[], ms: number): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i >= chunks.length) {
        this.push(null);
        return;
      }
      const c = chunks[i++]!;
      setTimeout(() => this.push(c), i === 1 ? 0 : ms);
    },
  });
}

/** One 16 KiB chunk of HTML with one protected link, for the /drain-loop route (64 of them). */
export const DRAIN_CHUNK = (() => {
  const head = '<p><img src="/private/a.jpg">';
  return Buffer.from(`${head}${'x'.repeat(16_384 - head.length - 5)}</p>\n`);
})();
export const DRAIN_CHUNKS = 64;

/** The listener counts of a response (for the EventEmitter parity case). */
export function listenerCounts(res: NodeJS.EventEmitter): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ['drain', 'error', 'finish', 'close', 'unpipe', 'prefinish'])
    out[name] = res.listenerCount(name);
  return out;
}
