/**
 * Imports a PKCS#8 PEM as a WebCrypto `CryptoKey` with realm-safe bytes, for `next start`'s edge
 * sandbox: there, Node's WebCrypto refuses `ArrayBuffer`s created inside the sandbox's realm.
 * @module
 */
import type { HashAlgorithm } from '@cfsign/core';

/** True in the Next.js edge runtime (`EdgeRuntime` is a string there). */
export function isEdgeRuntime(): boolean {
  return typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string';
}

/** Bytes in a buffer allocated by the host's `TextEncoder`, which the host's WebCrypto accepts. */
function hostBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new TextEncoder().encode('\0'.repeat(bin.length)) as Uint8Array<ArrayBuffer>;
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The `CryptoKey` of a PKCS#8 PEM (RSA with `hash`, or EC P-256), or `null` when the PEM is in
 * another format (then `@cfsign/core` parses it as usual).
 *
 * @example
 * ```ts
 * const key = await importEdgeKey(pem, 'SHA1'); // CryptoKey | null
 * ```
 */
export async function importEdgeKey(pem: string, hash: HashAlgorithm): Promise<CryptoKey | null> {
  const m = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem);
  if (m === null) return null;
  const der = hostBytes(m[1]!.replace(/\s+/g, ''));
  const subtle = globalThis.crypto.subtle;
  try {
    return await subtle.importKey(
      'pkcs8',
      der,
      { name: 'RSASSA-PKCS1-v1_5', hash: hash === 'SHA256' ? 'SHA-256' : 'SHA-1' },
      false,
      ['sign'],
    );
  } catch {
    try {
      return await subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    } catch {
      return null;
    }
  }
}
