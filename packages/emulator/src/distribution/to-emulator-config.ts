/**
 * Turn a loaded distribution into the emulator's configuration: behaviors in CloudFront's order,
 * trusted key groups with their public keys, and each origin `Id` mapped to a local folder or URL.
 * @module
 */

import { join } from 'node:path';
import { CfsignError } from '@cfsign/core';
import type { BehaviorConfig, EmulatorConfig, OriginConfig, TrustedKeyGroup } from '../types.js';
import type { Distribution, DistributionBehavior } from './model.js';

/** Where an origin's requests go locally: a folder (for a bucket), an `http(s)://` URL, or a full origin config. */
export type LocalOrigin = string | OriginConfig;

/** Options of {@link emulatorConfigFromDistribution}. */
export interface DistributionEmulatorOptions
  extends Omit<EmulatorConfig, 'behaviors' | 'defaultBehavior' | 'origins'> {
  /**
   * Origin `Id` → local stand-in. Every origin a behavior targets needs one. The distribution's
   * `OriginPath` is appended and its origin custom headers are sent (headers given here win).
   */
  origins: Readonly<Record<string, LocalOrigin>>;
  /** Public keys (SPKI PEM) by ID, for key groups whose keys the input did not include. */
  publicKeys?: Readonly<Record<string, string>>;
  /**
   * Answer like CloudFront on plain-HTTP requests to behaviors with `redirect-to-https` (301) or
   * `https-only` (403). Off by default: the emulator usually runs over plain HTTP on the laptop.
   */
  enforceViewerProtocolPolicy?: boolean;
}

/**
 * Build an {@link EmulatorConfig} from a distribution read by {@link loadDistribution}. Throws
 * `CfsignError` `ERR_INVALID_OPTIONS` for an origin without a local mapping, and
 * `ERR_INVALID_DISTRIBUTION` for a key group or public key that the input does not describe, or
 * legacy trusted signers (AWS accounts), which the emulator cannot check.
 *
 * @example
 * ```ts
 * const cdn = await createEmulator(
 *   emulatorConfigFromDistribution(distribution, {
 *     origins: { 'site-bucket': './bucket', app: 'http://127.0.0.1:3000' },
 *   }),
 * ).listen(8080);
 * ```
 */
export function emulatorConfigFromDistribution(
  distribution: Distribution,
  options: DistributionEmulatorOptions,
): EmulatorConfig {
  const { origins: local, publicKeys = {}, enforceViewerProtocolPolicy = false, ...rest } = options;
  const origins: Record<string, OriginConfig> = {};

  function originFor(targetId: string, pathPattern: string): string {
    const originId = distribution.originGroups[targetId]?.[0] ?? targetId; // an origin group's primary
    if (origins[originId]) return originId;
    const origin = distribution.origins.find((o) => o.id === originId);
    const mapped = local?.[originId];
    if (!origin || mapped === undefined) {
      throw new CfsignError(
        'ERR_INVALID_OPTIONS',
        `distribution: behavior ${pathPattern} goes to origin "${originId}"${origin ? ` (${origin.domainName})` : ''}, which has no local stand-in; add origins: { '${originId}': './folder' or 'http://127.0.0.1:3000' }`,
      );
    }
    const config: OriginConfig =
      typeof mapped !== 'string'
        ? mapped
        : /^https?:\/\//i.test(mapped)
          ? { type: 'http', url: mapped }
          : { type: 'directory', root: mapped };
    origins[originId] =
      config.type === 'directory'
        ? { ...config, root: origin.originPath ? join(config.root, origin.originPath) : config.root }
        : {
            ...config,
            url: config.url.replace(/\/+$/, '') + origin.originPath,
            customHeaders: { ...origin.customHeaders, ...config.customHeaders },
          };
    return originId;
  }

  function keyGroupsOf(b: DistributionBehavior): BehaviorConfig['trustedKeyGroups'] {
    if (b.trustedSigners && b.trustedKeyGroupIds.length === 0)
      throw new CfsignError(
        'ERR_INVALID_DISTRIBUTION',
        `distribution: behavior ${b.pathPattern} trusts legacy trusted signers (AWS accounts); move it to trusted key groups (the emulator checks key groups only)`,
      );
    if (b.trustedKeyGroupIds.length === 0) return 'public';
    return b.trustedKeyGroupIds.map((groupId): TrustedKeyGroup => {
      const group = distribution.keyGroups[groupId];
      if (!group)
        throw new CfsignError(
          'ERR_INVALID_DISTRIBUTION',
          `distribution: behavior ${b.pathPattern} trusts key group ${groupId}, which the input does not describe; add aws cloudfront get-key-group --id ${groupId} output`,
        );
      return Object.fromEntries(
        group.publicKeyIds.map((keyId) => {
          const pem = distribution.publicKeys[keyId]?.encodedKey ?? publicKeys[keyId];
          if (!pem)
            throw new CfsignError(
              'ERR_INVALID_DISTRIBUTION',
              `distribution: public key ${keyId} of key group ${group.name} has no EncodedKey; add aws cloudfront get-public-key --id ${keyId} output, or publicKeys: { ${keyId}: pem }`,
            );
          return [keyId, pem];
        }),
      );
    });
  }

  const behavior = (b: DistributionBehavior) => ({
    trustedKeyGroups: keyGroupsOf(b),
    origin: originFor(b.targetOriginId, b.pathPattern),
    ...(enforceViewerProtocolPolicy ? { viewerProtocolPolicy: b.viewerProtocolPolicy } : {}),
  });

  return {
    ...rest,
    behaviors: distribution.behaviors.map((b) => ({ pathPattern: b.pathPattern, ...behavior(b) })),
    defaultBehavior: behavior(distribution.defaultBehavior),
    origins,
  };
}
