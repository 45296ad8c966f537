/**
 * The Express side of the bridge: intercept `writeHead`/`write`/`end`/`on('drain')` of a Node
 * `ServerResponse` (the way `compression` does) and route the body through the rewriter.
 * @module
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import type { RewriteFormat } from '@cfsign/rewriter';
import { fixHeaders } from './fix-headers.js';
import { misorderError } from './misorder.js';
import type { PreparedOptions } from './options.js';
import { appendSetCookie, pumpToResponse } from './pump.js';
import type { SigningSession } from './session.js';
import { type RewriteDecision, type SkipReason, shouldRewrite } from './should-rewrite.js';
import { rewriteWhole } from './whole-body.js';

/** What the adapter tells {@link interceptResponse}. */
export interface InterceptControl {
  prepared: PreparedOptions<unknown>;
  /** The session, created lazily (only responses that are rewritten need one). */
  session(): SigningSession;
  optedOut(): boolean;
  onSkip(reason: SkipReason): void;
  /** A failure: the response is already aborted when headers were sent; otherwise the framework answers. */
  onError(err: unknown): void;
}

type Listener = (...args: unknown[]) => void;
type Cb = ((err?: Error | null) => void) | undefined;

function applyHeadArgs(res: ServerResponse, args: unknown[]): void {
  const [status, a, b] = args;
  if (typeof status === 'number') res.statusCode = status;
  const headers = typeof a === 'string' ? b : a;
  if (typeof a === 'string') res.statusMessage = a;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      res.setHeader(String(headers[i]), headers[i + 1] as string);
  } else if (headers !== null && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as OutgoingHttpHeaders))
      if (v !== undefined) res.setHeader(k, v);
  }
}

/**
 * Patches `res` so that its body goes through the rewriter when {@link shouldRewrite} says so,
 * whatever writes it (`res.send`, `res.render`, `res.write` + `res.end`, piped streams). Headers
 * are fixed before they go out; `drain` listeners move to the rewrite stream (backpressure).
 *
 * @example
 * ```ts
 * interceptResponse(req, res, { prepared, session: () => createSession(prepared, { url, clientIp: req.ip, req }),
 *   optedOut: () => false, onSkip: () => {}, onError: next });
 * ```
 */
export function interceptResponse(req: IncomingMessage, res: ServerResponse, ctl: InterceptControl): void {
  const origWrite = res.write;
  const origEnd = res.end;
  const origWriteHead = res.writeHead;
  const origOn = res.on;
  const origFlush = (res as { flush?: () => void }).flush;
  let state = 'undecided' as 'undecided' | 'pass' | 'rewrite' | 'failed';
  let t: Transform | null = null;
  let session: SigningSession | undefined;
  let rewriting: { format: RewriteFormat; charset: string | undefined } | undefined;
  let ready: Promise<void> | undefined;
  let ended = false;
  let errorEnded = false;
  let pumping = false;
  const drains: Listener[] = [];
  // After a failure before the headers: the error handler may answer; the producer may not.
  let gateOpen = false;
  let failStatus = 0;
  const gate = () => gateOpen || (state === 'failed' && res.statusCode !== failStatus);

  const fail = (err: unknown) => {
    if (state === 'failed') return;
    state = 'failed';
    t?.destroy();
    if (res.headersSent || res.destroyed) {
      res.destroy();
      ctl.onError(err);
      return;
    }
    failStatus = res.statusCode;
    gateOpen = true;
    try {
      ctl.onError(err);
    } finally {
      gateOpen = false;
    }
  };

  const decide = () => {
    if (state !== 'undecided') return;
    const d: RewriteDecision = shouldRewrite(req, res, { optedOut: ctl.optedOut() });
    if (!d.rewrite) {
      // A body encoder mounted after us (compression) already took the page: never leave it unsigned.
      if (
        d.reason === 'already-encoded' &&
        res.write !== patched.write &&
        shouldRewrite(req, {
          statusCode: res.statusCode,
          getHeader: (n) => (n === 'content-encoding' ? undefined : res.getHeader(n)),
        }).rewrite
      ) {
        state = 'rewrite';
        fail(misorderError('express'));
        return;
      }
      state = 'pass';
      for (const l of drains) origOn.call(res, 'drain', l);
      ctl.onSkip(d.reason);
      return;
    }
    state = 'rewrite';
    fixHeaders(res, ctl.prepared);
    try {
      session = ctl.session();
    } catch (err) {
      fail(err);
      return;
    }
    rewriting = d;
    ready = session.cookies().then((cookies) => {
      if (state === 'rewrite') appendSetCookie(res, cookies);
    });
    ready.catch(fail);
    if (origFlush !== undefined)
      (res as { flush?: () => void }).flush = () => {
        if (state !== 'rewrite' || t === null || t.writableLength === 0) origFlush.call(res);
        else t.write(Buffer.alloc(0), () => origFlush.call(res));
      };
  };

  const stream = (): Transform => {
    if (t !== null) return t;
    const out = session!.transform(rewriting!.format, rewriting!.charset);
    t = out;
    for (const l of drains) out.on('drain', l);
    out.on('error', fail);
    ready!.then(() => {
      if (state !== 'rewrite') return;
      pumping = true;
      pumpToResponse(out, {
        write: (chunk) => (origWrite as (c: Buffer) => boolean).call(res, chunk),
        end: () => (origEnd as () => void).call(res),
        onDrain: (l) => origOn.call(res, 'drain', l),
      });
    }, fail);
    return out;
  };

  const whole = (bytes: Uint8Array) => {
    let out: Uint8Array | Promise<Uint8Array>;
    try {
      out = rewriteWhole(
        ctl.prepared,
        session!,
        ctl.prepared.memo,
        session!.url,
        rewriting!.format,
        rewriting!.charset,
        bytes,
      );
    } catch (err) {
      fail(err);
      return;
    }
    Promise.all([out, ready]).then(([body]) => {
      if (state !== 'rewrite') return;
      pumping = true;
      res.setHeader('content-length', body.length);
      (origEnd as (c: Uint8Array) => void).call(res, body);
    }, fail);
  };

  const patched = {
    writeHead(this: ServerResponse, ...args: unknown[]) {
      if (state === 'rewrite' && pumping)
        return (origWriteHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      if (state === 'pass' || state === 'failed')
        return (origWriteHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      applyHeadArgs(this, args);
      decide();
      const now = state as string;
      if (now === 'pass' || (now === 'failed' && gate())) return origWriteHead.call(this, this.statusCode);
      return this; // rewrite: the head goes out with the first rewritten bytes
    },
    write(this: ServerResponse, chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
      decide();
      if (state === 'pass' || (state === 'failed' && gate()))
        return (origWrite as (...a: unknown[]) => boolean).call(this, chunk, encoding, cb);
      const done = (typeof encoding === 'function' ? encoding : cb) as Cb;
      if (state === 'failed' || ended) {
        done?.();
        return true;
      }
      return stream().write(
        chunk,
        typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
        done,
      );
    },
    end(this: ServerResponse, chunk?: unknown, encoding?: unknown, cb?: unknown): ServerResponse {
      if (typeof chunk === 'function') [cb, chunk] = [chunk, undefined];
      else if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
      decide();
      if (state === 'pass' || (state === 'failed' && gate() && !errorEnded)) {
        if (state === 'failed') errorEnded = true;
        return (origEnd as (...a: unknown[]) => ServerResponse).call(this, chunk, encoding, cb);
      }
      if (ended || state === 'failed') {
        (cb as Cb)?.();
        return this;
      }
      ended = true;
      if (typeof cb === 'function') origOn.call(this, 'finish', cb as Listener);
      const enc = typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8';
      if (t === null && chunk !== undefined && chunk !== null)
        whole(typeof chunk === 'string' ? Buffer.from(chunk, enc) : (chunk as Uint8Array));
      else if (chunk !== undefined && chunk !== null) stream().end(chunk, enc);
      else stream().end();
      return this;
    },
    on(this: ServerResponse, type: string | symbol, listener: Listener): ServerResponse {
      if (type !== 'drain' || state === 'pass' || state === 'failed')
        return origOn.call(this, type, listener);
      if (t !== null) t.on('drain', listener);
      else drains.push(listener);
      return this;
    },
  };
  res.writeHead = patched.writeHead as ServerResponse['writeHead'];
  res.write = patched.write as ServerResponse['write'];
  res.end = patched.end as ServerResponse['end'];
  res.on = patched.on as ServerResponse['on'];
}
