/**
 * Compile the configured cache behaviors: validated path patterns, imported key groups, resolved
 * origins, and the first-match lookup CloudFront does.
 * @module
 */

import { createKeyGroup, type KeyGroup, matchWildcard, type PublicKeyInput } from '@cfsign/core';
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

/**
 * Validate the configuration and build the behavior table. Throws `TypeError` for what CloudFront
 * would refuse too: an unknown origin, a bad path pattern, more than 4 key groups on a behavior,
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
    throw new TypeError('emulator: a configuration object is required');
  const origins = new Map<string, Origin>();
  for (const [name, origin] of Object.entries(config.origins ?? {})) {
    if (origin?.type === 'directory') origins.set(name, directoryOrigin(origin.root));
    else if (origin?.type === 'http') origins.set(name, httpOrigin(origin));
    else throw new TypeError(`emulator: origin "${name}" needs type 'directory' or 'http'`);
  }
  if (!config.defaultBehavior) throw new TypeError('emulator: "defaultBehavior" is required');
  const compile = (pathPattern: string, behavior: DefaultBehaviorConfig): CompiledBehavior => {
    const origin = origins.get(behavior.origin);
    if (!origin)
      throw new TypeError(`emulator: behavior ${pathPattern} names unknown origin "${behavior.origin}"`);
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
    throw new TypeError(
      `emulator: behavior ${pathPattern} needs 1-${MAX_KEY_GROUPS} trusted key groups, or 'public'`,
    );
  }
  const merged: Record<string, PublicKeyInput> = {};
  for (const group of groups) {
    const ids = Object.keys(group ?? {});
    if (ids.length === 0 || ids.length > MAX_KEYS_PER_GROUP) {
      throw new TypeError(
        `emulator: a key group of behavior ${pathPattern} must hold 1-${MAX_KEYS_PER_GROUP} public keys`,
      );
    }
    for (const id of ids) {
      if (id in merged && merged[id] !== group[id]) {
        throw new TypeError(
          `emulator: key ${id} appears twice on behavior ${pathPattern} with different keys`,
        );
      }
      merged[id] = group[id]!;
    }
  }
  return createKeyGroup(merged);
}
