/**
 * Node stream wrapper (subpath `@cfsign/rewriter/node`): the same engine as a `Transform`, for
 * Express and Koa. Backpressure is Node's own; a failed signature destroys the stream with the error.
 * @module
 */
import { Transform } from 'node:stream';
import { createEngine, type RewriteFormat, type RewriteStreamOptions, toBytes } from './resolver-rewriter.js';
import { createRewriter, type RewriterOptions, streamOptions } from './rules-rewriter.js';

/** Options of {@link createNodeRewriteStream}: a format plus either a `resolve` hook or rules + signer + request. */
export type NodeRewriteOptions = { format: RewriteFormat; charset?: string } & (
  | RewriteStreamOptions
  | RewriterOptions
);

/**
 * A Node `Transform` rewriting one response body.
 *
 * @example
 * ```ts
 * import { createNodeRewriteStream } from '@cfsign/rewriter/node';
 * upstream.pipe(createNodeRewriteStream({ format: 'html', rules, signer, request: { url, clientIp: req.ip } })).pipe(res);
 * ```
 */
export function createNodeRewriteStream(options: NodeRewriteOptions): Transform {
  let low: RewriteStreamOptions;
  if ('resolve' in options && typeof options.resolve === 'function') low = options as RewriteStreamOptions;
  else {
    const o = options as RewriterOptions & { charset?: string };
    const rw = createRewriter(o);
    low = streamOptions(o, rw.rules, rw.resolve, o.charset);
  }
  if (options.charset !== undefined) low = { ...low, charset: options.charset };
  const engine = createEngine(options.format, low);
  const step = (t: Transform, chunk: Uint8Array, final: boolean, cb: (err?: Error | null) => void) => {
    let out: Uint8Array | Promise<Uint8Array>;
    try {
      out = engine.push(chunk, final);
    } catch (err) {
      cb(err as Error);
      return;
    }
    if (out instanceof Promise)
      out.then(
        (o) => {
          if (o.length > 0) t.push(o);
          cb();
        },
        (err: Error) => cb(err),
      );
    else {
      if (out.length > 0) t.push(out);
      cb();
    }
  };
  return new Transform({
    transform(chunk: unknown, encoding, cb) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : toBytes(chunk);
      void encoding;
      step(this, bytes, false, cb);
    },
    flush(cb) {
      step(this, new Uint8Array(0), true, cb);
    },
  });
}
