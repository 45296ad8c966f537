/**
 * The verifier: checks a request exactly as the CloudFront edge does (spec §7, §8, §10).
 * Never throws on hostile input; returns a {@link Verdict}.
 * @module
 */
import type { CryptoBackend, HashAlgorithm } from '../crypto/types.js';
import { cfBase64Decode, utf8 } from '../encoding.js';
import { ipInRange, parseIpv4, parseIpv4Cidr } from '../ip.js';
import { cannedPolicy, type PolicyConditions, parsePolicy } from '../policy.js';
import { matchWildcard } from '../wildcard.js';
import { type KeyGroup, type PublicKeyInput, toKeyGroup } from './key-group.js';
import { paramsFromCookies, paramsFromUrl, type SignedParams, stripSigningParams } from './signed-params.js';

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
  /** Clock in milliseconds (default `Date.now()`). */
  now?: number | Date;
  /** The viewer's IP address, for IP-restricted policies. */
  clientIp?: string;
}

const MESSAGES: Record<EdgeError, string> = {
  MissingKey: 'Missing Key-Pair-Id query parameter or cookie value',
  UnknownKey: 'Unknown Key',
  MalformedPolicy: 'Malformed Policy',
  AccessDenied: 'Access denied',
};

function deny(
  base: Pick<Verdict, 'source' | 'resource'> & Partial<Verdict>,
  error: EdgeError,
  reason: DenyReason,
  detail: string,
): Verdict {
  return { ...base, ok: false, status: 403, error, message: MESSAGES[error], reason, detail };
}

/** Verifies a request whose signing values are in the URL or, failing that, in cookies. */
export async function verifyRequestWith(
  backend: CryptoBackend,
  url: string,
  cookies: string | Record<string, string> | undefined | null,
  options: VerifyOptions,
): Promise<Verdict> {
  const resource = typeof url === 'string' ? stripSigningParams(url) : '';
  const params = (typeof url === 'string' ? paramsFromUrl(url) : null) ??
    paramsFromCookies(cookies) ?? { source: 'none' as const };
  const base = { source: params.source, resource };
  if (typeof url !== 'string' || url.length > 8192)
    return deny(base, 'AccessDenied', 'url-too-long', 'The URL is over 8,192 bytes.');
  return verifyParams(backend, params, base, options);
}

async function verifyParams(
  backend: CryptoBackend,
  p: SignedParams,
  base: { source: Verdict['source']; resource: string },
  o: VerifyOptions,
): Promise<Verdict> {
  if (!p.keyPairId)
    return deny(
      base,
      'MissingKey',
      'missing-key-pair-id',
      `No Key-Pair-Id ${p.source === 'cookie' ? 'cookie' : 'query parameter'} was sent.`,
    );
  let group: KeyGroup;
  try {
    group = toKeyGroup(backend, o.keys);
  } catch (err) {
    return deny(
      base,
      'UnknownKey',
      'unknown-key',
      `The trusted key group could not be loaded: ${(err as Error).message}`,
    );
  }
  const keyPairId = p.keyPairId;
  const key = group.get(keyPairId);
  const withKey = { ...base, keyPairId };
  if (!key)
    return deny(
      withKey,
      'UnknownKey',
      'unknown-key',
      `Key ${JSON.stringify(keyPairId.slice(0, 40))} is not in the trusted key group of this behavior (trusted: ${group.ids.join(', ') || 'none'}).`,
    );
  let hash: HashAlgorithm = 'SHA1';
  if (p.hashAlgorithm !== undefined) {
    if (p.hashAlgorithm !== 'SHA256')
      return deny(withKey, 'AccessDenied', 'bad-encoding', 'Hash-Algorithm must be SHA256 when present.');
    hash = 'SHA256';
  }
  const withHash = { ...withKey, hashAlgorithm: hash };
  let policyBytes: Uint8Array;
  let conditions: PolicyConditions & { canned: boolean; hasResource: boolean };
  if (p.policy !== undefined) {
    const bytes = cfBase64Decode(p.policy);
    if (!bytes)
      return deny(
        withHash,
        'MalformedPolicy',
        'malformed-policy',
        'The Policy is not CloudFront base64 (A-Z a-z 0-9 - ~ with _ padding).',
      );
    const parsed = parsePolicy(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
    if (!parsed.ok)
      return deny(
        withHash,
        'MalformedPolicy',
        'malformed-policy',
        `The Policy is malformed: ${parsed.reason}.`,
      );
    if (parsed.conditions.ipAddress !== undefined && !parseIpv4Cidr(parsed.conditions.ipAddress))
      return deny(
        withHash,
        'MalformedPolicy',
        'malformed-policy',
        'The Policy IpAddress is not an IPv4 CIDR.',
      );
    policyBytes = bytes;
    conditions = { ...parsed.conditions, canned: false };
  } else {
    if (p.expires === undefined)
      return deny(withHash, 'AccessDenied', 'missing-expires', 'Neither Expires nor Policy was sent.');
    if (!/^\d{1,10}$/.test(p.expires))
      return deny(withHash, 'AccessDenied', 'bad-encoding', 'Expires is not a whole number of seconds.');
    const expires = Number(p.expires);
    conditions = { resource: base.resource, dateLessThan: expires, canned: true, hasResource: true };
    policyBytes = utf8(cannedPolicy(base.resource, expires));
  }
  const { hasResource: _, ...policy } = conditions;
  const checked = { ...withHash, policy };
  if (!p.signature) return deny(checked, 'AccessDenied', 'missing-signature', 'No Signature was sent.');
  const sig = cfBase64Decode(p.signature);
  if (!sig) return deny(checked, 'AccessDenied', 'bad-encoding', 'The Signature is not CloudFront base64.');
  if (!(await key.verify(policyBytes, sig, hash)))
    return deny(
      checked,
      'AccessDenied',
      'bad-signature',
      `The signature does not match the ${conditions.canned ? 'canned policy rebuilt from this URL' : 'policy'} under key ${keyPairId} with ${hash}.`,
    );
  const nowMs = o.now === undefined ? Date.now() : o.now instanceof Date ? o.now.getTime() : o.now;
  const now = Math.floor(nowMs / 1000);
  if (now >= conditions.dateLessThan)
    return deny(
      checked,
      'AccessDenied',
      'expired',
      `Expired at ${iso(conditions.dateLessThan)}, ${now - conditions.dateLessThan} s before now (${iso(now)}).`,
    );
  if (conditions.dateGreaterThan !== undefined && now < conditions.dateGreaterThan)
    return deny(
      checked,
      'AccessDenied',
      'not-yet-valid',
      `Valid from ${iso(conditions.dateGreaterThan)}, ${conditions.dateGreaterThan - now} s after now (${iso(now)}).`,
    );
  if (conditions.ipAddress !== undefined) {
    const ip = o.clientIp;
    if (!ip || parseIpv4(ip) === null || !ipInRange(ip, conditions.ipAddress))
      return deny(
        checked,
        'AccessDenied',
        'ip-mismatch',
        `The viewer IP ${ip ?? '(unknown)'} is outside ${conditions.ipAddress}${ip?.includes(':') && !ip.startsWith('::ffff:') ? ' (IPv6 viewers never match IP policies)' : ''}.`,
      );
  }
  if (!conditions.canned && conditions.hasResource && !matchWildcard(conditions.resource, base.resource))
    return deny(
      checked,
      'AccessDenied',
      'resource-mismatch',
      `The URL does not match the policy resource ${JSON.stringify(conditions.resource.slice(0, 200))}.`,
    );
  return { ...checked, ok: true, status: 200 };
}

function iso(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace('.000Z', 'Z');
}
