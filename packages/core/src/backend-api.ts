/**
 * The function-style API (`createSigner`, `getSignedUrl`, `getSignedCookies`, `createKeyGroup`, the
 * verifiers) bound to one crypto backend. `index.node.ts` and `index.web.ts` each
 * call this once, so users never pass a backend.
 * @module
 */
import { checkHashAlgorithm, checkOptions, show } from './args.js';
import { LruCache } from './cache.js';
import type { CryptoBackend, HashAlgorithm } from './crypto/types.js';
import { CfsignError, unreadable } from './errors.js';
import { checkKeyPairId, type PrivateKeyInput } from './key-source.js';
import { checkKnown } from './sign/context.js';
import { createSignerWith } from './signer.js';
import type { Signer, SignerOptions } from './signer-types.js';
import type { DateInput, Duration } from './time.js';
import { createKeyGroupWith, type KeyGroup, type PublicKeyInput } from './verify/key-group.js';
import { type Verdict, type VerifyOptions, verifyRequestWith } from './verify/verify.js';

/** Options of `getSignedUrl` / `getSignedCookies`, named as in `@aws-sdk/cloudfront-signer`. */
export interface GetSignedOptions {
  url: string | URL;
  keyPairId: string;
  privateKey: PrivateKeyInput;
  passphrase?: string;
  /** Expiry: a `Date`, an ISO string, or milliseconds (as the AWS SDK reads numbers). */
  dateLessThan?: DateInput;
  expiresIn?: Duration;
  dateGreaterThan?: DateInput;
  ipAddress?: string;
  /** A complete custom policy (JSON text or an object), validated, then signed as given. */
  policy?: string | object;
  /** Custom-policy resource (wildcards allowed) for the generated policy. */
  policyResource?: string;
  hashAlgorithm?: HashAlgorithm;
  /** `@aws-sdk/cloudfront-signer`'s name for `hashAlgorithm`. */
  algorithm?: HashAlgorithm;
  /** Clock override: milliseconds since the epoch or a `Date`. */
  now?: number | Date;
}

const GET_SIGNED_OPTIONS = new Set([
  'url',
  'keyPairId',
  'privateKey',
  'passphrase',
  'dateLessThan',
  'expiresIn',
  'dateGreaterThan',
  'ipAddress',
  'policy',
  'policyResource',
  'hashAlgorithm',
  'algorithm',
  'now',
]);
const GRANT_NAMES = [
  'dateLessThan',
  'expiresIn',
  'dateGreaterThan',
  'ipAddress',
  'policy',
  'hashAlgorithm',
  'now',
] as const;

/** The function-style API (`getSignedUrl`, `createSigner`, the verifiers) bound to one crypto backend. */
export function bindBackend(backend: CryptoBackend) {
  // Keyed by the PEM text itself (V8 keeps a string's hash, so the same string costs no hashing),
  // then by key pair ID and passphrase.
  const signers = new LruCache<string, Map<string, Signer>>(32);
  const signerFor = (input: GetSignedOptions, fn: string): Signer => {
    const o = checkOptions(input, fn, '{ url, keyPairId, privateKey, dateLessThan }');
    checkKnown(o, GET_SIGNED_OPTIONS, fn);
    const keyPairId = checkKeyPairId(o.keyPairId);
    if (o.passphrase !== undefined && typeof o.passphrase !== 'string')
      throw new CfsignError(
        'ERR_KEY_PASSPHRASE',
        `"passphrase" must be a string; got ${show(o.passphrase)}.`,
      );
    if (typeof o.privateKey !== 'string')
      return createSignerWith(backend, {
        keyPairId,
        privateKey: o.privateKey as PrivateKeyInput,
        cache: false,
      });
    let byId = signers.get(o.privateKey);
    if (byId === undefined) {
      byId = new Map();
      signers.set(o.privateKey, byId);
    }
    const id = o.passphrase === undefined ? keyPairId : `${keyPairId}\n${o.passphrase}`;
    let signer = byId.get(id);
    if (!signer) {
      const opts: SignerOptions = { keyPairId, privateKey: o.privateKey, cache: false };
      if (o.passphrase !== undefined) opts.passphrase = o.passphrase as string;
      signer = createSignerWith(backend, opts);
      if (byId.size >= 8) byId.clear();
      byId.set(id, signer);
    }
    return signer;
  };
  const grant = (o: GetSignedOptions) => {
    const g: Record<string, unknown> = {};
    for (const k of GRANT_NAMES) if (o[k] !== undefined) g[k] = o[k];
    if (o.policyResource !== undefined) g.resource = o.policyResource;
    const algorithm = checkHashAlgorithm(o.algorithm, 'algorithm');
    if (algorithm !== undefined && o.hashAlgorithm !== undefined && algorithm !== o.hashAlgorithm)
      throw new CfsignError(
        'ERR_INVALID_HASH_ALGORITHM',
        `"algorithm" (${algorithm}) and "hashAlgorithm" (${show(o.hashAlgorithm)}) disagree; pass only one.`,
      );
    if (algorithm !== undefined) g.hashAlgorithm = algorithm;
    return g;
  };
  const signedCookies = async (o: GetSignedOptions): Promise<Record<string, string>> => {
    const signer = signerFor(o, 'getSignedCookies');
    const g = grant(o);
    const url = o.url instanceof URL ? o.url.href : o.url;
    // A URL with "*" asks for a wildcard grant, which only a custom policy gives.
    const canned =
      !(typeof url === 'string' && url.includes('*')) &&
      o.policy === undefined &&
      o.policyResource === undefined &&
      o.dateGreaterThan === undefined &&
      o.ipAddress === undefined;
    const resource = o.policyResource ?? url;
    g.resource = undefined;
    return (await signer.signCookies(resource, { ...g, canned, clearUnused: false })).values;
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
    createSigner(options: SignerOptions): Signer {
      try {
        return createSignerWith(backend, options);
      } catch (err) {
        throw unreadable(err, 'createSigner');
      }
    },
    /**
     * Signs one URL, function style (option names as in `@aws-sdk/cloudfront-signer`; returns a Promise).
     *
     * @example
     * ```ts
     * const url = await getSignedUrl({ url, keyPairId: 'K2JCJMDEHXQW5F', privateKey, dateLessThan: new Date('2030-01-01') });
     * ```
     */
    getSignedUrl: (o: GetSignedOptions): Promise<string> => {
      // Not `async`: the signer's promise is returned as it is, without another hop.
      try {
        return signerFor(o, 'getSignedUrl').signUrl(o.url, grant(o));
      } catch (err) {
        return Promise.reject(unreadable(err, 'getSignedUrl'));
      }
    },
    /**
     * Signs cookies, function style; returns name → value like `@aws-sdk/cloudfront-signer`.
     * A custom policy is used when `policy`, `policyResource`, `dateGreaterThan` or `ipAddress` is given or the URL holds a `*`, else canned.
     *
     * @example
     * ```ts
     * const cookies = await getSignedCookies({ url: 'https://cdn.example.com/private/*', policyResource: 'https://cdn.example.com/private/*', keyPairId, privateKey, dateLessThan });
     * ```
     */
    getSignedCookies: (o: GetSignedOptions): Promise<Record<string, string>> =>
      signedCookies(o).catch((err) => Promise.reject(unreadable(err, 'getSignedCookies'))),
    /**
     * Imports a trusted key group once, for the verify functions.
     *
     * @example
     * ```ts
     * const keys = createKeyGroup({ K2JCJMDEHXQW5F: publicKeyPem });
     * ```
     */
    createKeyGroup(keys: Record<string, PublicKeyInput>): KeyGroup {
      try {
        return createKeyGroupWith(backend, keys);
      } catch (err) {
        throw unreadable(err, 'createKeyGroup');
      }
    },
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
