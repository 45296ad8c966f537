/**
 * One custom policy per (rule, resource, IP, time bucket), shared by every link it covers, so a
 * page with 300 matching links costs one signature.
 * @module
 */
import type { Signer } from '@cfsign/core';
import type { CompiledRule, CompiledRules } from './types.js';

interface Entry {
  bucket: number;
  value: string | Promise<string>;
}

const caches = new WeakMap<CompiledRules, WeakMap<Signer, Map<string, Entry>>>();
const MAX_ENTRIES = 1000;

/**
 * The signed policy query for `resource`, from cache when the bucket is current. Expiry is the end
 * of the current bucket plus the rule lifetime, so every response in one bucket shares it.
 *
 * @example
 * ```ts
 * const q = wildcardPolicy(rules, signer, rules.list[2]!, 'https://cdn.example.com/video/42/*', undefined, Date.now());
 * // 'Policy=…&Signature=…&Key-Pair-Id=…' (or a Promise of it while the first signature runs)
 * ```
 */
export function wildcardPolicy(
  rules: CompiledRules,
  signer: Signer,
  rule: CompiledRule,
  resource: string,
  ip: string | undefined,
  nowMs: number,
): string | Promise<string> {
  let bySigner = caches.get(rules);
  if (bySigner === undefined) {
    bySigner = new WeakMap();
    caches.set(rules, bySigner);
  }
  let cache = bySigner.get(signer);
  if (cache === undefined) {
    cache = new Map();
    bySigner.set(signer, cache);
  }
  const bucket = Math.floor(nowMs / 1000 / rule.bucket);
  const key = `${rule.index}|${resource}|${ip ?? ''}`;
  const hit = cache.get(key);
  if (hit !== undefined && hit.bucket === bucket) return hit.value;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const expires = (bucket + 1) * rule.bucket + rule.expiresIn;
  const entry: Entry = {
    bucket,
    value: signer
      .signPolicy({
        resource,
        dateLessThan: { seconds: expires },
        ...(rule.startsIn !== undefined && { startsIn: rule.startsIn }),
        ...(ip !== undefined && { ipAddress: ip }),
        ...(rule.hashAlgorithm !== undefined && { hashAlgorithm: rule.hashAlgorithm }),
        now: nowMs,
      })
      .then(
        (p) => {
          entry.value = p.query;
          return p.query;
        },
        (err: unknown) => {
          cache.delete(key);
          throw err;
        },
      ),
  };
  cache.set(key, entry);
  return entry.value;
}
