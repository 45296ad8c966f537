/**
 * `cloudfrontSigner(options)` for Koa 2 and 3: every HTML, CSS, HLS and DASH body leaves with its
 * protected links signed. A thin adapter over `@cfsign/node-bridge`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';
import {
  appendSetCookie,
  createSession,
  fixHeaders,
  guardConditional,
  isJsonBody,
  misorderError,
  prepareOptions,
  primeStream,
  rewriteWhole,
  type SignerMiddlewareOptions,
  type SigningSession,
  shouldRewrite,
  signJsonValue,
  toNodeReadable,
} from '@cfsign/node-bridge';

/** The parts of Koa's `ctx` the middleware reads (Koa 2 and 3 both fit). */
export interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  state: Record<string, unknown>;
  body: unknown;
  href: string;
  ip: string;
  method: string;
  originalUrl: string;
}

/** Options of {@link cloudfrontSigner}; `authorize` receives Koa's `ctx`. */
export type CloudfrontSignerOptions = SignerMiddlewareOptions<KoaContext>;

/** The middleware, typed structurally so that Koa 2 and 3 both accept it. */
export type CloudfrontSignerMiddleware = (ctx: KoaContext, next: () => Promise<unknown>) => Promise<void>;

const isCompressor = (b: unknown) =>
  b instanceof zlib.Gzip ||
  b instanceof zlib.Deflate ||
  b instanceof zlib.DeflateRaw ||
  b instanceof zlib.BrotliCompress;

/**
 * Koa middleware signing the protected links of every body it sees (string, Buffer, Node stream,
 * Web `ReadableStream`). Mount it after `koa-compress` (a reversed order fails with
 * `ERR_MIDDLEWARE_ORDER`). Sets `ctx.state.signUrl(url)` (and `signUrlSync`); `ctx.state.signedUrls = false` opts out.
 *
 * @example
 * ```ts
 * import compress from 'koa-compress';
 * import { cloudfrontSigner } from '@cfsign/koa';
 *
 * app.use(compress());
 * app.use(cloudfrontSigner({ signer, rules: { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] } }));
 * ```
 */
export function cloudfrontSigner(options: CloudfrontSignerOptions): CloudfrontSignerMiddleware {
  const prepared = prepareOptions(options);
  const json = prepared.signJson;
  return async function cloudfrontSigner(ctx, next) {
    let session: SigningSession | undefined;
    const getSession = () =>
      (session ??= createSession(prepared, { url: ctx.href, clientIp: ctx.ip, req: ctx }));
    const optedOut = () => ctx.state.signedUrls === false;
    ctx.state.signUrl = (url: string) => getSession().signUrl(url);
    ctx.state.signUrlSync = (url: string) => getSession().signUrlSync(url);
    guardConditional(ctx.req, ctx.res, optedOut);
    await next();
    const skip = (reason: Parameters<NonNullable<typeof prepared.onSkip>>[0]) =>
      prepared.onSkip?.(reason, { method: ctx.method, url: ctx.originalUrl });
    const body = ctx.body;
    if (json !== false && !optedOut() && isJsonBody(body)) {
      ctx.body = await signJsonValue(body, getSession(), json.keys);
      return;
    }
    const d = shouldRewrite(ctx.req, ctx.res, { optedOut: optedOut() });
    if (!d.rewrite) {
      if (d.reason === 'already-encoded' && isCompressor(body)) {
        ctx.res.removeHeader('content-encoding');
        throw misorderError('koa');
      }
      return skip(d.reason);
    }
    const s = getSession();
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      const [out, cookies] = await Promise.all([
        rewriteWhole(prepared, s, prepared.memo, s.url, d.format, d.charset, bytes),
        s.cookies(),
      ]);
      ctx.body = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
      fixHeaders(ctx.res, prepared);
      ctx.res.setHeader('content-length', out.byteLength);
      appendSetCookie(ctx.res, cookies);
      return;
    }
    const source = toNodeReadable(body);
    if (source === null) return skip('not-rewritable-type');
    const out = s.transform(d.format, d.charset);
    out.on('error', () => {
      if (ctx.res.headersSent) ctx.res.destroy();
    });
    source.once('error', (err) => out.destroy(err));
    source.pipe(out);
    const cookies = await s.cookies();
    await primeStream(out);
    ctx.body = out;
    fixHeaders(ctx.res, prepared);
    appendSetCookie(ctx.res, cookies);
  };
}
