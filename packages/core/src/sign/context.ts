/**
 * What every signing operation shares: the keys (and which one is active), the default hash, the
 * signature cache and the time rules. Built once by `createSigner` from validated options.
 * @module
 */
import { checkBoolean, checkHashAlgorithm, checkOptions, isOptions, show } from '../args.js';
import { LruCache } from '../cache.js';
import type { CacheEntry } from '../cache-entry.js';
import type { CryptoBackend, HashAlgorithm } from '../crypto/types.js';
import { CfsignError } from '../errors.js';
import { type ActiveKey, loadKeys } from '../key-source.js';
import type { SignerOptions } from '../signer-types.js';
import { type Duration, parseDuration } from '../time.js';

/** The shared state of one signer. `active` changes on `useKey`. */
export interface SignerContext {
  readonly backend: CryptoBackend;
  readonly keys: Map<string, ActiveKey>;
  active: ActiveKey;
  /** The hash set at creation (`hashAlgorithm`, or SHA-256 for a `sign` callback). */
  readonly fixedHash: HashAlgorithm | undefined;
  /** One slot per link text; `null` when caching is off. */
  readonly cache: LruCache<string, CacheEntry> | null;
  /** Expiry bucket in seconds (0 without a cache). */
  readonly bucket: number;
  /** Clock-skew margin in seconds. */
  readonly skew: number;
  readonly timeoutMs: number;
  readonly anyResource: boolean;
}

const SIGNER_OPTIONS = new Set([
  'keyPairId',
  'privateKey',
  'passphrase',
  'keyring',
  'sign',
  'keyType',
  'hashAlgorithm',
  'cache',
  'clockSkew',
  'signTimeout',
  'allowAnyResource',
]);

/**
 * Refuses option names the function does not know (a typo such as `ipaddress` would otherwise grant
 * more than asked). Keys whose value is `undefined` are ignored.
 */
export function checkKnown(o: Record<string, unknown>, known: ReadonlySet<string>, fn: string): void {
  for (const k in o)
    if (o[k] !== undefined && !known.has(k))
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        `${fn} has no option ${show(k)}; the options are: ${[...known].join(', ')}.`,
      );
}

/** The hash used when a call names none: the fixed one, else SHA-256 for ECDSA and SHA-1 for RSA. */
export function defaultHash(ctx: SignerContext): HashAlgorithm {
  return ctx.fixedHash ?? (ctx.active.type === 'ec' ? 'SHA256' : 'SHA1');
}

/** Validates `createSigner` options and loads the keys. */
export function createContext(backend: CryptoBackend, input: SignerOptions): SignerContext {
  const options = checkOptions(input, 'createSigner', "{ keyPairId: 'K2JCJMDEHXQW5F', privateKey: pem }");
  checkKnown(options, SIGNER_OPTIONS, 'createSigner');
  const o = input;
  const fixedHash = checkHashAlgorithm(o.hashAlgorithm) ?? (o.sign !== undefined ? 'SHA256' : undefined);
  const anyResource = checkBoolean(o.allowAnyResource, 'allowAnyResource') === true;
  const cacheOpts = readCacheOptions(o.cache);
  const bucket = cacheOpts ? parseDuration((cacheOpts.bucket ?? 60) as Duration, 'cache.bucket') : 0;
  const skew = parseDuration(o.clockSkew ?? 60, 'clockSkew');
  // Fractions count here (a timeout of 0.05 s is a fair test setting); zero would fail every call.
  const timeoutMs =
    typeof o.signTimeout === 'number' && o.signTimeout > 0 && o.signTimeout < 1
      ? o.signTimeout * 1000
      : parseDuration(o.signTimeout ?? 10, 'signTimeout') * 1000;
  if (timeoutMs === 0)
    throw new CfsignError('ERR_INVALID_DURATION', '"signTimeout" must be more than 0 seconds, such as 10.');
  const keys = loadKeys(backend, o);
  const active = keys.get(o.keyring?.active ?? o.keyPairId!)!;
  // One slot per link text (hashing the caller's string once); the fingerprint holds everything else
  // that shapes the URL, so a link signed with other options or in another bucket is a miss.
  const cache = cacheOpts ? new LruCache<string, CacheEntry>(cacheOpts.maxEntries ?? 10_000) : null;
  return { backend, keys, active, fixedHash, cache, bucket, skew, timeoutMs, anyResource };
}

function readCacheOptions(cache: unknown): { maxEntries?: number; bucket?: unknown } | null {
  if (cache === false) return null;
  if (cache === undefined || cache === true) return {};
  const ok =
    isOptions(cache) &&
    Object.keys(cache).every((k) => k === 'maxEntries' || k === 'bucket') &&
    (cache.maxEntries === undefined ||
      (typeof cache.maxEntries === 'number' && Number.isInteger(cache.maxEntries) && cache.maxEntries >= 2));
  if (!ok)
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `"cache" must be false or { maxEntries?: an integer >= 2, bucket?: a duration such as 60 }; got ${show(cache)}${isOptions(cache) ? ` with maxEntries ${show(cache.maxEntries)}` : ''}.`,
    );
  return cache as { maxEntries?: number; bucket?: unknown };
}
