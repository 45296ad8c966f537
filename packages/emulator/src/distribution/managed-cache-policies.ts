/**
 * The AWS-managed cache policies, by the IDs and cache-key settings AWS documents for them
 * ("Use managed cache policies" in the CloudFront Developer Guide). Every account has them, so a
 * behavior can name one without any input describing it.
 * @module
 */

import type { CacheKeyItems, DistributionCachePolicy } from './model.js';

const NONE: CacheKeyItems = { behavior: 'none', names: [] };
const ALL: CacheKeyItems = { behavior: 'all', names: [] };

function managed(
  id: string,
  name: string,
  queryStrings: CacheKeyItems,
  cookies: CacheKeyItems,
): DistributionCachePolicy {
  return { id, name, managed: true, queryStrings, cookies };
}

/**
 * Managed cache policies by ID.
 *
 * @example
 * ```ts
 * MANAGED_CACHE_POLICIES['658327ea-f89d-4fab-a63d-7e88639e58f6'].name // 'CachingOptimized'
 * ```
 */
export const MANAGED_CACHE_POLICIES: Readonly<Record<string, DistributionCachePolicy>> = Object.fromEntries(
  [
    managed('2e54312d-136d-493c-8eb9-b001f22f67d2', 'Amplify', ALL, ALL),
    managed('4135ea2d-6df8-44a3-9df3-4b5a84be39ad', 'CachingDisabled', NONE, NONE),
    managed('658327ea-f89d-4fab-a63d-7e88639e58f6', 'CachingOptimized', NONE, NONE),
    managed('b2884449-e4de-46a7-ac36-70bc7f1ddd6d', 'CachingOptimizedForUncompressedObjects', NONE, NONE),
    managed(
      '08627262-05a9-4f76-9ded-b50ca2e3a84f',
      'Elemental-MediaPackage',
      { behavior: 'whitelist', names: ['aws.manifestfilter', 'start', 'end', 'm'] },
      NONE,
    ),
    managed('83da9c7e-98b4-4e11-a168-04f0df8e2c65', 'UseOriginCacheControlHeaders', NONE, ALL),
    managed('4cc15a8a-d715-48a4-82b8-cc0b614638fe', 'UseOriginCacheControlHeaders-QueryStrings', ALL, ALL),
  ].map((p) => [p.id, p]),
);
