/**
 * Signing one URL: canonicalize, build the canned or custom policy (or check a given one), sign,
 * append the query. Canonicalization runs on every uncached call.
 * @module
 */
import { checkHashAlgorithm, checkOptions, readClock } from '../args.js';
import { type CacheEntry, sameShape } from '../cache-entry.js';
import { cannedBytesNow } from '../canned-bytes.js';
import { appendSignedQuery, canonicalizeUrl, preview, urlText } from '../canonical-url.js';
import type { HashAlgorithm } from '../crypto/types.js';
import { cfBase64Encode, utf8 } from '../encoding.js';
import { CfsignError } from '../errors.js';
import { checkPolicyCovers, readGivenPolicy } from '../given-policy.js';
import { bucketPhase, resolveIp, resolveResource, resolveTimes } from '../grant.js';
import { cannedTemplate, customTemplate } from '../policy.js';
import type { SignUrlOptions } from '../signer-types.js';
import { checkKnown, defaultHash, type SignerContext } from './context.js';
import { checkGivenAlone, hashTail, URL_LIMIT } from './policy.js';

const URL_OPTIONS = new Set([
  'expiresIn',
  'dateLessThan',
  'startsIn',
  'dateGreaterThan',
  'ipAddress',
  'now',
  'resource',
  'policy',
  'hashAlgorithm',
  'base',
  'verbatim',
  'reservedParams',
]);

/** A URL ready to sign: the policy and everything needed to assemble the result. */
export interface PreparedUrl {
  cacheKey: string | null;
  fp: CacheEntry | null;
  /** The custom policy text; empty for a canned policy, whose bytes come from `resource` and `expires`. */
  policy: string;
  canned: boolean;
  hash: HashAlgorithm;
  resource: string;
  fragment: string;
  expires: number;
}

/** Validates the call and builds the policy; returns the cached URL instead when there is one. */
export function prepareUrl(
  ctx: SignerContext,
  url: string | URL,
  options: SignUrlOptions,
): PreparedUrl | string {
  const o = checkOptions(options, 'signUrl', "{ expiresIn: '10m' }") as SignUrlOptions;
  checkKnown(o as Record<string, unknown>, URL_OPTIONS, 'signUrl');
  const text = urlText(url);
  const nowMs = readClock(o.now);
  const hash = checkHashAlgorithm(o.hashAlgorithm) ?? defaultHash(ctx);
  if (o.policy !== undefined) {
    checkGivenAlone(o as Record<string, unknown>, ['resource']);
    const given = readGivenPolicy(o.policy, Math.floor(nowMs / 1000), ctx.skew, ctx.anyResource);
    const { resource, fragment } = canonicalizeUrl(text, o);
    checkPolicyCovers(given, resource, 'URL');
    const expires = given.conditions.dateLessThan;
    return { cacheKey: null, fp: null, policy: given.text, canned: false, hash, resource, fragment, expires };
  }
  const cache = ctx.cache;
  const bucket = cache ? ctx.bucket : 0;
  const hit = cache ? cache.get(text) : undefined;
  // The link's phase is hashed once, then read from its cache entry.
  const phase = bucket > 1 ? (hit?.phase ?? bucketPhase(text, bucket)) : 0;
  const { expires, start } = resolveTimes(o, nowMs, bucket, ctx.skew, phase);
  const keyPairId = ctx.active.keyPairId;
  let fp: CacheEntry | null = null;
  if (cache) {
    fp = {
      out: '',
      keyPairId,
      hash,
      expires,
      start,
      ipAddress: o.ipAddress,
      resource: o.resource,
      // The text, not the object: a URL object changed between calls must not hit the old entry.
      base: o.base === undefined ? undefined : urlText(o.base, 'base'),
      verbatim: o.verbatim,
      reservedParams: o.reservedParams,
      phase,
    };
    if (hit !== undefined && sameShape(hit, fp)) return hit.out;
  }
  const cacheKey = cache ? text : null;
  const { resource, fragment } = canonicalizeUrl(text, o);
  const ip = resolveIp(o.ipAddress);
  if (o.resource === undefined && ip === undefined && start === undefined) {
    return { cacheKey, fp, policy: '', canned: true, hash, resource, fragment, expires };
  }
  // A policy Resource reads `*` as a wildcard: one taken from the link itself would grant far more.
  if (o.resource === undefined && resource.includes('*'))
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `${preview(resource)} holds a "*", which the custom policy needed for "ipAddress"/"startsIn" would read as a wildcard granting every URL it matches; percent-encode it (%2A), pass an explicit "resource", or sign without "ipAddress"/"startsIn" (canned policy).`,
    );
  const policyResource =
    o.resource === undefined ? resource : resolveResource(o.resource, resource, ctx.anyResource);
  const policy = customTemplate({
    resource: policyResource,
    dateLessThan: expires,
    ipAddress: ip,
    dateGreaterThan: start,
  });
  return { cacheKey, fp, policy, canned: false, hash, resource, fragment, expires };
}

/**
 * The bytes to sign. `synchronous`: the signature is made before this call's caller returns, so a
 * canned policy may use the reused buffer of {@link cannedBytesNow}; a signer that reads the bytes
 * later (WebCrypto, KMS) gets bytes of its own.
 */
export function policyBytes(p: PreparedUrl, synchronous: boolean): Uint8Array {
  if (!p.canned) return utf8(p.policy);
  return synchronous ? cannedBytesNow(p.resource, p.expires) : utf8(cannedTemplate(p.resource, p.expires));
}

/** Assembles the signed URL from the prepared policy and its signature, and caches it. */
export function finishUrl(ctx: SignerContext, p: PreparedUrl, sig: Uint8Array, keyPairId: string): string {
  const head = p.canned ? `Expires=${p.expires}` : `Policy=${cfBase64Encode(utf8(p.policy))}`;
  const out = appendSignedQuery(
    p.resource,
    `${head}&Signature=${cfBase64Encode(sig)}&Key-Pair-Id=${keyPairId}${hashTail(p.hash)}`,
    p.fragment,
  );
  const length = out.length - p.fragment.length;
  if (length > URL_LIMIT)
    throw new CfsignError(
      'ERR_URL_TOO_LONG',
      `The signed URL is ${length} bytes, over CloudFront's ${URL_LIMIT}; use an ECDSA key, a canned policy or signed cookies.`,
    );
  if (p.cacheKey !== null) ctx.cache!.set(p.cacheKey, { ...p.fp!, out });
  return out;
}
