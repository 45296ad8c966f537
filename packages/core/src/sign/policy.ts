/**
 * Signing a policy: the reusable custom policy of `signPolicy`, and the pieces every operation
 * shares (signing the policy text, the `Hash-Algorithm` tail, the given-policy guard).
 * @module
 */
import { checkHashAlgorithm, checkOptions, readClock, show } from '../args.js';
import type { HashAlgorithm } from '../crypto/types.js';
import { cfBase64Encode, utf8 } from '../encoding.js';
import { CfsignError } from '../errors.js';
import { resolveIp, resolveResource, resolveTimes } from '../grant.js';
import { signWith } from '../key-source.js';
import { customTemplate } from '../policy.js';
import type { SignedPolicy, SignPolicyOptions } from '../signer-types.js';
import { checkKnown, defaultHash, type SignerContext } from './context.js';

const POLICY_OPTIONS = new Set([
  'resource',
  'expiresIn',
  'dateLessThan',
  'startsIn',
  'dateGreaterThan',
  'ipAddress',
  'now',
  'hashAlgorithm',
]);
/** CloudFront's limit on the length of a request URL. */
export const URL_LIMIT = 8192;
const GRANT_OPTIONS = ['expiresIn', 'dateLessThan', 'startsIn', 'dateGreaterThan', 'ipAddress'];

/** `&Hash-Algorithm=SHA256` when SHA-256 signs, else nothing (SHA-1 is CloudFront's default). */
export function hashTail(hash: HashAlgorithm): string {
  return hash === 'SHA256' ? '&Hash-Algorithm=SHA256' : '';
}

/** Signs policy text with the active key; the signature in CF-base64. */
export async function signText(ctx: SignerContext, policy: string, hash: HashAlgorithm): Promise<string> {
  return cfBase64Encode(await signWith(ctx.active, utf8(policy), hash, ctx.timeoutMs));
}

/**
 * A given policy carries its own times, IP and resource: options that would say otherwise are
 * refused rather than silently ignored.
 */
export function checkGivenAlone(o: Record<string, unknown>, alsoRefused: readonly string[]): void {
  for (const k of [...GRANT_OPTIONS, ...alsoRefused])
    if (o[k] !== undefined)
      throw new CfsignError(
        'ERR_INVALID_POLICY',
        `"${k}" cannot be combined with "policy", which carries its own times, IP and resource; put the condition into the policy or drop ${show(k)}.`,
      );
}

/** `signer.signPolicy`: one custom policy, signed once, reusable for every URL its resource matches. */
export async function signPolicy(ctx: SignerContext, options: SignPolicyOptions): Promise<SignedPolicy> {
  const o = checkOptions(
    options,
    'signPolicy',
    "{ resource: 'https://cdn.example.com/v/*', expiresIn: '1h' }",
  );
  checkKnown(o, POLICY_OPTIONS, 'signPolicy');
  const hash = checkHashAlgorithm(options.hashAlgorithm) ?? defaultHash(ctx);
  const cache = ctx.cache;
  const { expires, start } = resolveTimes(options, readClock(options.now), cache ? ctx.bucket : 0, ctx.skew);
  const resource = resolveResource(options.resource, undefined, ctx.anyResource);
  const policy = customTemplate({
    resource,
    dateLessThan: expires,
    ipAddress: resolveIp(options.ipAddress),
    dateGreaterThan: start,
  });
  const keyPairId = ctx.active.keyPairId;
  const cacheKey = cache ? `P|${keyPairId}|${hash}|${policy}` : null;
  const hit = cacheKey ? cache!.get(cacheKey)?.out : undefined;
  const signature = hit ?? (await signText(ctx, policy, hash));
  if (cacheKey && !hit) cache!.set(cacheKey, { out: signature, keyPairId, hash, expires });
  const query = `Policy=${cfBase64Encode(utf8(policy))}&Signature=${signature}&Key-Pair-Id=${keyPairId}${hashTail(hash)}`;
  // The shortest URL the policy covers: its resource with every `*` empty (each `?` is one char).
  const shortest = resource.replaceAll('*', '').length + 1 + query.length;
  if (shortest > URL_LIMIT)
    throw new CfsignError(
      'ERR_URL_TOO_LONG',
      `Every URL signed with this policy would be over CloudFront's ${URL_LIMIT} bytes (at least ${shortest}); shorten the resource or use signed cookies.`,
    );
  return { policy, query, signature, expires, keyPairId, hashAlgorithm: hash };
}
