/**
 * The distribution as cfsign reads it: one normalized shape for what `aws cloudfront get-*` prints
 * and what a CloudFormation template declares (the `Quantity`/`Items` wrappers removed, IDs kept).
 * @module
 */

/** An origin of the distribution, by its `Id`. */
export interface DistributionOrigin {
  id: string;
  domainName: string;
  /** `OriginPath`: a prefix CloudFront adds to every origin request path (`''` when none). */
  originPath: string;
  /** Origin custom headers, name → value. */
  customHeaders: Record<string, string>;
  /** `s3` for `S3OriginConfig` or an `OriginAccessControlId`, `custom` for `CustomOriginConfig`. */
  kind: 's3' | 'custom';
  originAccessControlId?: string;
  /** `S3OriginConfig.OriginAccessIdentity` (the legacy OAI), when set. */
  originAccessIdentity?: string;
}

/** Which query strings or cookies a cache policy puts in the cache key. */
export interface CacheKeyItems {
  behavior: 'none' | 'whitelist' | 'allExcept' | 'all';
  names: string[];
}

/** A cache behavior, in CloudFront's terms. The default behavior has `pathPattern: '*'`. */
export interface DistributionBehavior {
  pathPattern: string;
  targetOriginId: string;
  /** IDs of the trusted key groups; empty when viewer access is not restricted. */
  trustedKeyGroupIds: string[];
  /** True when the behavior trusts legacy `TrustedSigners` (AWS accounts) instead of key groups. */
  trustedSigners: boolean;
  viewerProtocolPolicy: 'allow-all' | 'https-only' | 'redirect-to-https';
  cachePolicyId?: string;
  /** Legacy cache settings (`ForwardedValues`), when the behavior has no cache policy. */
  legacyCacheKey?: { queryStrings: CacheKeyItems; cookies: CacheKeyItems };
}

/** A key group: public key IDs (at most 5). */
export interface DistributionKeyGroup {
  id: string;
  name: string;
  publicKeyIds: string[];
}

/** A public key as uploaded (`EncodedKey` is SPKI PEM). */
export interface DistributionPublicKey {
  id: string;
  name: string;
  encodedKey: string;
  /** Read from a template: `id` is its logical ID, and the ID CloudFront gives it is not known yet. */
  fromTemplate?: boolean;
}

/** A cache policy's cache key (only what matters for signed content). */
export interface DistributionCachePolicy {
  id: string;
  name: string;
  managed: boolean;
  queryStrings: CacheKeyItems;
  cookies: CacheKeyItems;
}

/** Everything {@link loadDistribution} read. */
export interface Distribution {
  /** Distribution ID or CloudFormation logical ID, when known. */
  id?: string;
  /** The `*.cloudfront.net` domain, when the input had it (`get-distribution`). */
  domainName?: string;
  /** Alternate domain names (CNAMEs). */
  aliases: string[];
  ipv6Enabled: boolean;
  origins: DistributionOrigin[];
  /** Origin group ID → member origin IDs, primary first. */
  originGroups: Record<string, string[]>;
  /** Cache behaviors in precedence order (without the default). */
  behaviors: DistributionBehavior[];
  defaultBehavior: DistributionBehavior;
  keyGroups: Record<string, DistributionKeyGroup>;
  publicKeys: Record<string, DistributionPublicKey>;
  /** Custom cache policies that were given, plus the AWS-managed ones. */
  cachePolicies: Record<string, DistributionCachePolicy>;
}
