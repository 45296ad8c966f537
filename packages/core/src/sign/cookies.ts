/**
 * Signing cookies: the CloudFront-* cookie set for a resource, with its `Set-Cookie` lines and the
 * clearing of the names this set does not use.
 * @module
 */
import { checkBoolean, checkHashAlgorithm, checkOptions, readClock, show } from '../args.js';
import { canonicalizeUrl } from '../canonical-url.js';
import { type Cookie, clearCookies, resolveAttributes, serializeChecked } from '../cookies.js';
import { cfBase64Encode, utf8 } from '../encoding.js';
import { CfsignError } from '../errors.js';
import { checkPolicyCovers, readGivenPolicy } from '../given-policy.js';
import { resolveIp, resolveResource, resolveTimes } from '../grant.js';
import { cannedTemplate, customTemplate } from '../policy.js';
import type { SignCookiesOptions, SignedCookies } from '../signer-types.js';
import { checkKnown, defaultHash, type SignerContext } from './context.js';
import { checkGivenAlone, signText } from './policy.js';

const COOKIE_OPTIONS = new Set([
  'expiresIn',
  'dateLessThan',
  'startsIn',
  'dateGreaterThan',
  'ipAddress',
  'now',
  'hashAlgorithm',
  'policy',
  'canned',
  'clearUnused',
  'domain',
  'path',
  'secure',
  'httpOnly',
  'sameSite',
  'maxAge',
  'resource',
]);
/** Browsers drop a `Set-Cookie` line over 4,096 bytes (name, value and attributes together). */
const COOKIE_LIMIT = 4096;
const OPTIONAL_NAMES = ['CloudFront-Policy', 'CloudFront-Expires', 'CloudFront-Hash-Algorithm'];

/** The policy a cookie set carries and the resource its Path is derived from. */
interface CookiePolicy {
  resource: string;
  expires: number;
  values: Record<string, string>;
}

async function givenPolicy(
  ctx: SignerContext,
  resourceOrUrl: unknown,
  o: SignCookiesOptions,
  nowSec: number,
  hash: 'SHA1' | 'SHA256',
): Promise<CookiePolicy> {
  checkGivenAlone(o as Record<string, unknown>, []);
  if (o.canned === true)
    throw new CfsignError(
      'ERR_INVALID_POLICY',
      '"canned" cannot be combined with "policy" (a custom policy).',
    );
  const given = readGivenPolicy(o.policy, nowSec, ctx.skew, ctx.anyResource);
  const c = given.conditions;
  // The resource argument must be what the policy grants, or a URL inside it, decided as for
  // signUrl: canonicalized, then matched (its `?` starts the query; only a `*` marks a pattern).
  if (resourceOrUrl !== c.resource) {
    if (typeof resourceOrUrl !== 'string' || resourceOrUrl === '')
      throw new CfsignError(
        'ERR_INVALID_RESOURCE',
        `signCookies needs the "policy" Resource or a URL it covers as its first argument; got ${show(resourceOrUrl)}.`,
      );
    if (resourceOrUrl.includes('*'))
      throw new CfsignError(
        'ERR_RESOURCE_MISMATCH',
        `The resource ${show(resourceOrUrl)} is neither the "policy" Resource ${show(c.resource)} nor a URL it covers; pass the policy's Resource, or a URL without "*".`,
      );
    checkPolicyCovers(given, canonicalizeUrl(resourceOrUrl).resource, 'URL');
  }
  return {
    resource: c.resource,
    expires: c.dateLessThan,
    values: {
      'CloudFront-Policy': cfBase64Encode(utf8(given.text)),
      'CloudFront-Signature': await signText(ctx, given.text, hash),
    },
  };
}

async function builtPolicy(
  ctx: SignerContext,
  resourceOrUrl: unknown,
  o: SignCookiesOptions,
  nowMs: number,
  hash: 'SHA1' | 'SHA256',
): Promise<CookiePolicy> {
  const { expires, start } = resolveTimes(o, nowMs, ctx.cache ? ctx.bucket : 0, ctx.skew);
  if (o.canned) {
    if (o.ipAddress !== undefined || start !== undefined)
      throw new CfsignError(
        'ERR_INVALID_POLICY',
        'Canned cookies carry no start time or IP; drop "canned" to use a custom policy.',
      );
    const resource = canonicalizeUrl(resourceOrUrl as string).resource;
    if (resource.includes('*'))
      throw new CfsignError(
        'ERR_INVALID_RESOURCE',
        `A canned policy names one exact URL, so the "*" in ${show(resource)} would be a literal character; drop "canned" to grant a wildcard resource.`,
      );
    const signature = await signText(ctx, cannedTemplate(resource, expires), hash);
    return {
      resource,
      expires,
      values: { 'CloudFront-Expires': String(expires), 'CloudFront-Signature': signature },
    };
  }
  const resource = resolveResource(resourceOrUrl, undefined, ctx.anyResource);
  const policy = customTemplate({
    resource,
    dateLessThan: expires,
    ipAddress: resolveIp(o.ipAddress),
    dateGreaterThan: start,
  });
  return {
    resource,
    expires,
    values: {
      'CloudFront-Policy': cfBase64Encode(utf8(policy)),
      'CloudFront-Signature': await signText(ctx, policy, hash),
    },
  };
}

/** `signer.signCookies`: the cookie set granting `resourceOrUrl` (custom policy unless `canned`). */
export async function signCookies(
  ctx: SignerContext,
  resourceOrUrl: string,
  options: SignCookiesOptions,
): Promise<SignedCookies> {
  const o = checkOptions(options, 'signCookies', "{ expiresIn: '1h' }") as SignCookiesOptions;
  checkKnown(o as Record<string, unknown>, COOKIE_OPTIONS, 'signCookies');
  if (o.resource !== undefined && o.resource !== resourceOrUrl)
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `signCookies takes the resource as its first argument; the "resource" option ${show(o.resource)} differs from it. Drop the option.`,
    );
  checkBoolean(o.canned, 'canned');
  checkBoolean(o.clearUnused, 'clearUnused');
  const hash = checkHashAlgorithm(o.hashAlgorithm) ?? defaultHash(ctx);
  const nowMs = readClock(o.now);
  const nowSec = Math.floor(nowMs / 1000);
  const { resource, expires, values } =
    o.policy !== undefined
      ? await givenPolicy(ctx, resourceOrUrl, o, nowSec, hash)
      : await builtPolicy(ctx, resourceOrUrl, o, nowMs, hash);
  values['CloudFront-Key-Pair-Id'] = ctx.active.keyPairId;
  if (hash === 'SHA256') values['CloudFront-Hash-Algorithm'] = 'SHA256';
  const attrs = resolveAttributes(o, resource, Math.max(0, expires - nowSec));
  const cookies: Cookie[] = Object.entries(values).map(([name, value]) => ({ name, value, ...attrs }));
  const setCookie = cookies.map(serializeChecked);
  for (const line of setCookie)
    if (line.length > COOKIE_LIMIT)
      throw new CfsignError(
        'ERR_COOKIE_TOO_LARGE',
        `The cookie ${line.slice(0, line.indexOf('='))} is ${line.length} bytes, over the ${COOKIE_LIMIT} browsers keep; shorten the policy resource or use an ECDSA key.`,
      );
  if (o.clearUnused !== false) {
    const unused = OPTIONAL_NAMES.filter((n) => !(n in values));
    setCookie.push(...clearCookies(attrs, unused).map(serializeChecked));
  }
  return { cookies, setCookie, values, expires };
}
