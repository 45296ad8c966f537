/**
 * A minimal strict DER reader/writer: just enough to recognise and re-wrap private keys and to
 * convert ECDSA signatures. Never throws on hostile input: readers return `null`.
 * @module
 */

/** One DER element: tag, and the byte range of its contents inside the source buffer. */
export interface DerNode {
  tag: number;
  start: number;
  end: number;
  next: number;
}

/** Reads the element at `offset`, or `null` when the bytes are not valid DER. */
export function readDer(buf: Uint8Array, offset: number, limit = buf.length): DerNode | null {
  if (offset + 2 > limit) return null;
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || pos + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[pos++]!;
    if (len < 128 || (n > 1 && len < 1 << (8 * (n - 1)))) return null;
  }
  if (pos + len > limit) return null;
  return { tag, start: pos, end: pos + len, next: pos + len };
}

/** Reads all children of a constructed element. */
export function children(buf: Uint8Array, node: DerNode): DerNode[] | null {
  const out: DerNode[] = [];
  let pos = node.start;
  while (pos < node.end) {
    const child = readDer(buf, pos, node.end);
    if (!child) return null;
    out.push(child);
    pos = child.next;
  }
  return out;
}

/** Encodes a DER length. */
function encodeLength(len: number): number[] {
  if (len < 128) return [len];
  const bytes: number[] = [];
  for (let v = len; v > 0; v >>>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** Builds one DER element from a tag and its contents. */
export function derElement(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const head = [tag, ...encodeLength(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let pos = head.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** Compares `buf[start, end)` with `expected`. */
export function bytesEqual(buf: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (buf[start + i] !== expected[i]) return false;
  return true;
}

/** Object identifiers used by key detection (DER contents, without tag and length). */
export const OID = {
  rsaEncryption: Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01),
  ecPublicKey: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01),
  prime256v1: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07),
} as const;
