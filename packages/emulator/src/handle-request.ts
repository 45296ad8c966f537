/**
 * The edge's request pipeline: read the viewer URL, pick the behavior, verify the signature on
 * restricted behaviors, strip the signing params and hand over to the origin; log the decision.
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { stripSigningParams, verifyRequest } from '@cfsign/core';
import { compileBehaviors, selectBehavior } from './behaviors.js';
import {
  newRequestId,
  REFUSAL_MESSAGES,
  type RefusalCode,
  sendErrorPage,
  sendXmlError,
} from './edge-response.js';
import { decodeRequestPath } from './request-path.js';
import type { EmulatorConfig, EmulatorLogEntry } from './types.js';
import { clientIp, viewerUrl } from './viewer.js';

/** A Node `(req, res)` request listener. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

const MAX_URL_BYTES = 8192;

/**
 * Build the emulator's Node request listener from a configuration (validated here, at once).
 * Usable with `http.createServer(handler)` or mounted in another server.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(createRequestHandler(config)).listen(8080, '127.0.0.1');
 * ```
 */
export function createRequestHandler(config: EmulatorConfig): RequestHandler {
  const table = compileBehaviors(config);
  const now = config.now ?? Date.now;
  const logger = config.logger;
  const viewerOptions = {
    trustProxy: config.trustProxy,
    hostname: config.hostname,
    protocol: config.protocol,
  };

  async function handle(req: IncomingMessage, res: ServerResponse, entry: EmulatorLogEntry): Promise<void> {
    const viewer = viewerUrl(req, viewerOptions);
    if (!viewer) {
      entry.reason = 'bad-request';
      return sendErrorPage(
        req.method,
        res,
        400,
        'Bad request',
        'The request has an invalid host or request-target.',
      );
    }
    const fullUrl = viewer.origin + viewer.target;
    const target = stripSigningParams(fullUrl).slice(viewer.origin.length) || '/';
    entry.path = target;
    if (Buffer.byteLength(fullUrl) > MAX_URL_BYTES) {
      entry.reason = 'url-too-long';
      return sendErrorPage(
        req.method,
        res,
        414,
        'Request-URI Too Large',
        'The URL is longer than 8,192 bytes.',
      );
    }
    const path = decodeRequestPath(target.split('?', 1)[0]!);
    if (!path.ok) {
      entry.reason = 'bad-request';
      return sendErrorPage(
        req.method,
        res,
        400,
        'Bad request',
        `The request path is not acceptable: ${path.detail}.`,
      );
    }
    const behavior = selectBehavior(table, path.path);
    entry.behavior = behavior.pathPattern;
    if (behavior.viewerProtocolPolicy !== 'allow-all' && viewer.origin.startsWith('http:')) {
      entry.reason = 'viewer-protocol-policy';
      if (behavior.viewerProtocolPolicy === 'https-only')
        return sendErrorPage(req.method, res, 403, 'Forbidden', 'This behavior is HTTPS only.');
      res.statusCode = 301;
      res.setHeader('Location', `https://${viewer.origin.slice('http://'.length)}${viewer.target}`);
      res.end();
      return;
    }
    const ip = clientIp(req, viewerOptions);
    if (behavior.keys) {
      const verdict = await verifyRequest(fullUrl, req.headers.cookie, {
        keys: behavior.keys,
        now: now(),
        clientIp: ip,
      });
      entry.source = verdict.source;
      if (verdict.keyPairId) entry.keyPairId = verdict.keyPairId.slice(0, 64);
      if (!verdict.ok) {
        if (verdict.reason) entry.reason = verdict.reason;
        if (verdict.detail) entry.detail = verdict.detail;
        const code: RefusalCode = verdict.error ?? 'AccessDenied';
        return sendXmlError(req.method, res, verdict.status || 403, code, REFUSAL_MESSAGES[code], 'error');
      }
      entry.decision = 'allowed';
    } else {
      entry.decision = 'public';
    }
    await behavior.origin.serve(req, res, {
      target,
      segments: path.segments,
      clientIp: ip,
      requestId: entry.requestId,
    });
  }

  return (req, res) => {
    const entry: EmulatorLogEntry = {
      method: req.method ?? 'GET',
      path: stripSigningParams(req.url ?? ''),
      status: 0,
      decision: 'denied',
      requestId: newRequestId(),
    };
    res.setHeader('X-Amz-Cf-Id', entry.requestId);
    if (logger) {
      res.once('close', () => {
        entry.status = res.statusCode;
        try {
          logger(entry);
        } catch {
          // A failing logger must not take the server down.
        }
      });
    }
    handle(req, res, entry).catch((err: unknown) => {
      // Name and code only: an error message could quote request data.
      const { name, code } = (err ?? {}) as { name?: unknown; code?: unknown };
      entry.reason ??= 'internal-error';
      entry.detail ??= `internal error: ${String(code ?? name ?? 'unknown')}`;
      if (!res.headersSent)
        sendErrorPage(req.method, res, 500, 'Internal Server Error', 'The emulator failed.');
      else res.destroy();
    });
  };
}
