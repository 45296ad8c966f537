/**
 * `interceptResponse`: the Express side of the bridge. The response's `writeHead`/`write`/`end`
 * (and `emit` for `drain`) are routed through the rewriter, the way `compression` does; every
 * listener stays on the response itself, so `on`/`once`/`off`/`prependListener`/`listenerCount`,
 * `events.once(res, 'drain')` and `stream.pipeline` behave as on a plain response.
 * @module
 */
import { ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import {
  applyHeaderPolicy,
  issueCookies,
  jsonBodyTooLarge,
  type RewriteDecision,
  signJsonText,
} from '@cfsign/response';
import type { RewriteFormat } from '@cfsign/rewriter';
import type { NodeSigning } from './begin-request.js';
import { applyHeadArgs, bytesOf, utf8TextOrBytes } from './head-args.js';
import { misorderError } from './misorder.js';
import { frameHead, nodeHeaders } from './node-headers.js';
import { everyByteSent, ReusableOutput } from './output-pool.js';
import { Pump } from './pump.js';
import { dropPendingEtag } from './request-guard.js';
import { rewriteStream } from './rewrite-stream.js';
import { shouldRewrite } from './should-rewrite.js';
import { rewriteWhole } from './whole-body.js';

type Cb = ((err?: Error | null) => void) | undefined;
type Fn = (...args: unknown[]) => unknown;
/** `undecided` → `pass` | `head` | `rewrite` | `failed`; `head`/`rewrite` → `failed`. */
type State = 'undecided' | 'pass' | 'head' | 'rewrite' | 'failed';

/**
 * The intercepted response: a small state machine whose transitions are the named methods
 * `toPass`, `toHead`, `toRewrite` and `toFailed`.
 */
class Interception {
  state: State = 'undecided';
  private readonly res: ServerResponse;
  private readonly orig: { writeHead: Fn; write: Fn; end: Fn; emit: Fn; flush: Fn | undefined };
  private decision: Extract<RewriteDecision, { rewrite: true }> | undefined;
  /** Cookies added (resolves before the first byte leaves). */
  private ready: Promise<void> = Promise.resolve();
  private out: Transform | null = null;
  private json: Buffer[] | null = null;
  private jsonBytes = 0;
  /** The app called `end()`. */
  private ended = false;
  /** Our own bytes are going out: `writeHead` calls from Node pass straight through. */
  private sending = false;
  /** Moves the rewritten bytes to the socket (once the cookies are added). */
  private pump: Pump | null = null;
  /** After a failure before the headers, the framework's error handler may answer (the producer may not). */
  private gateOpen = false;
  private failStatus = 0;
  private errorEnded = false;
  readonly patched: { writeHead: Fn; write: Fn; end: Fn; emit: Fn };
  /** The `on` of a body encoder below us, whose `drain` comes from its own stream; else `null`. */
  private readonly belowOn: Fn | null;

  constructor(
    private readonly s: NodeSigning,
    private readonly onError: (err: unknown) => void,
  ) {
    const res = s.res;
    this.res = res;
    const own = res as unknown as Record<'writeHead' | 'write' | 'end' | 'emit' | 'flush', Fn>;
    this.orig = {
      writeHead: own.writeHead,
      write: own.write,
      end: own.end,
      emit: own.emit,
      flush: own.flush,
    };
    const self = this;
    this.patched = {
      writeHead(this: ServerResponse, ...args: unknown[]) {
        return self.writeHead(args);
      },
      write(this: ServerResponse, chunk: unknown, encoding?: unknown, cb?: unknown) {
        return self.write(chunk, encoding, cb);
      },
      end(this: ServerResponse, chunk?: unknown, encoding?: unknown, cb?: unknown) {
        return self.end(chunk, encoding, cb);
      },
      // Observes the socket's drain (for the pump); every listener still gets it, as on a plain response.
      emit(this: ServerResponse, ...args: unknown[]) {
        if (args[0] === 'drain' && self.state === 'rewrite') self.pump?.drained();
        return self.orig.emit.apply(res, args);
      },
    };
    // A body encoder mounted before us (compression) moved `drain` listeners to its own stream.
    const protoOn = (Object.getPrototypeOf(res) as { on: unknown }).on;
    this.belowOn = res.on === protoOn ? null : (res.on as unknown as Fn);
    Object.assign(res, this.patched);
  }

  private gate(): boolean {
    return this.gateOpen || (this.state === 'failed' && this.res.statusCode !== this.failStatus);
  }

  /** Decides once, from the headers as they are when the first byte (or the head) is produced. */
  private decide(): void {
    if (this.state !== 'undecided') return;
    const d = this.s.decide();
    if (d.rewrite) {
      if (d.headOnly) this.toHead(d);
      else this.toRewrite(d);
      return;
    }
    // A body encoder mounted after us (compression) already took the page: never leave it unsigned.
    if (
      d.reason === 'already-encoded' &&
      this.res.write !== this.patched.write &&
      shouldRewrite(this.s.req, {
        statusCode: this.res.statusCode,
        getHeader: (n) => (n === 'content-encoding' ? undefined : this.res.getHeader(n)),
      }).rewrite
    ) {
      this.state = 'rewrite';
      this.toFailed(misorderError('express'));
      return;
    }
    this.toPass();
    this.s.skip(d.reason);
  }

  /** Pass-through: the response's own methods come back (unless something patched them after us). */
  private toPass(): void {
    this.state = 'pass';
    dropPendingEtag(this.res);
    const res = this.res as unknown as Record<string, unknown>;
    for (const name of ['writeHead', 'write', 'end', 'emit'] as const)
      if (res[name] === this.patched[name]) res[name] = this.orig[name];
  }

  private begin(d: Extract<RewriteDecision, { rewrite: true }>): boolean {
    this.decision = d;
    const h = nodeHeaders(this.res);
    applyHeaderPolicy(h, this.s.prepared, {});
    let session: ReturnType<NodeSigning['session']>;
    try {
      session = this.s.session();
    } catch (err) {
      this.toFailed(err);
      return false;
    }
    this.ready = issueCookies(h, session);
    this.ready.catch((err: unknown) => this.toFailed(err));
    return true;
  }

  /** HEAD: GET's headers (the same policy, the same cookies), no body, no `Content-Length`. */
  private toHead(d: Extract<RewriteDecision, { rewrite: true }>): void {
    this.state = 'head';
    if (this.begin(d)) frameHead(this.res);
  }

  private toRewrite(d: Extract<RewriteDecision, { rewrite: true }>): void {
    this.state = 'rewrite';
    if (!this.begin(d)) return;
    const flush = this.orig.flush;
    if (flush !== undefined)
      (this.res as { flush?: () => void }).flush = () => {
        const out = this.out;
        if (this.state !== 'rewrite' || out === null || out.writableLength === 0) flush.call(this.res);
        else out.write(Buffer.alloc(0), () => flush.call(this.res));
      };
  }

  toFailed(err: unknown): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.out?.destroy();
    const res = this.res;
    if (!res.headersSent) dropPendingEtag(res);
    if (res.headersSent || res.destroyed) {
      res.destroy();
      this.onError(err);
      return;
    }
    this.failStatus = res.statusCode;
    this.gateOpen = true;
    try {
      this.onError(err);
    } finally {
      this.gateOpen = false;
    }
  }

  /** The rewrite stream of a streamed body, pumped to the socket once the cookies are added. */
  private stream(): Transform {
    if (this.out !== null) return this.out;
    const d = this.decision!;
    const out = rewriteStream(this.s.session(), d.format as RewriteFormat, d.charset);
    this.out = out;
    const res = this.res;
    out.on('drain', () => this.orig.emit.call(res, 'drain'));
    out.on('error', (err) => this.toFailed(err));
    const pump = new Pump(
      out,
      (chunk) => this.orig.write.call(res, chunk),
      () => this.orig.end.call(res),
      // Below an encoder the bytes wait in its stream, which `writableLength` does not count.
      this.belowOn === null ? () => res.writableLength : undefined,
    );
    this.pump = pump;
    if (this.belowOn !== null) this.belowOn.call(res, 'drain', () => pump.drained());
    this.ready.then(() => {
      if (this.state !== 'rewrite') return;
      this.sending = true;
      pump.start();
    });
    return out;
  }

  /** A body handed over whole: rewritten (or signed, for JSON) at once, sent with its exact length. */
  private whole(body: Buffer | string): void {
    const d = this.decision!;
    let out: Uint8Array | Promise<Uint8Array>;
    let output: ReusableOutput | null = null;
    try {
      const session = this.s.session();
      if (d.format === 'json') {
        const p = this.s.prepared;
        const keys = p.signJson === false ? null : p.signJson;
        const text = typeof body === 'string' ? body : body.toString('utf8');
        out = signJsonText(text, session, keys, p.maxJsonBytes).then((t) => Buffer.from(t));
      } else {
        // Written by Node's own `end`, the page can go into memory reused by the next response.
        output = this.orig.end === ServerResponse.prototype.end ? new ReusableOutput() : null;
        out = rewriteWhole(session, this.s.memo, d.format, d.charset, body, output?.allocate);
      }
    } catch (err) {
      this.toFailed(err);
      return;
    }
    Promise.all([out, this.ready]).then(
      ([bytes]) => {
        if (this.state !== 'rewrite') return;
        this.sending = true;
        this.res.setHeader('content-length', bytes.length);
        this.orig.end.call(this.res, bytes);
        if (output !== null && everyByteSent(this.res, this.orig.end)) output.release();
      },
      (err: unknown) => this.toFailed(err),
    );
  }

  writeHead(args: unknown[]): unknown {
    const res = this.res;
    if (this.sending || this.state === 'pass' || this.state === 'failed')
      return this.orig.writeHead.apply(res, args);
    applyHeadArgs(res, args);
    this.decide();
    const now = this.state as State;
    if (now === 'pass' || (now === 'failed' && this.gate()))
      return this.orig.writeHead.call(res, res.statusCode);
    return res; // head and rewrite: the head goes out with the first rewritten bytes (or the end)
  }

  write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    this.decide();
    if (this.state === 'pass' || (this.state === 'failed' && this.gate()))
      return this.orig.write.call(this.res, chunk, encoding, cb) as boolean;
    const done = (typeof encoding === 'function' ? encoding : cb) as Cb;
    if (this.state === 'failed' || this.state === 'head' || this.ended) {
      if (done !== undefined) queueMicrotask(() => done());
      return true;
    }
    if (this.decision!.format === 'json') {
      const b = bytesOf(chunk, encoding);
      this.json ??= [];
      this.json.push(b);
      this.jsonBytes += b.length;
      if (this.jsonBytes > this.s.prepared.maxJsonBytes)
        this.toFailed(jsonBodyTooLarge(this.s.prepared.maxJsonBytes));
      if (done !== undefined) queueMicrotask(() => done());
      return true;
    }
    const free = this.stream().write(
      chunk,
      typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
      done,
    );
    // Below an encoder the app's `drain` listeners sit on the encoder's stream: only its backpressure is reported.
    return this.belowOn === null ? free : !this.pump!.congested;
  }

  end(chunk?: unknown, encoding?: unknown, cb?: unknown): ServerResponse {
    const res = this.res;
    if (typeof chunk === 'function') [cb, chunk] = [chunk, undefined];
    else if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
    this.decide();
    if (this.state === 'pass' || (this.state === 'failed' && this.gate() && !this.errorEnded)) {
      if (this.state === 'failed') this.errorEnded = true;
      return this.orig.end.call(res, chunk, encoding, cb) as ServerResponse;
    }
    if (this.ended || this.state === 'failed') {
      if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
      return res;
    }
    this.ended = true;
    if (typeof cb === 'function') res.once('finish', cb as () => void);
    const has = chunk !== undefined && chunk !== null;
    if (this.state === 'head') {
      this.ready.then(() => {
        if (this.state !== 'head') return;
        this.sending = true;
        this.orig.end.call(res);
      });
    } else if (this.decision!.format === 'json') {
      const parts = this.json ?? [];
      if (has) parts.push(bytesOf(chunk, encoding));
      this.json = null;
      this.whole(Buffer.concat(parts));
    } else if (this.out === null && has) this.whole(utf8TextOrBytes(chunk, encoding));
    else if (has)
      this.stream().end(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else this.stream().end();
    return res;
  }
}

/**
 * Routes the body of `signing.res` through the response layer, whatever writes it (`res.send`,
 * `res.json`, `res.render`, `res.write` + `res.end`, piped streams, `express.static`):
 * streamed bodies through the rewriter with backpressure, whole bodies in one pass (exact
 * `Content-Length`), JSON signed (with `signJson`), `HEAD` with GET's headers. A failure before
 * the first byte goes to `onError` (the framework's error handler); after it, the connection is
 * aborted (never a clean truncated page).
 *
 * @example
 * ```ts
 * const signing = beginRequest(prepared, req, res, info);
 * interceptResponse(signing, next);
 * next();
 * ```
 */
export function interceptResponse(signing: NodeSigning, onError: (err: unknown) => void): void {
  new Interception(signing, onError);
}
