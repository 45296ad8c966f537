/**
 * PEM decoding: finds the key block among possibly several (`EC PARAMETERS` + `EC PRIVATE KEY`).
 * @module
 */

/** One PEM block. `headers` is true for legacy `Proc-Type` encrypted blocks. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
  text: string;
  headers: boolean;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** All PEM blocks in `text`, in order. Blocks whose base64 is broken are returned with an empty `der`. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2] ?? '';
    const headers = body.includes(':');
    const b64 = body
      .split(/\r?\n/)
      .filter((line) => !line.includes(':'))
      .join('')
      .replace(/\s+/g, '');
    out.push({ label: m[1]!, der: decodeBase64(b64), text: m[0], headers });
  }
  return out;
}

function decodeBase64(b64: string): Uint8Array {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return new Uint8Array(0);
  }
}
