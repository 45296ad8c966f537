/**
 * Read a `DistributionConfig` (API or CloudFormation form) into the normalized model.
 * @module
 */

import type { Distribution } from './model.js';
import { invalidInput, isObject, listOf, readBehavior, readOrigin } from './read-shapes.js';

/** The distribution part of the model (key groups, keys and cache policies come from other inputs). */
export type DistributionConfigPart = Omit<Distribution, 'keyGroups' | 'publicKeys' | 'cachePolicies'>;

/**
 * Read a `DistributionConfig` object. `where` names it in error messages.
 *
 * @example
 * ```ts
 * const part = readDistributionConfig(output.DistributionConfig, 'get-distribution-config output');
 * part.behaviors.map((b) => b.pathPattern) // ['/private/*', ...]
 * ```
 */
export function readDistributionConfig(config: unknown, where: string): DistributionConfigPart {
  if (!isObject(config)) invalidInput(where, 'DistributionConfig must be an object');
  const origins = listOf(config.Origins).map((o, i) => readOrigin(o, `${where}.Origins[${i}]`));
  if (origins.length === 0) invalidInput(`${where}.Origins`, 'a distribution needs at least one origin');
  const originGroups: Record<string, string[]> = {};
  for (const [i, g] of listOf(config.OriginGroups).entries()) {
    if (!isObject(g) || typeof g.Id !== 'string')
      invalidInput(`${where}.OriginGroups[${i}]`, 'an origin group needs an Id and Members');
    originGroups[g.Id] = listOf(g.Members).map((m) =>
      isObject(m) && typeof m.OriginId === 'string'
        ? m.OriginId
        : invalidInput(`${where}.OriginGroups[${i}].Members`, 'each member needs an OriginId'),
    );
  }
  if (config.DefaultCacheBehavior === undefined)
    invalidInput(where, 'DefaultCacheBehavior is missing; pass the whole DistributionConfig');
  const defaultBehavior = readBehavior(config.DefaultCacheBehavior, `${where}.DefaultCacheBehavior`, true);
  const behaviors = listOf(config.CacheBehaviors).map((b, i) =>
    readBehavior(b, `${where}.CacheBehaviors[${i}]`, false),
  );
  const known = new Set([...origins.map((o) => o.id), ...Object.keys(originGroups)]);
  for (const b of [...behaviors, defaultBehavior]) {
    if (!known.has(b.targetOriginId))
      invalidInput(
        `${where}, behavior ${b.pathPattern}`,
        `TargetOriginId "${b.targetOriginId}" is not the Id of an origin or origin group`,
      );
  }
  return {
    aliases: listOf(config.Aliases).filter((a): a is string => typeof a === 'string'),
    ipv6Enabled:
      config.IsIPV6Enabled === true || config.IPV6Enabled === true || config.IPV6Enabled === 'true',
    origins,
    originGroups,
    behaviors,
    defaultBehavior,
  };
}
