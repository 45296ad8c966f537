/**
 * The HTTP origin: a custom origin (your app) the emulator proxies to, streaming both ways and
 * adding the configured origin custom headers (the origin guard's secret).
 * @module
 */

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { CfsignError } from '@cfsign/core';
import type { Origin } from './directory-origin.js';
import { sendErrorPage, setEdgeHeaders, VIA } from './edge-response.js';

/** Options of {@link httpOrigin}. */
export interface HttpOriginOptions {
  /** Base URL of the origin, e.g. `http://127.0.0.1:3000` (a path here works like CloudFront's origin path). */
  url: string;
  /** Origin custom headers, set on every origin request (overwriting a viewer header of the same name). */
  customHeaders?: Readonly<Record<string, string>>;
  /** Give up on an origin that has not answered after this many milliseconds (504). Default 30 000. */
  timeoutMs?: number;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const SIGNING_COOKIE = /^CloudFront-(?:Expires|Policy|Signature|Key-Pair-Id|Hash-Algorithm)$/;

/**
 * Create an HTTP origin. Requests keep their method, body, `Range` and conditional headers; the
 * signing params are already gone from the target and the `CloudFront-*` signing cookies are
 * removed. `Host` becomes the origin's host, `X-Forwarded-For`, `Via` and `X-Amz-Cf-Id` are added.
 * A connection failure answers 502, a timeout 504, like CloudFront's error pages.
 *
 * @example
 * ```ts
 * const origin = httpOrigin({ url: 'http://127.0.0.1:3000', customHeaders: { 'x-origin-secret': secret } });
 * ```
 */
export function httpOrigin(options: HttpOriginOptions): Origin {
  const base = URL.canParse(String(options?.url)) ? new URL(String(options.url)) : null;
  if (base === null || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
    throw new CfsignError(
      'ERR_INVALID_URL',
      `emulator: an http origin needs an http: or https: URL such as "http://127.0.0.1:3000", got ${base === null ? 'no valid URL' : base.protocol}`,
    );
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const custom = Object.entries(options.customHeaders ?? {}).map(
    ([name, value]) => [name.toLowerCase(), value] as const,
  );
  const timeoutMs = options.timeoutMs ?? 30_000;
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;

  return {
    serve(req, res, request) {
      const headers = forwardHeaders(req.headers);
      headers.host = base.host;
      headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], request.clientIp]
        .filter(Boolean)
        .join(', ');
      headers.via = req.headers.via ? `${req.headers.via}, ${VIA}` : VIA;
      headers['x-amz-cf-id'] = request.requestId;
      for (const [name, value] of custom) headers[name] = value;

      return new Promise<void>((resolve) => {
        const upstream = send({
          protocol: base.protocol,
          hostname: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || undefined,
          method: req.method,
          path: basePath + request.target,
          headers,
          timeout: timeoutMs,
        });
        upstream.on('timeout', () => upstream.destroy(new OriginTimeout()));
        upstream.on('error', (err) => {
          if (!res.headersSent) {
            const timedOut = err instanceof OriginTimeout;
            sendErrorPage(
              req.method,
              res,
              timedOut ? 504 : 502,
              timedOut ? 'Gateway Timeout' : 'Bad Gateway',
              timedOut
                ? 'CloudFront attempted to establish a connection with the origin, but the attempt timed out.'
                : "CloudFront wasn't able to connect to the origin.",
            );
          } else {
            res.destroy();
          }
          resolve();
        });
        upstream.on('response', (answer) => {
          res.statusCode = answer.statusCode ?? 502;
          for (const [name, value] of Object.entries(forwardHeaders(answer.headers))) {
            if (value !== undefined) res.setHeader(name, value);
          }
          setEdgeHeaders(res, res.statusCode >= 400 ? 'error' : 'miss', request.requestId);
          res.setHeader('Via', answer.headers.via ? `${answer.headers.via}, ${VIA}` : VIA);
          pipeline(answer, res).then(resolve, () => {
            upstream.destroy();
            res.destroy();
            resolve();
          });
        });
        // Stream the viewer's body (if any) to the origin; a viewer abort tears down the origin request.
        pipeline(req, upstream).catch(() => upstream.destroy());
        res.on('close', () => {
          if (!res.writableFinished) upstream.destroy();
        });
      });
    },
  };
}

// Internal marker: destroys the upstream request on timeout and becomes a 504 page, never thrown to a caller.
class OriginTimeout extends Error {
  constructor() {
    super('origin timed out');
  }
}

/** Copy end-to-end headers (drops hop-by-hop ones and those named in `Connection`). */
function forwardHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const connection = String(headers.connection ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || connection.includes(name) || value === undefined) continue;
    out[name] = value;
  }
  if (typeof out.cookie === 'string') {
    const kept = out.cookie
      .split(';')
      .map((c) => c.trim())
      .filter((c) => c !== '' && !SIGNING_COOKIE.test(c.split('=', 1)[0] ?? ''));
    if (kept.length > 0) out.cookie = kept.join('; ');
    else delete out.cookie;
  }
  return out;
}
