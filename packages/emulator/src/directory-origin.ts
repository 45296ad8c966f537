/**
 * The directory origin: a local folder standing in for the private S3 bucket. Streams files with
 * `Content-Type`, `ETag`, `Last-Modified`, conditional requests and single byte ranges.
 * @module
 */

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentTypeFor } from './content-type.js';
import { sendXmlError, setEdgeHeaders } from './edge-response.js';
import { parseRange } from './range.js';

/** An origin the emulator can forward a verified request to. */
export interface Origin {
  /**
   * Answer `req` on `res`. `target` is the request-target without signing params; `segments`
   * is the decoded path (already checked by `decodeRequestPath`).
   */
  serve(req: IncomingMessage, res: ServerResponse, request: OriginRequest): Promise<void>;
}

/** What the emulator hands an origin. */
export interface OriginRequest {
  /** Path and query as the viewer sent them, signing params removed. */
  target: string;
  /** Percent-decoded path segments. */
  segments: readonly string[];
  /** Viewer address, for `X-Forwarded-For`. */
  clientIp: string | undefined;
  /** This request's `X-Amz-Cf-Id`. */
  requestId: string;
}

/**
 * Create a directory origin serving the files under `root` (GET and HEAD). Missing files and
 * folders are a 404 `NoSuchKey` XML error like S3's; nothing outside `root` is ever served, also
 * not through symbolic links.
 *
 * @example
 * ```ts
 * const origin = directoryOrigin('./private-bucket');
 * ```
 */
export function directoryOrigin(root: string): Origin {
  const realRoot = realpath(root);
  realRoot.catch(() => {}); // reported per request, as a 404
  return {
    async serve(req, res, request) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendXmlError(
          req.method,
          res,
          405,
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
          'error',
          { Allow: 'GET, HEAD' },
        );
        return;
      }
      const file = await resolveFile(await realRoot.catch(() => undefined), request.segments);
      if (!file) {
        sendXmlError(req.method, res, 404, 'NoSuchKey', 'The specified key does not exist.', 'error');
        return;
      }
      await sendFile(req, res, file.path, file.size, file.mtimeMs, request.requestId);
    },
  };
}

async function resolveFile(root: string | undefined, segments: readonly string[]) {
  if (
    root === undefined ||
    segments.length === 0 ||
    segments.some(
      (s) => s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0'),
    )
  ) {
    return undefined;
  }
  try {
    const path = await realpath(join(root, ...segments));
    if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  size: number,
  mtimeMs: number,
  requestId: string,
): Promise<void> {
  const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const modified = new Date(Math.floor(mtimeMs / 1000) * 1000);
  setEdgeHeaders(res, 'miss', requestId);
  const rangeHeader = ifRangeHolds(single(req.headers['if-range']), etag, modified)
    ? req.headers.range
    : undefined;
  const range = parseRange(rangeHeader, size);
  const fresh = notModified(req, etag, modified);
  if (range.kind === 'unsatisfiable' && !fresh) {
    sendXmlError(req.method, res, 416, 'InvalidRange', 'The requested range is not satisfiable', 'error', {
      'Content-Range': `bytes */${size}`,
    });
    return;
  }
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', modified.toUTCString());
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', contentTypeFor(path));
  if (fresh) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const { start, end } = range.kind === 'range' ? range : { start: 0, end: size - 1 };
  res.statusCode = range.kind === 'range' ? 206 : 200;
  if (range.kind === 'range') res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  res.setHeader('Content-Length', Math.max(0, end - start + 1));
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  // pipeline() respects backpressure and tears both streams down when the viewer goes away (or
  // the file cannot be read any more); then there is nobody left to answer.
  await pipeline(createReadStream(path, { start, end, highWaterMark: 64 * 1024 }), res).catch(() => {});
}

function notModified(req: IncomingMessage, etag: string, modified: Date): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
  }
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && modified.getTime() <= since;
}

function ifRangeHolds(ifRange: string | undefined, etag: string, modified: Date): boolean {
  if (ifRange === undefined) return true;
  if (ifRange.startsWith('"')) return ifRange === etag;
  if (ifRange.startsWith('W/')) return false;
  return Date.parse(ifRange) === modified.getTime();
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
