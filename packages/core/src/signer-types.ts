/**
 * The signer's option and result types (`createSigner` lives in `signer.ts`).
 * @module
 */
import type { Cookie, CookieAttributes } from './cookies.js';
import type { HashAlgorithm, KeyType } from './crypto/types.js';
import type { GrantOptions } from './grant.js';
import type { Keyring, PrivateKeyInput, SignCallback } from './key-source.js';
import type { Duration } from './time.js';

/** Options of {@link createSigner}. */
export interface SignerOptions {
  /** ID of the public key in the CloudFront key group (with `privateKey` or `sign`). */
  keyPairId?: string;
  privateKey?: PrivateKeyInput;
  /** Passphrase of an encrypted PKCS#8 key (Node only). */
  passphrase?: string;
  /** Several keys for rotation; `active` signs. */
  keyring?: Keyring;
  /** Async signer (KMS/HSM); implies SHA-256. */
  sign?: SignCallback;
  /** Key type behind `sign` (default `'rsa'`). */
  keyType?: KeyType;
  /**
   * Default hash: SHA1 for RSA keys (CloudFront's default), SHA256 for ECDSA and `sign`. Exactly
   * `'SHA1'` or `'SHA256'` (CloudFront's case-sensitive tokens); any other value is refused with
   * `ERR_INVALID_HASH_ALGORITHM`, here and per call.
   */
  hashAlgorithm?: HashAlgorithm;
  /** Signature cache: `false` to disable. Default 10,000 entries and 60 s expiry buckets. */
  cache?: boolean | { maxEntries?: number; bucket?: Duration };
  /** Clock-skew margin in seconds (default 60): starts are back-dated by it, expiries must exceed it. */
  clockSkew?: Duration;
  /** Timeout for one signature (default 10 s), for `sign` callbacks. */
  signTimeout?: Duration;
  /** Permit a bare `*` policy resource. */
  allowAnyResource?: boolean;
}

/** Options of {@link Signer.signUrl}. */
export interface SignUrlOptions extends GrantOptions {
  /** Custom-policy resource, absolute or a path on the URL's origin; may hold `*` and `?`. */
  resource?: string;
  /** A complete custom policy (JSON text or an object; AWS SDK `policy`), validated, then signed as given. */
  policy?: string | object;
  hashAlgorithm?: HashAlgorithm;
  /** Base URL for relative links. */
  base?: string;
  /** Sign the URL as written (validate only) instead of canonicalizing it. */
  verbatim?: boolean;
  reservedParams?: 'error' | 'strip';
}

/** Options of {@link Signer.signPolicy}. */
export interface SignPolicyOptions extends GrantOptions {
  resource: string;
  hashAlgorithm?: HashAlgorithm;
}

/** A signed custom policy, reusable for every URL its resource matches. */
export interface SignedPolicy {
  policy: string;
  /** `Policy=…&Signature=…&Key-Pair-Id=…[&Hash-Algorithm=SHA256]` */
  query: string;
  signature: string;
  expires: number;
  keyPairId: string;
  hashAlgorithm: HashAlgorithm;
}

/** Options of {@link Signer.signCookies}. */
export interface SignCookiesOptions extends GrantOptions, CookieAttributes {
  hashAlgorithm?: HashAlgorithm;
  /** A complete custom policy (JSON text or an object; AWS SDK `policy`), validated; times come from it. */
  policy?: string | object;
  /** Use a canned policy (one exact URL). Custom by default, as cookies usually cover many URLs. */
  canned?: boolean;
  /** Tolerated when equal to the resource argument (options shared with `signUrl`); refused otherwise. */
  resource?: string;
  /** Also expire the CloudFront-* cookies this set does not use (default true). */
  clearUnused?: boolean;
}

/** A signed cookie set. */
export interface SignedCookies {
  cookies: Cookie[];
  /** `Set-Cookie` header values, including expiring the unused names. */
  setCookie: string[];
  /** Name → value, as `@aws-sdk/cloudfront-signer`'s `getSignedCookies` returns. */
  values: Record<string, string>;
  expires: number;
}

/** A signer bound to its keys. Created by {@link createSigner}. */
export interface Signer {
  readonly keyPairId: string;
  readonly keyType: KeyType | null;
  readonly hashAlgorithm: HashAlgorithm;
  readonly canSignSync: boolean;
  signUrl(url: string | URL, options: SignUrlOptions): Promise<string>;
  signUrlSync(url: string | URL, options: SignUrlOptions): string;
  signPolicy(options: SignPolicyOptions): Promise<SignedPolicy>;
  signCookies(resource: string, options: SignCookiesOptions): Promise<SignedCookies>;
  clearCookies(attributes?: Pick<CookieAttributes, 'domain' | 'path' | 'sameSite' | 'secure'>): Cookie[];
  /** Size and hit counts of the signature cache (`null` when disabled). */
  cacheStats(): { size: number; maxEntries: number; hits: number; misses: number } | null;
  /** Switches the active key of a keyring (rotation); clears the cache. */
  useKey(keyPairId: string): void;
}
