/**
 * The canned policy's bytes, written straight into one reused buffer: the resource encoded after a
 * pre-written head, then the tail for the expiry (kept for the next call with the same expiry). No
 * policy string is built. For a signature made or checked at once (synchronously) only.
 * @module
 */
import { utf8, viewOf } from './encoding.js';
import { cannedTemplate } from './policy.js';

const HEAD = '{"Statement":[{"Resource":"';
/** Beyond this the buffer does not grow (no URL over 8,192 bytes is signed): such input is encoded alone. */
const MAX_SIZE = 16 * 1024;
const encoder = new TextEncoder();
let buffer = new Uint8Array(0);
/** `buffer` after the head, where the resource goes. */
let body = buffer;
/** Views of `buffer` by length ({@link viewOf}); replaced with the buffer. */
let views: (Uint8Array | undefined)[] = [];
let tailExpires = -1;
let tail = new Uint8Array(0);

function grow(size: number): void {
  buffer = new Uint8Array(Math.min(MAX_SIZE, Math.max(size, 512, buffer.length * 2)));
  encoder.encodeInto(HEAD, buffer);
  body = buffer.subarray(HEAD.length);
  views = new Array(64);
}

/**
 * The UTF-8 bytes of `cannedTemplate(resource, expires)`, in a buffer the next call overwrites: pass
 * them to a synchronous sign or verify and drop them. Anything else (a signature made later, bytes
 * handed to a caller) takes `utf8(cannedTemplate(...))`, which is never reused.
 *
 * @example
 * ```ts
 * signSync(cannedBytesNow('https://d111111abcdef8.cloudfront.net/a.jpg', 1893456000), 'SHA256');
 * ```
 */
export function cannedBytesNow(resource: string, expires: number): Uint8Array {
  if (expires !== tailExpires) {
    tail = encoder.encode(`","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`);
    tailExpires = expires;
  }
  const n = resource.length;
  const size = HEAD.length + n + tail.length;
  if (size > MAX_SIZE) return utf8(cannedTemplate(resource, expires));
  if (size > buffer.length) grow(size);
  // A canonical resource is ASCII, one byte per character; anything else is encoded whole.
  const { read, written } = encoder.encodeInto(resource, body);
  if (read !== n || written !== n) return utf8(cannedTemplate(resource, expires));
  buffer.set(tail, HEAD.length + n);
  return viewOf(views, buffer, size);
}
