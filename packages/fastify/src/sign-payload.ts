/**
 * The `onSend` step: a payload (string, Buffer, Node stream, Web stream, Fetch `Response`) replaced
 * by its signed form, by the response layer's decision and header policy.
 * @module
 */
import { Readable } from 'node:stream';
import { primeStream, rewriteWhole } from '@cfsign/node-bridge';
import {
  applyHeaderPolicy,
  decideRewrite,
  issueCookies,
  type PreparedOptions,
  pageMemoFor,
  type SigningSession,
  signJsonText,
} from '@cfsign/response';
import type { RewriteFormat } from '@cfsign/rewriter';
import { createNodeRewriteStream } from '@cfsign/rewriter/node';
import { isFetchResponse, readAll, streamOf } from './payload.js';
import { type ReplyHeaderTarget, replyHeaders } from './reply-headers.js';

/** What {@link signPayload} reads of the request and the reply. */
export interface PayloadContext {
  method: string;
  reply: ReplyHeaderTarget & { statusCode: number; code(status: number): unknown };
  prepared: PreparedOptions;
  optedOut: boolean;
  /** The request's session (created on first use). */
  session(): SigningSession;
  skip(reason: string): void;
}

/**
 * Returns the payload to send: the signed form of a rewritable one (with the header policy
 * applied to the reply), or the payload itself with the skip reported. Whole payloads (string,
 * Buffer) are rewritten in one pass and get their exact `Content-Length`; streams are piped through
 * the rewriter with backpressure, and their first chunk is produced before the headers go out, so
 * an early signing failure becomes Fastify's error reply. `HEAD` gets GET's headers: a whole
 * payload is rewritten (Fastify's HEAD route measures it), a stream is left for Fastify to drain.
 *
 * @example
 * ```ts
 * fastify.addHook('onSend', (request, reply, payload) => signPayload(payload, ctx));
 * ```
 */
export async function signPayload(payload: unknown, c: PayloadContext): Promise<unknown> {
  const { reply, prepared: p } = c;
  let body = payload;
  if (isFetchResponse(payload)) {
    // Fastify 5 accepts a Fetch Response: its status and headers become the reply's.
    reply.code(payload.status);
    for (const [name, value] of payload.headers) reply.header(name, value);
    body = payload.body;
  }
  const d = decideRewrite({
    method: c.method,
    status: reply.statusCode,
    header: (name) => replyHeaders(reply).get(name),
    optedOut: c.optedOut,
    signJson: p.signJson !== false,
    hasBody: body !== null && body !== undefined,
  });
  if (!d.rewrite) {
    c.skip(d.reason);
    return body;
  }
  const session = c.session();
  const h = replyHeaders(reply);
  await issueCookies(h, session);
  const source = streamOf(body);
  if (d.headOnly && source === null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    // A HEAD reply without a payload (`@fastify/static` sends none): GET's headers, no length
    // claimed. An empty stream, so that Fastify's HEAD route does not claim `Content-Length: 0`.
    applyHeaderPolicy(h, p, {});
    h.set('transfer-encoding', 'chunked');
    return Readable.from([]);
  }
  if (d.format === 'json') {
    if (source === null && typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
    const text = (await readAll(source ?? (body as string | Uint8Array), p.maxJsonBytes)).toString('utf8');
    const keys = p.signJson === false ? null : p.signJson;
    const out = Buffer.from(await signJsonText(text, session, keys, p.maxJsonBytes));
    applyHeaderPolicy(h, p, { length: out.length });
    return out;
  }
  const format = d.format as RewriteFormat;
  if (source === null) {
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
    // The page memo of the options, as on Express and Koa: adaptive, so a page that differs per
    // request costs one hash per 256 requests.
    const out = await rewriteWhole(session, pageMemoFor(p), format, d.charset, body);
    applyHeaderPolicy(h, p, { length: out.byteLength });
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }
  applyHeaderPolicy(h, p, {});
  if (d.headOnly) {
    // Fastify drains the stream of a HEAD reply; a HEAD without a length is framed as a streamed GET.
    h.set('transfer-encoding', 'chunked');
    return source;
  }
  return rewriteStream(source, format, session.streamOptions(d.charset));
}

async function rewriteStream(
  source: Readable,
  format: RewriteFormat,
  options: ReturnType<SigningSession['streamOptions']>,
): Promise<Readable> {
  const out = createNodeRewriteStream({ format, ...options });
  source.once('error', (err) => out.destroy(err));
  out.once('close', () => {
    if (!source.readableEnded) source.destroy();
  });
  source.pipe(out);
  await primeStream(out);
  return out;
}
