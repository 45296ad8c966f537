/**
 * What the edge knows about the viewer: the URL exactly as it was sent and the client address.
 * @module
 */

import type { IncomingMessage } from 'node:http';

/** How the viewer URL and client IP are read from a request. */
export interface ViewerOptions {
  /** Trust `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` (set only behind your own proxy). */
  trustProxy?: boolean;
  /** Host (and port) the URLs are signed for, overriding the `Host` header, e.g. `cdn.example.com`. */
  hostname?: string;
  /** Scheme the URLs are signed for, overriding what the connection says. */
  protocol?: 'http' | 'https';
}

/** The viewer URL split where the emulator needs it. */
export interface ViewerUrl {
  /** `scheme://host` as the viewer addressed it. */
  origin: string;
  /** The raw request-target: path and query, byte for byte as received. */
  target: string;
}

const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * The full URL the viewer requested, built from the `Host` header and the raw request-target
 * (never re-serialized, so percent-escapes and parameter order stay as sent: that is what the
 * signature covers). Returns `undefined` for a missing or malformed host or target.
 *
 * @example
 * ```ts
 * // GET /private/a.jpg?Expires=1&Signature=x&Key-Pair-Id=K1  Host: 127.0.0.1:8080
 * viewerUrl(req) // { origin: 'http://127.0.0.1:8080', target: '/private/a.jpg?Expires=1&Signature=x&Key-Pair-Id=K1' }
 * ```
 */
export function viewerUrl(req: IncomingMessage, options: ViewerOptions = {}): ViewerUrl | undefined {
  const raw = req.url ?? '';
  const absolute = /^(https?):\/\/([^/?#]+)([^#]*)$/i.exec(raw);
  const target = absolute ? absolute[3] || '/' : raw;
  if (!target.startsWith('/') || /[\s#]/.test(target)) return undefined;
  const forwardedProto = options.trustProxy ? firstValue(req.headers['x-forwarded-proto']) : undefined;
  const protocol =
    options.protocol ??
    (forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : undefined) ??
    (absolute?.[1]?.toLowerCase() as 'http' | 'https' | undefined) ??
    ('encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http');
  const host =
    options.hostname ??
    (options.trustProxy ? firstValue(req.headers['x-forwarded-host']) : undefined) ??
    absolute?.[2] ??
    req.headers.host;
  if (host === undefined || !HOST.test(host)) return undefined;
  return { origin: `${protocol}://${host}`, target };
}

/**
 * The viewer's IP address: the socket peer (IPv4-mapped IPv6 unwrapped), or the first
 * `X-Forwarded-For` entry when `trustProxy` is set.
 *
 * @example
 * ```ts
 * clientIp(req) // '127.0.0.1'
 * ```
 */
export function clientIp(req: IncomingMessage, options: ViewerOptions = {}): string | undefined {
  const forwarded = options.trustProxy ? firstValue(req.headers['x-forwarded-for']) : undefined;
  const ip = forwarded ?? req.socket.remoteAddress;
  if (ip === undefined) return undefined;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const first = text?.split(',', 1)[0]?.trim();
  return first ? first : undefined;
}
