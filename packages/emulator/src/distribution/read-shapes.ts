/**
 * Read the CloudFront resource shapes into the normalized model. One reader serves both inputs:
 * the API / AWS CLI form (lists wrapped as `{ Quantity, Items }`, `IsIPV6Enabled`, `CustomHeaders`)
 * and the CloudFormation form (plain lists, `IPV6Enabled`, `OriginCustomHeaders`).
 * @module
 */

import { CfsignError } from '@cfsign/core';
import type {
  CacheKeyItems,
  DistributionBehavior,
  DistributionCachePolicy,
  DistributionKeyGroup,
  DistributionOrigin,
  DistributionPublicKey,
} from './model.js';

type Obj = Record<string, unknown>;

/** Throw the loader's error (`ERR_INVALID_DISTRIBUTION`): where, what, and how to fix it. */
export function invalidInput(where: string, message: string): never {
  throw new CfsignError('ERR_INVALID_DISTRIBUTION', `distribution: ${where}: ${message}`);
}

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list given as an array (CloudFormation) or as `{ Quantity, Items }` (API); absent is empty. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Array.isArray(value.Items) ? value.Items : [];
  return [];
}

function text(value: unknown, where: string, required = true): string {
  if (typeof value === 'string') return value;
  if (!required && (value === undefined || value === null)) return '';
  return invalidInput(where, `expected a string, got ${value === undefined ? 'nothing' : typeof value}`);
}

function strings(value: unknown, where: string): string[] {
  return listOf(value).map((v, i) => text(v, `${where}[${i}]`));
}

/** `true`/`false`, also as the strings CloudFormation templates often carry. */
function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Read one origin (`Origins.Items[n]` or `Origins[n]`). */
export function readOrigin(o: unknown, where: string): DistributionOrigin {
  if (!isObject(o)) invalidInput(where, 'an origin must be an object with Id and DomainName');
  const headers: Record<string, string> = {};
  for (const [i, h] of listOf(o.CustomHeaders ?? o.OriginCustomHeaders).entries()) {
    if (!isObject(h)) invalidInput(`${where}.CustomHeaders[${i}]`, 'expected { HeaderName, HeaderValue }');
    headers[text(h.HeaderName, `${where}.CustomHeaders[${i}].HeaderName`).toLowerCase()] = text(
      h.HeaderValue,
      `${where}.CustomHeaders[${i}].HeaderValue`,
    );
  }
  const oac = typeof o.OriginAccessControlId === 'string' && o.OriginAccessControlId !== '';
  const s3 = isObject(o.S3OriginConfig) ? o.S3OriginConfig : {};
  const oai = typeof s3.OriginAccessIdentity === 'string' && s3.OriginAccessIdentity !== '';
  const originPath = text(o.OriginPath, `${where}.OriginPath`, false);
  if (originPath !== '' && (!originPath.startsWith('/') || originPath.endsWith('/')))
    invalidInput(
      `${where}.OriginPath`,
      `"${originPath}" must start with / and not end with / (e.g. "/prod")`,
    );
  return {
    id: text(o.Id, `${where}.Id`),
    domainName: text(o.DomainName, `${where}.DomainName`),
    originPath,
    customHeaders: headers,
    kind: isObject(o.CustomOriginConfig) && !oac && !isObject(o.S3OriginConfig) ? 'custom' : 's3',
    ...(oac ? { originAccessControlId: o.OriginAccessControlId as string } : {}),
    ...(oai ? { originAccessIdentity: s3.OriginAccessIdentity as string } : {}),
  };
}

const VIEWER_POLICIES = ['allow-all', 'https-only', 'redirect-to-https'] as const;

/** Read `DefaultCacheBehavior` (pattern `*`) or one of `CacheBehaviors`. */
export function readBehavior(b: unknown, where: string, isDefault: boolean): DistributionBehavior {
  if (!isObject(b)) invalidInput(where, 'a cache behavior must be an object with TargetOriginId');
  const keyGroups = b.TrustedKeyGroups;
  // API form: { Enabled, Quantity, Items }; CloudFormation: a list of key group IDs.
  const keyGroupsOn = Array.isArray(keyGroups) || (isObject(keyGroups) && flag(keyGroups.Enabled));
  const signers = b.TrustedSigners;
  const signersOn = Array.isArray(signers)
    ? signers.length > 0
    : isObject(signers) && flag(signers.Enabled) && listOf(signers).length > 0;
  const policy = text(b.ViewerProtocolPolicy ?? 'allow-all', `${where}.ViewerProtocolPolicy`);
  if (!(VIEWER_POLICIES as readonly string[]).includes(policy))
    invalidInput(`${where}.ViewerProtocolPolicy`, `must be one of ${VIEWER_POLICIES.join(', ')}`);
  const behavior: DistributionBehavior = {
    pathPattern: isDefault ? '*' : text(b.PathPattern, `${where}.PathPattern`),
    targetOriginId: text(b.TargetOriginId, `${where}.TargetOriginId`),
    trustedKeyGroupIds: keyGroupsOn ? strings(keyGroups, `${where}.TrustedKeyGroups`) : [],
    trustedSigners: signersOn,
    viewerProtocolPolicy: policy as DistributionBehavior['viewerProtocolPolicy'],
  };
  if (typeof b.CachePolicyId === 'string' && b.CachePolicyId !== '') behavior.cachePolicyId = b.CachePolicyId;
  else if (isObject(b.ForwardedValues))
    behavior.legacyCacheKey = readForwardedValues(b.ForwardedValues, where);
  return behavior;
}

/** Legacy `ForwardedValues`: query strings are all in the key unless `QueryStringCacheKeys` narrows them. */
function readForwardedValues(f: Obj, where: string): { queryStrings: CacheKeyItems; cookies: CacheKeyItems } {
  const keys = strings(f.QueryStringCacheKeys, `${where}.ForwardedValues.QueryStringCacheKeys`);
  const queryStrings: CacheKeyItems = !flag(f.QueryString)
    ? { behavior: 'none', names: [] }
    : keys.length > 0
      ? { behavior: 'whitelist', names: keys }
      : { behavior: 'all', names: [] };
  const c = isObject(f.Cookies) ? f.Cookies : {};
  const forward = c.Forward === 'all' || c.Forward === 'whitelist' ? c.Forward : 'none';
  return {
    queryStrings,
    cookies: { behavior: forward, names: strings(c.WhitelistedNames, `${where}.ForwardedValues.Cookies`) },
  };
}

/** Read a `KeyGroupConfig` with the key group's ID. */
export function readKeyGroup(id: string, config: unknown, where: string): DistributionKeyGroup {
  if (!isObject(config)) invalidInput(where, 'KeyGroupConfig must be an object with Name and Items');
  const publicKeyIds = strings(config.Items, `${where}.Items`);
  if (publicKeyIds.length === 0 || publicKeyIds.length > 5)
    invalidInput(`${where}.Items`, 'a key group holds 1-5 public key IDs');
  return { id, name: text(config.Name ?? id, `${where}.Name`), publicKeyIds };
}

/** Read a `PublicKeyConfig` with the public key's ID. */
export function readPublicKey(id: string, config: unknown, where: string): DistributionPublicKey {
  if (!isObject(config)) invalidInput(where, 'PublicKeyConfig must be an object with EncodedKey');
  return {
    id,
    name: text(config.Name ?? id, `${where}.Name`),
    encodedKey: text(config.EncodedKey, `${where}.EncodedKey`),
  };
}

const KEY_BEHAVIORS = ['none', 'whitelist', 'allExcept', 'all'] as const;

function cacheKeyItems(config: unknown, behaviorField: string, listField: string, where: string) {
  if (!isObject(config)) return { behavior: 'none', names: [] } as CacheKeyItems;
  const behavior = text(config[behaviorField] ?? 'none', `${where}.${behaviorField}`);
  if (!(KEY_BEHAVIORS as readonly string[]).includes(behavior))
    invalidInput(`${where}.${behaviorField}`, `must be one of ${KEY_BEHAVIORS.join(', ')}`);
  return {
    behavior: behavior as CacheKeyItems['behavior'],
    names: strings(config[listField], `${where}.${listField}`),
  };
}

/** Read a `CachePolicyConfig` with the policy's ID. */
export function readCachePolicy(id: string, config: unknown, where: string): DistributionCachePolicy {
  if (!isObject(config)) invalidInput(where, 'CachePolicyConfig must be an object');
  const params = isObject(config.ParametersInCacheKeyAndForwardedToOrigin)
    ? config.ParametersInCacheKeyAndForwardedToOrigin
    : {};
  return {
    id,
    name: text(config.Name ?? id, `${where}.Name`),
    managed: false,
    queryStrings: cacheKeyItems(
      params.QueryStringsConfig,
      'QueryStringBehavior',
      'QueryStrings',
      `${where}.QueryStringsConfig`,
    ),
    cookies: cacheKeyItems(params.CookiesConfig, 'CookieBehavior', 'Cookies', `${where}.CookiesConfig`),
  };
}
