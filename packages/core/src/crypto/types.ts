/**
 * The one small interface between the Web-standard core and a crypto implementation.
 * `crypto/node.ts` implements it with `node:crypto`, `crypto/web.ts` with WebCrypto.
 * @module
 */

/** Hash used for the signature. CloudFront's default for RSA is SHA-1; ECDSA uses SHA-256. */
export type HashAlgorithm = 'SHA1' | 'SHA256';

/** The two key types CloudFront key groups accept. */
export type KeyType = 'rsa' | 'ec';

/** A parsed private key, ready to sign. ECDSA signatures come out DER-encoded. */
export interface PrivateKeyHandle {
  readonly type: KeyType;
  /** Present when signing can run synchronously (a local key on Node). */
  readonly signSync?: (data: Uint8Array, hash: HashAlgorithm) => Uint8Array;
  /** True for a key held in this process (no timeout race needed); unset for external signers. */
  readonly local?: boolean;
  sign(data: Uint8Array, hash: HashAlgorithm): Promise<Uint8Array>;
}

/** A parsed public key, ready to verify. ECDSA signatures are expected DER-encoded. */
export interface PublicKeyHandle {
  readonly type: KeyType;
  /** Present when verifying can run synchronously (Node). */
  readonly verifySync?: (data: Uint8Array, signature: Uint8Array, hash: HashAlgorithm) => boolean;
  verify(data: Uint8Array, signature: Uint8Array, hash: HashAlgorithm): Promise<boolean>;
}

/** What a crypto backend offers the core. Inputs other than strings are backend objects (KeyObject, CryptoKey). */
export interface CryptoBackend {
  readonly name: 'node' | 'webcrypto';
  importPrivateKey(input: unknown, passphrase?: string): PrivateKeyHandle;
  importPublicKey(input: unknown): PublicKeyHandle;
}
