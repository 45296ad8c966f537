/**
 * The verifier: checks a request exactly as the CloudFront edge does (docs/signing.md §7, §8, §9).
 * Never throws on hostile input; returns a {@link Verdict}.
 * @module
 */

import { checkOptions, isOptions, readClock, show } from '../args.js';
import { cannedBytesNow } from '../canned-bytes.js';
import type { CryptoBackend, HashAlgorithm } from '../crypto/types.js';
import { cfBase64DecodeNow, cfBase64DecodeView, utf8 } from '../encoding.js';
import { CfsignError, unreadable } from '../errors.js';
import { ipInRange, parseIpv4, parseIpv4Cidr } from '../ip.js';
import { cannedTemplate, type PolicyConditions, parsePolicy } from '../policy.js';
import { matchWildcard } from '../wildcard.js';
import { type KeyGroup, type PublicKeyInput, toKeyGroup } from './key-group.js';
import { paramsFromCookies } from './read-params.js';
import { readSignedUrl, type SignedParams } from './signed-params.js';

/** Why a request was refused, in plain words. */
export type DenyReason =
  | 'missing-key-pair-id'
  | 'unknown-key'
  | 'malformed-policy'
  | 'bad-encoding'
  | 'missing-signature'
  | 'missing-expires'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'ip-mismatch'
  | 'resource-mismatch'
  | 'url-too-long';

/** CloudFront's error codes for refused signed requests. */
export type EdgeError = 'MissingKey' | 'UnknownKey' | 'MalformedPolicy' | 'AccessDenied';

/** The outcome of a verification. */
export interface Verdict {
  ok: boolean;
  status: 200 | 403;
  error?: EdgeError;
  /** CloudFront's own message text for `error`. */
  message?: string;
  reason?: DenyReason;
  /** What went wrong, for humans; never holds signatures or keys. */
  detail?: string;
  source: 'url' | 'cookie' | 'none';
  keyPairId?: string;
  hashAlgorithm?: HashAlgorithm;
  /** The request URL without signing params (what a canned policy names). */
  resource: string;
  /** The policy conditions that were checked, when readable. */
  policy?: PolicyConditions & { canned: boolean };
}

/** Options of the verify functions. */
export interface VerifyOptions {
  /** Trusted key group: key id → public key, or a group from `createKeyGroup`. */
  keys: KeyGroup | Record<string, PublicKeyInput>;
  /** Clock: milliseconds since the epoch or a `Date` (default `Date.now()`); anything else is refused. */
  now?: number | Date;
  /** The viewer's IP address, for IP-restricted policies (IPv4-mapped IPv6 is read as IPv4). */
  clientIp?: string | undefined;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

const MESSAGES: Record<EdgeError, string> = {
  MissingKey: 'Missing Key-Pair-Id query parameter or cookie value',
  UnknownKey: 'Unknown Key',
  MalformedPolicy: 'Malformed Policy',
  AccessDenied: 'Access denied',
};

function deny(v: Verdict, error: EdgeError, reason: DenyReason, detail: string): Verdict {
  v.error = error;
  v.message = MESSAGES[error];
  v.reason = reason;
  v.detail = detail;
  return v;
}

/** Verifies a request whose signing values are in the URL or, failing that, in cookies. */
export function verifyRequestWith(
  backend: CryptoBackend,
  url: string,
  cookies: string | Record<string, string> | undefined | null,
  options: VerifyOptions,
): Promise<Verdict> {
  try {
    const o = checkOptions(
      options,
      'verify',
      '{ keys: { K2JCJMDEHXQW5F: publicKeyPem } }',
    ) as unknown as VerifyOptions;
    if (!isOptions(o.keys))
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        `"keys" must map key ids to public keys, such as { K2JCJMDEHXQW5F: publicKeyPem }, or be a group from createKeyGroup; got ${show(o.keys)}.`,
      );
    if (o.clientIp !== undefined && o.clientIp !== null && typeof o.clientIp !== 'string')
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        `"clientIp" must be the viewer's address as a string (or undefined); got ${show(o.clientIp)}.`,
      );
    // Read the clock up front: a clock that is not a time would otherwise let expired grants through.
    const nowSec = Math.floor(readClock(o.now) / 1000);
    const valid = typeof url === 'string';
    const read = valid ? readSignedUrl(url) : null;
    const params = read?.params ?? paramsFromCookies(cookies) ?? { source: 'none' as const };
    const v: Verdict = { ok: false, status: 403, source: params.source, resource: read?.resource ?? '' };
    if (!valid || url.length > 8192)
      return Promise.resolve(deny(v, 'AccessDenied', 'url-too-long', 'The URL is over 8,192 bytes.'));
    return Promise.resolve(verifyParams(backend, params, v, o, nowSec));
  } catch (err) {
    return Promise.reject(unreadable(err, 'The verifier'));
  }
}

function verifyParams(
  backend: CryptoBackend,
  p: SignedParams,
  v: Verdict,
  o: VerifyOptions,
  nowSec: number,
): Verdict | Promise<Verdict> {
  if (!p.keyPairId)
    return deny(
      v,
      'MissingKey',
      'missing-key-pair-id',
      `No Key-Pair-Id ${p.source === 'cookie' ? 'cookie' : 'query parameter'} was sent.`,
    );
  let group: KeyGroup;
  try {
    group = toKeyGroup(backend, o.keys);
  } catch (err) {
    return deny(
      v,
      'UnknownKey',
      'unknown-key',
      `The trusted key group could not be loaded: ${(err as Error).message}`,
    );
  }
  const keyPairId = p.keyPairId;
  v.keyPairId = keyPairId;
  const key = group.get(keyPairId);
  if (!key)
    return deny(
      v,
      'UnknownKey',
      'unknown-key',
      `Key ${JSON.stringify(keyPairId.slice(0, 40))} is not in the trusted key group of this behavior (trusted: ${group.ids.join(', ') || 'none'}).`,
    );
  let hash: HashAlgorithm = 'SHA1';
  if (p.hashAlgorithm !== undefined) {
    if (p.hashAlgorithm !== 'SHA256')
      return deny(v, 'AccessDenied', 'bad-encoding', 'Hash-Algorithm must be SHA256 when present.');
    hash = 'SHA256';
  }
  v.hashAlgorithm = hash;
  let policyBytes: Uint8Array;
  let policy: PolicyConditions & { canned: boolean };
  let hasResource = true;
  if (p.policy !== undefined) {
    const bytes = cfBase64DecodeView(p.policy);
    if (!bytes)
      return deny(
        v,
        'MalformedPolicy',
        'malformed-policy',
        'The Policy is not CloudFront base64 (A-Z a-z 0-9 - ~ with _ padding).',
      );
    const parsed = parsePolicy(decoder.decode(bytes));
    if (!parsed.ok)
      return deny(v, 'MalformedPolicy', 'malformed-policy', `The Policy is malformed: ${parsed.reason}.`);
    const c = parsed.conditions;
    if (c.ipAddress !== undefined && !parseIpv4Cidr(c.ipAddress))
      return deny(v, 'MalformedPolicy', 'malformed-policy', 'The Policy IpAddress is not an IPv4 CIDR.');
    policyBytes = bytes;
    hasResource = c.hasResource;
    policy = { resource: c.resource, dateLessThan: c.dateLessThan, canned: false };
    if (c.ipAddress !== undefined) policy.ipAddress = c.ipAddress;
    if (c.dateGreaterThan !== undefined) policy.dateGreaterThan = c.dateGreaterThan;
  } else {
    if (p.expires === undefined)
      return deny(v, 'AccessDenied', 'missing-expires', 'Neither Expires nor Policy was sent.');
    if (!/^\d{1,10}$/.test(p.expires))
      return deny(v, 'AccessDenied', 'bad-encoding', 'Expires is not a whole number of seconds.');
    const expires = Number(p.expires);
    policy = { resource: v.resource, dateLessThan: expires, canned: true };
    // Checked at once by a synchronous verify: the reused buffer; a later (async) check gets its own copy.
    policyBytes = key.verifySync
      ? cannedBytesNow(v.resource, expires)
      : utf8(cannedTemplate(v.resource, expires));
  }
  v.policy = policy;
  if (!p.signature) return deny(v, 'AccessDenied', 'missing-signature', 'No Signature was sent.');
  // A synchronous check reads the signature at once: a reused buffer (not the policy's, which may be
  // a view of the slab); a later (async) check gets bytes that stay as written.
  const sig = key.verifySync ? cfBase64DecodeNow(p.signature) : cfBase64DecodeView(p.signature);
  if (!sig) return deny(v, 'AccessDenied', 'bad-encoding', 'The Signature is not CloudFront base64.');
  // Node verifies synchronously: no promise hop on the hot path.
  if (key.verifySync)
    return judge(v, key.verifySync(policyBytes, sig, hash), policy, hasResource, keyPairId, hash, o, nowSec);
  return key
    .verify(policyBytes, sig, hash)
    .then((valid) => judge(v, valid, policy, hasResource, keyPairId, hash, o, nowSec));
}

function judge(
  v: Verdict,
  valid: boolean,
  policy: PolicyConditions & { canned: boolean },
  hasResource: boolean,
  keyPairId: string,
  hash: HashAlgorithm,
  o: VerifyOptions,
  now: number,
): Verdict {
  if (!valid)
    return deny(
      v,
      'AccessDenied',
      'bad-signature',
      `The signature does not match the ${policy.canned ? 'canned policy rebuilt from this URL' : 'policy'} under key ${keyPairId} with ${hash}.`,
    );
  if (now >= policy.dateLessThan)
    return deny(
      v,
      'AccessDenied',
      'expired',
      `Expired at ${iso(policy.dateLessThan)}, ${now - policy.dateLessThan} s before now (${iso(now)}).`,
    );
  if (policy.dateGreaterThan !== undefined && now < policy.dateGreaterThan)
    return deny(
      v,
      'AccessDenied',
      'not-yet-valid',
      `Valid from ${iso(policy.dateGreaterThan)}, ${policy.dateGreaterThan - now} s after now (${iso(now)}).`,
    );
  if (policy.ipAddress !== undefined) {
    const ip = o.clientIp ?? undefined;
    if (!ip || parseIpv4(ip) === null || !ipInRange(ip, policy.ipAddress))
      return deny(
        v,
        'AccessDenied',
        'ip-mismatch',
        `The viewer IP ${ip ?? '(unknown)'} is outside ${policy.ipAddress}${ip?.includes(':') && !ip.startsWith('::ffff:') ? ' (IPv6 viewers never match IP policies)' : ''}.`,
      );
  }
  if (!policy.canned && hasResource && !matchWildcard(policy.resource, v.resource))
    return deny(
      v,
      'AccessDenied',
      'resource-mismatch',
      `The URL does not match the policy resource ${JSON.stringify(policy.resource.slice(0, 200))}.`,
    );
  v.ok = true;
  v.status = 200;
  return v;
}

function iso(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace('.000Z', 'Z');
}
