/**
 * Compile the configured cache behaviors: validated path patterns, imported key groups, resolved
 * origins, and the first-match lookup CloudFront does.
 * @module
 */

import { CfsignError, createKeyGroup, type KeyGroup, matchWildcard, type PublicKeyInput } from '@cfsign/core';
import { directoryOrigin, type Origin } from './directory-origin.js';
import { httpOrigin } from './http-origin.js';
import { normalizePathPattern } from './path-pattern.js';
import type { DefaultBehaviorConfig, EmulatorConfig, TrustedKeyGroup } from './types.js';

/** A behavior ready to serve. `keys` is absent for public behaviors. */
export interface CompiledBehavior {
  pathPattern: string;
  keys: KeyGroup | undefined;
  origin: Origin;
  viewerProtocolPolicy: 'allow-all' | 'https-only' | 'redirect-to-https';
}

/** Behaviors in match order, ending with the default (`*`). */
export type BehaviorTable = readonly CompiledBehavior[];

const MAX_KEY_GROUPS = 4;
const MAX_KEYS_PER_GROUP = 5;

const invalidDistribution = (message: string) => new CfsignError('ERR_INVALID_DISTRIBUTION', message);

/**
 * Validate the configuration and build the behavior table. Throws `CfsignError`
 * `ERR_INVALID_DISTRIBUTION` for what CloudFront would refuse too (`ERR_INVALID_OPTIONS` for no config): an unknown origin, a bad path pattern, more than 4 key groups on a behavior,
 * more than 5 keys in a group, an empty group.
 *
 * @example
 * ```ts
 * const table = compileBehaviors(config);
 * selectBehavior(table, '/private/a.jpg').pathPattern // '/private/*'
 * ```
 */
export function compileBehaviors(config: EmulatorConfig): BehaviorTable {
  if (typeof config !== 'object' || config === null)
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      'emulator: createEmulator(config) needs a configuration object such as { origins, defaultBehavior, behaviors }.',
    );
  const origins = new Map<string, Origin>();
  for (const [name, origin] of Object.entries(config.origins ?? {})) {
    if (origin?.type === 'directory') origins.set(name, directoryOrigin(origin.root));
    else if (origin?.type === 'http') origins.set(name, httpOrigin(origin));
    else
      throw invalidDistribution(
        `emulator: origin "${name}" needs type 'directory' (with root) or 'http' (with url)`,
      );
  }
  if (!config.defaultBehavior)
    throw invalidDistribution(
      'emulator: "defaultBehavior" is required, such as { origin, trustedKeyGroups }',
    );
  const compile = (pathPattern: string, behavior: DefaultBehaviorConfig): CompiledBehavior => {
    const origin = origins.get(behavior.origin);
    if (!origin)
      throw invalidDistribution(
        `emulator: behavior ${pathPattern} names unknown origin "${behavior.origin}"; add it to "origins" or fix the name`,
      );
    return {
      pathPattern,
      keys: importKeys(pathPattern, behavior.trustedKeyGroups),
      origin,
      viewerProtocolPolicy: behavior.viewerProtocolPolicy ?? 'allow-all',
    };
  };
  return [
    ...(config.behaviors ?? []).map((b) => compile(normalizePathPattern(b.pathPattern), b)),
    compile('*', config.defaultBehavior),
  ];
}

/**
 * The first behavior whose pattern matches the decoded `path`; the default one otherwise.
 *
 * @example
 * ```ts
 * selectBehavior(table, '/index.html').pathPattern // '*'
 * ```
 */
export function selectBehavior(table: BehaviorTable, path: string): CompiledBehavior {
  return table.find((b) => matchWildcard(b.pathPattern, path)) ?? table[table.length - 1]!;
}

function importKeys(pathPattern: string, groups: readonly TrustedKeyGroup[] | 'public') {
  if (groups === 'public') return undefined;
  if (!Array.isArray(groups) || groups.length === 0 || groups.length > MAX_KEY_GROUPS) {
    throw invalidDistribution(
      `emulator: behavior ${pathPattern} needs 1-${MAX_KEY_GROUPS} trusted key groups, or 'public'`,
    );
  }
  const merged: Record<string, PublicKeyInput> = {};
  for (const group of groups) {
    const ids = Object.keys(group ?? {});
    if (ids.length === 0 || ids.length > MAX_KEYS_PER_GROUP) {
      throw invalidDistribution(
        `emulator: a key group of behavior ${pathPattern} must hold 1-${MAX_KEYS_PER_GROUP} public keys`,
      );
    }
    for (const id of ids) {
      if (id in merged && merged[id] !== group[id]) {
        throw invalidDistribution(
          `emulator: key ${id} appears twice on behavior ${pathPattern} with different keys; give each key its own ID`,
        );
      }
      merged[id] = group[id]!;
    }
  }
  return createKeyGroup(merged);
}
