/**
 * `rewriteBody`: the Koa side of the bridge. A framework body (string, Buffer, object, Node or Web
 * stream) is replaced by its signed form once the app is done with it.
 * @module
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import {
  applyHeaderPolicy,
  isJsonBody,
  jsonBodyTooLarge,
  parseJsonBody,
  signJsonValue,
} from '@cfsign/response';
import type { RewriteFormat } from '@cfsign/rewriter';
import type { NodeSigning } from './begin-request.js';
import { toNodeReadable } from './body-source.js';
import { misorderError } from './misorder.js';
import { frameHead, nodeHeaders } from './node-headers.js';
import { primeStream } from './prime.js';
import { dropPendingEtag } from './request-guard.js';
import { rewriteStream } from './rewrite-stream.js';
import { rewriteWhole } from './whole-body.js';
import { allowWriteSlack } from './write-slack.js';

const isCompressor = (b: unknown) =>
  b instanceof zlib.Gzip ||
  b instanceof zlib.Deflate ||
  b instanceof zlib.DeflateRaw ||
  b instanceof zlib.BrotliCompress;

async function readAll(source: Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of source) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    n += b.length;
    if (n > max) {
      source.destroy();
      throw jsonBodyTooLarge(max);
    }
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/**
 * Signs a framework body after the app has set it. `setBody` puts the new body in place (for Koa:
 * `(b) => { ctx.body = b }`); the headers are fixed after it, by the one header policy. Rewritable
 * bodies handed over whole get their exact `Content-Length`; streams are rewritten with
 * backpressure and the first chunk is produced before the headers go out, so an early signing
 * failure still reaches the framework's error handling. `HEAD` gets GET's headers and an empty body.
 * Throws `ERR_MIDDLEWARE_ORDER` for a body already compressed by a middleware mounted after ours.
 *
 * @example
 * ```ts
 * await next();
 * await rewriteBody(signing, ctx.body, (b) => { ctx.body = b; });
 * ```
 */
export async function rewriteBody(
  s: NodeSigning,
  body: unknown,
  setBody: (body: unknown) => void,
): Promise<void> {
  const d = s.decide();
  if (!d.rewrite) {
    dropPendingEtag(s.res);
    if (d.reason === 'already-encoded' && isCompressor(body)) {
      s.res.removeHeader('content-encoding');
      throw misorderError('koa');
    }
    s.skip(d.reason);
    return;
  }
  const p = s.prepared;
  const session = s.session();
  const h = nodeHeaders(s.res);
  const cookies = session.cookies();
  cookies.catch(() => {});
  if (d.headOnly) {
    setBody(Readable.from([]));
    applyHeaderPolicy(h, p, {});
    frameHead(s.res);
  } else if (d.format === 'json') {
    const keys = p.signJson === false ? null : p.signJson;
    let value = body;
    if (!isJsonBody(body)) {
      const source = toNodeReadable(body);
      if (source === null) {
        dropPendingEtag(s.res);
        return s.skip('not-rewritable-type');
      }
      value = parseJsonBody((await readAll(source, p.maxJsonBytes)).toString('utf8'));
    }
    const out = Buffer.from(JSON.stringify(await signJsonValue(value, session, keys)));
    setBody(out);
    applyHeaderPolicy(h, p, { length: out.length });
  } else if (typeof body === 'string' || body instanceof Uint8Array) {
    const out = await rewriteWhole(session, s.memo, d.format, d.charset, body);
    setBody(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    applyHeaderPolicy(h, p, { length: out.byteLength });
  } else {
    const source = toNodeReadable(body);
    if (source === null) {
      dropPendingEtag(s.res);
      return s.skip('not-rewritable-type');
    }
    const out = rewriteStream(session, d.format as RewriteFormat, d.charset);
    out.on('error', () => {
      if (s.res.headersSent) s.res.destroy();
    });
    source.once('error', (err) => out.destroy(err));
    source.pipe(out);
    await primeStream(out);
    allowWriteSlack(s.res);
    setBody(out);
    applyHeaderPolicy(h, p, {});
  }
  for (const c of await cookies) h.append('set-cookie', c);
}
