/**
 * `createSigner`: parse the key once, then sign URLs, policies and cookies fast.
 * @module
 */

import { LruCache } from './cache.js';
import { type CacheEntry, sameShape } from './cache-entry.js';
import { appendSignedQuery, canonicalizeUrl, preview } from './canonical-url.js';
import { type Cookie, clearCookies, resolveAttributes, serializeCookie } from './cookies.js';
import type { CryptoBackend, HashAlgorithm } from './crypto/types.js';
import { cfBase64Encode, utf8 } from './encoding.js';
import { CfsignError } from './errors.js';
import { resolveIp, resolveResource, resolveTimes } from './grant.js';
import { type ActiveKey, loadKeys, signWith } from './key-source.js';
import { cannedPolicy, customPolicy, parsePolicy } from './policy.js';
import type { Signer, SignerOptions, SignUrlOptions } from './signer-types.js';
import { parseDuration } from './time.js';

const URL_LIMIT = 8192;

function checkLength(url: string, hashLen: number) {
  if (url.length - hashLen > URL_LIMIT)
    throw new CfsignError(
      'ERR_URL_TOO_LONG',
      `The signed URL is ${url.length - hashLen} bytes, over CloudFront's ${URL_LIMIT}; use an ECDSA key, a canned policy or signed cookies.`,
    );
}

/** Builds a {@link Signer} on a crypto backend; `@cfsign/core` binds the right one for the runtime. */
export function createSignerWith(backend: CryptoBackend, options: SignerOptions): Signer {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createSigner needs an options object.');
  const keys = loadKeys(backend, options);
  let active: ActiveKey = keys.get(options.keyring?.active ?? options.keyPairId!)!;
  const fixedHash = options.hashAlgorithm ?? (options.sign ? 'SHA256' : undefined);
  if (fixedHash !== undefined && fixedHash !== 'SHA1' && fixedHash !== 'SHA256')
    throw new TypeError('"hashAlgorithm" must be "SHA1" or "SHA256".');
  const defaultHash = (): HashAlgorithm => fixedHash ?? (active.type === 'ec' ? 'SHA256' : 'SHA1');
  const cacheOpts = options.cache === false ? null : (options.cache ?? {});
  // One slot per link text (hashing the caller's string once); the fingerprint holds everything else
  // that shapes the URL, so a link signed with other options or in another bucket is a miss.
  const cache = cacheOpts ? new LruCache<string, CacheEntry>(cacheOpts.maxEntries ?? 10_000) : null;
  const bucket = cacheOpts ? parseDuration(cacheOpts.bucket ?? 60, 'cache.bucket') : 0;
  const skew = parseDuration(options.clockSkew ?? 60, 'clockSkew');
  const timeoutMs = parseDuration(options.signTimeout ?? 10, 'signTimeout') * 1000;
  const anyResource = options.allowAnyResource === true;

  type Prepared = {
    cacheKey: string | null;
    fp: CacheEntry | null;
    policy: string;
    canned: boolean;
    hash: HashAlgorithm;
    resource: string;
    fragment: string;
    expires: number;
  };

  const prepareUrl = (url: string | URL, o: SignUrlOptions): Prepared | string => {
    if (typeof o !== 'object' || o === null)
      throw new TypeError('signUrl needs options such as { expiresIn: "10m" }.');
    const nowMs = o.now ?? Date.now();
    const hash = o.hashAlgorithm ?? defaultHash();
    const custom = o.policy === undefined ? null : parsePolicy(o.policy);
    const times = custom ? null : resolveTimes(o, nowMs, cache ? bucket : 0, skew);
    const text = typeof url === 'string' ? url : url.href;
    const cacheKey = cache && !custom ? text : null;
    const fp: CacheEntry | null =
      cacheKey === null
        ? null
        : {
            out: '',
            keyPairId: active.keyPairId,
            hash,
            expires: times!.expires,
            start: times!.start,
            ipAddress: o.ipAddress,
            resource: o.resource,
            base: o.base,
            verbatim: o.verbatim,
            reservedParams: o.reservedParams,
          };
    if (cacheKey !== null) {
      const hit = cache!.get(cacheKey);
      if (hit !== undefined && sameShape(hit, fp!)) return hit.out;
    }
    const { resource, fragment } = canonicalizeUrl(text, o);
    if (custom) {
      if (!custom.ok)
        throw new CfsignError('ERR_INVALID_POLICY', `The "policy" is malformed: ${custom.reason}.`);
      if (!custom.conditions.hasResource && !anyResource)
        throw new CfsignError(
          'ERR_INVALID_POLICY',
          'The "policy" has no Resource, which grants everything the key can reach; add a Resource.',
        );
      resolveResource(custom.conditions.resource, resource, true);
      return {
        cacheKey,
        fp,
        policy: o.policy!,
        canned: false,
        hash,
        resource,
        fragment,
        expires: custom.conditions.dateLessThan,
      };
    }
    const ip = resolveIp(o.ipAddress);
    const { expires, start } = times!;
    if (o.resource === undefined && ip === undefined && start === undefined)
      return {
        cacheKey,
        fp,
        policy: cannedPolicy(resource, expires),
        canned: true,
        hash,
        resource,
        fragment,
        expires,
      };
    // A policy Resource reads `*` as a wildcard: one taken from the link itself would grant far more.
    if (o.resource === undefined && resource.includes('*'))
      throw new CfsignError(
        'ERR_INVALID_RESOURCE',
        `${preview(resource)} holds a "*", which the custom policy needed for "ipAddress"/"startsIn" would read as a wildcard granting every URL it matches; percent-encode it (%2A), pass an explicit "resource", or sign without "ipAddress"/"startsIn" (canned policy).`,
      );
    const policyResource =
      o.resource === undefined ? resource : resolveResource(o.resource, resource, anyResource);
    const policy = customPolicy({
      resource: policyResource,
      dateLessThan: expires,
      ipAddress: ip,
      dateGreaterThan: start,
    });
    return { cacheKey, fp, policy, canned: false, hash, resource, fragment, expires };
  };

  const finish = (p: Prepared, sig: Uint8Array): string => {
    const head = p.canned ? `Expires=${p.expires}` : `Policy=${cfBase64Encode(utf8(p.policy))}`;
    const tail = p.hash === 'SHA256' ? '&Hash-Algorithm=SHA256' : '';
    const out = appendSignedQuery(
      p.resource,
      `${head}&Signature=${cfBase64Encode(sig)}&Key-Pair-Id=${active.keyPairId}${tail}`,
      p.fragment,
    );
    checkLength(out, p.fragment.length);
    if (p.cacheKey !== null) cache!.set(p.cacheKey, { ...p.fp!, out });
    return out;
  };

  const signPolicyText = async (policy: string, hash: HashAlgorithm) =>
    cfBase64Encode(await signWith(active, utf8(policy), hash, timeoutMs));

  const signer: Signer = {
    get keyPairId() {
      return active.keyPairId;
    },
    get keyType() {
      return active.type;
    },
    get hashAlgorithm() {
      return defaultHash();
    },
    get canSignSync() {
      return active.handle.signSync !== undefined;
    },
    async signUrl(url, o) {
      const p = prepareUrl(url, o);
      if (typeof p === 'string') return p;
      return finish(p, await signWith(active, utf8(p.policy), p.hash, timeoutMs));
    },
    signUrlSync(url, o) {
      const signSync = active.handle.signSync;
      if (!signSync)
        throw new CfsignError(
          'ERR_SYNC_UNAVAILABLE',
          'Synchronous signing needs a local key on Node (`@cfsign/core/node`); use `await signer.signUrl()`.',
        );
      const p = prepareUrl(url, o);
      return typeof p === 'string' ? p : finish(p, signSync(utf8(p.policy), p.hash));
    },
    async signPolicy(o) {
      if (typeof o !== 'object' || o === null)
        throw new TypeError('signPolicy needs options such as { resource, expiresIn }.');
      const hash = o.hashAlgorithm ?? defaultHash();
      const { expires, start } = resolveTimes(o, o.now ?? Date.now(), cache ? bucket : 0, skew);
      const resource = resolveResource(o.resource, undefined, anyResource);
      const policy = customPolicy({
        resource,
        dateLessThan: expires,
        ipAddress: resolveIp(o.ipAddress),
        dateGreaterThan: start,
      });
      const cacheKey = cache ? `P|${active.keyPairId}|${hash}|${policy}` : null;
      const hit = cacheKey ? cache!.get(cacheKey)?.out : undefined;
      const signature = hit ?? (await signPolicyText(policy, hash));
      if (cacheKey && !hit)
        cache!.set(cacheKey, { out: signature, keyPairId: active.keyPairId, hash, expires });
      const tail = hash === 'SHA256' ? '&Hash-Algorithm=SHA256' : '';
      const query = `Policy=${cfBase64Encode(utf8(policy))}&Signature=${signature}&Key-Pair-Id=${active.keyPairId}${tail}`;
      return { policy, query, signature, expires, keyPairId: active.keyPairId, hashAlgorithm: hash };
    },
    async signCookies(resourceOrUrl, o) {
      if (typeof o !== 'object' || o === null)
        throw new TypeError('signCookies needs options such as { expiresIn: "1h" }.');
      const hash = o.hashAlgorithm ?? defaultHash();
      const nowSec = Math.floor((o.now ?? Date.now()) / 1000);
      const values: Record<string, string> = {};
      let resource: string;
      let expires: number;
      if (o.policy !== undefined) {
        const parsed = parsePolicy(o.policy);
        if (!parsed.ok)
          throw new CfsignError('ERR_INVALID_POLICY', `The "policy" is malformed: ${parsed.reason}.`);
        if (!parsed.conditions.hasResource && !anyResource)
          throw new CfsignError(
            'ERR_INVALID_POLICY',
            'The "policy" has no Resource, which grants everything the key can reach; add a Resource.',
          );
        resource = parsed.conditions.resource;
        expires = parsed.conditions.dateLessThan;
        values['CloudFront-Policy'] = cfBase64Encode(utf8(o.policy));
        values['CloudFront-Signature'] = await signPolicyText(o.policy, hash);
      } else {
        const times = resolveTimes(o, o.now ?? Date.now(), cache ? bucket : 0, skew);
        expires = times.expires;
        if (o.canned) {
          if (o.ipAddress !== undefined || times.start !== undefined)
            throw new TypeError(
              'Canned cookies carry no start time or IP; drop "canned" to use a custom policy.',
            );
          resource = canonicalizeUrl(resourceOrUrl).resource;
          values['CloudFront-Expires'] = String(expires);
          values['CloudFront-Signature'] = await signPolicyText(cannedPolicy(resource, expires), hash);
        } else {
          resource = resolveResource(resourceOrUrl, undefined, anyResource);
          const policy = customPolicy({
            resource,
            dateLessThan: expires,
            ipAddress: resolveIp(o.ipAddress),
            dateGreaterThan: times.start,
          });
          values['CloudFront-Policy'] = cfBase64Encode(utf8(policy));
          values['CloudFront-Signature'] = await signPolicyText(policy, hash);
        }
      }
      values['CloudFront-Key-Pair-Id'] = active.keyPairId;
      if (hash === 'SHA256') values['CloudFront-Hash-Algorithm'] = 'SHA256';
      const attrs = resolveAttributes(o, resource, Math.max(0, expires - nowSec));
      const cookies: Cookie[] = Object.entries(values).map(([name, value]) => ({ name, value, ...attrs }));
      const unused = ['CloudFront-Policy', 'CloudFront-Expires', 'CloudFront-Hash-Algorithm'].filter(
        (n) => !(n in values),
      );
      const cleared = o.clearUnused === false ? [] : clearCookies(attrs, unused);
      return { cookies, setCookie: [...cookies, ...cleared].map(serializeCookie), values, expires };
    },
    clearCookies: (attributes) => clearCookies(attributes),
    cacheStats: () =>
      cache
        ? { size: cache.size, maxEntries: cache.maxEntries, hits: cache.hits, misses: cache.misses }
        : null,
    useKey(keyPairId) {
      const next = keys.get(keyPairId);
      if (!next)
        throw new CfsignError(
          'ERR_UNKNOWN_KEY_PAIR_ID',
          `Key ${JSON.stringify(keyPairId)} is not in the keyring; add it to "keyring.keys" first.`,
        );
      active = next;
      cache?.clear();
    },
  };
  const describe = () =>
    `Signer { keyPairId: '${active.keyPairId}', keyType: '${active.type ?? 'external'}', hashAlgorithm: '${defaultHash()}', backend: '${backend.name}' }`;
  Object.defineProperty(signer, Symbol.for('nodejs.util.inspect.custom'), { value: describe });
  Object.defineProperty(signer, 'toJSON', {
    value: () => ({ keyPairId: active.keyPairId, keyType: active.type, hashAlgorithm: defaultHash() }),
  });
  Object.defineProperty(signer, 'toString', { value: describe });
  return Object.freeze(signer);
}
