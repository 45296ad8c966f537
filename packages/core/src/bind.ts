/**
 * Binds the runtime-neutral API to one crypto backend. `index.node.ts` and `index.web.ts` each
 * call this once, so users never pass a backend.
 * @module
 */
import { LruCache } from './cache.js';
import type { CryptoBackend, HashAlgorithm } from './crypto/types.js';
import type { PrivateKeyInput } from './key-source.js';
import { createSignerWith } from './signer.js';
import type { Signer, SignerOptions } from './signer-types.js';
import type { DateInput, Duration } from './time.js';
import { createKeyGroupWith, type KeyGroup, type PublicKeyInput } from './verify/key-group.js';
import { type Verdict, type VerifyOptions, verifyRequestWith } from './verify/verify.js';

/** Options of `getSignedUrl` / `getSignedCookies`, named as in `@aws-sdk/cloudfront-signer`. */
export interface GetSignedOptions {
  url: string;
  keyPairId: string;
  privateKey: PrivateKeyInput;
  passphrase?: string;
  dateLessThan?: DateInput;
  expiresIn?: Duration;
  dateGreaterThan?: DateInput;
  ipAddress?: string;
  /** A complete custom policy JSON, signed as given. */
  policy?: string;
  /** Custom-policy resource (wildcards allowed) for the generated policy. */
  policyResource?: string;
  hashAlgorithm?: HashAlgorithm;
  /** `@aws-sdk/cloudfront-signer`'s name for `hashAlgorithm`. */
  algorithm?: HashAlgorithm;
  /** Clock override in milliseconds. */
  now?: number;
}

export function bindBackend(backend: CryptoBackend) {
  const signers = new LruCache<string, Signer>(32);
  const signerFor = (o: GetSignedOptions): Signer => {
    if (typeof o !== 'object' || o === null)
      throw new TypeError('Pass an options object such as { url, keyPairId, privateKey, dateLessThan }.');
    if (typeof o.privateKey !== 'string')
      return createSignerWith(backend, { keyPairId: o.keyPairId, privateKey: o.privateKey, cache: false });
    const id = `${o.keyPairId}\n${o.passphrase ?? ''}\n${o.privateKey}`;
    let signer = signers.get(id);
    if (!signer) {
      const opts: SignerOptions = { keyPairId: o.keyPairId, privateKey: o.privateKey, cache: false };
      if (o.passphrase !== undefined) opts.passphrase = o.passphrase;
      signer = createSignerWith(backend, opts);
      signers.set(id, signer);
    }
    return signer;
  };
  const grant = (o: GetSignedOptions) => {
    const g: Record<string, unknown> = {};
    for (const k of [
      'dateLessThan',
      'expiresIn',
      'dateGreaterThan',
      'ipAddress',
      'policy',
      'hashAlgorithm',
      'now',
    ] as const)
      if (o[k] !== undefined) g[k] = o[k];
    if (o.policyResource !== undefined) g.resource = o.policyResource;
    if (o.algorithm !== undefined && o.hashAlgorithm === undefined) g.hashAlgorithm = o.algorithm;
    return g;
  };
  return {
    /**
     * Creates a signer: the key is parsed once; URLs, policies and cookies are signed fast.
     *
     * @example
     * ```ts
     * const signer = createSigner({ keyPairId: 'K2JCJMDEHXQW5F', privateKey: process.env.CF_PRIVATE_KEY! });
     * const url = await signer.signUrl('https://d111111abcdef8.cloudfront.net/a.jpg', { expiresIn: '10m' });
     * ```
     */
    createSigner: (options: SignerOptions): Signer => createSignerWith(backend, options),
    /**
     * Signs one URL, function style (option names as in `@aws-sdk/cloudfront-signer`; returns a Promise).
     *
     * @example
     * ```ts
     * const url = await getSignedUrl({ url, keyPairId: 'K2JCJMDEHXQW5F', privateKey, dateLessThan: new Date('2030-01-01') });
     * ```
     */
    getSignedUrl: (o: GetSignedOptions): Promise<string> => signerFor(o).signUrl(o.url, grant(o)),
    /**
     * Signs cookies, function style; returns name → value like `@aws-sdk/cloudfront-signer`.
     * A custom policy is used when `policy`, `policyResource`, `dateGreaterThan` or `ipAddress` is given, else canned.
     *
     * @example
     * ```ts
     * const cookies = await getSignedCookies({ url: 'https://cdn.example.com/private/*', policyResource: 'https://cdn.example.com/private/*', keyPairId, privateKey, dateLessThan });
     * ```
     */
    getSignedCookies: async (o: GetSignedOptions): Promise<Record<string, string>> => {
      const g = grant(o);
      const canned =
        o.policy === undefined &&
        o.policyResource === undefined &&
        o.dateGreaterThan === undefined &&
        o.ipAddress === undefined;
      const resource = o.policyResource ?? o.url;
      return (await signerFor(o).signCookies(resource, { ...g, canned, clearUnused: false })).values;
    },
    /**
     * Imports a trusted key group once, for the verify functions.
     *
     * @example
     * ```ts
     * const keys = createKeyGroup({ K2JCJMDEHXQW5F: publicKeyPem });
     * ```
     */
    createKeyGroup: (keys: Record<string, PublicKeyInput>): KeyGroup => createKeyGroupWith(backend, keys),
    /**
     * Verifies a request as CloudFront does: URL params win over cookies.
     *
     * @example
     * ```ts
     * const verdict = await verifyRequest(requestUrl, req.headers.cookie, { keys, clientIp });
     * if (!verdict.ok) console.log(verdict.error, verdict.reason, verdict.detail);
     * ```
     */
    verifyRequest: (
      url: string,
      cookies: string | Record<string, string> | undefined | null,
      options: VerifyOptions,
    ): Promise<Verdict> => verifyRequestWith(backend, url, cookies, options),
    /**
     * Verifies a signed URL (signing values in its query).
     *
     * @example
     * ```ts
     * const { ok, reason } = await verifySignedUrl(url, { keys: { K2JCJMDEHXQW5F: publicKeyPem } });
     * ```
     */
    verifySignedUrl: (url: string, options: VerifyOptions): Promise<Verdict> =>
      verifyRequestWith(backend, url, undefined, options),
    /**
     * Verifies signed cookies for a request URL (URL params, if any, still win as at the edge).
     *
     * @example
     * ```ts
     * const verdict = await verifySignedCookies('https://cdn.example.com/private/a.jpg', 'CloudFront-Policy=...; CloudFront-Signature=...; CloudFront-Key-Pair-Id=K1', { keys });
     * ```
     */
    verifySignedCookies: (
      url: string,
      cookies: string | Record<string, string>,
      options: VerifyOptions,
    ): Promise<Verdict> => verifyRequestWith(backend, url, cookies, options),
  };
}
