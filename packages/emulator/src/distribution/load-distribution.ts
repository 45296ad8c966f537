/**
 * `loadDistribution`: one distribution model from the documents that describe it.
 * @module
 */

import { readTemplate } from './cloudformation.js';
import { MANAGED_CACHE_POLICIES } from './managed-cache-policies.js';
import type { Distribution } from './model.js';
import { type DistributionConfigPart, readDistributionConfig } from './read-distribution-config.js';
import {
  invalidInput,
  isObject,
  listOf,
  readCachePolicy,
  readKeyGroup,
  readPublicKey,
} from './read-shapes.js';

/** How {@link loadDistribution} picks the distribution when several are given. */
export interface LoadDistributionOptions {
  /** The distribution's ID or CloudFormation logical ID. Required when the input holds several. */
  distribution?: string;
}

/**
 * Read a distribution and the resources it references from parsed documents, in any mix:
 *
 * - `aws cloudfront get-distribution-config` output (`{ ETag, DistributionConfig }`), `get-distribution`
 *   output (`{ Distribution: { Id, DomainName, DistributionConfig } }`) or a bare `DistributionConfig`;
 * - `get-key-group` / `list-key-groups`, `get-public-key` / `list-public-keys`, `get-cache-policy` /
 *   `list-cache-policies` output;
 * - CloudFormation templates with `AWS::CloudFront::Distribution`, `KeyGroup`, `PublicKey` and
 *   `CachePolicy` resources (parse YAML with {@link parseDocument} first);
 * - arrays of any of these.
 *
 * The AWS-managed cache policies are always known. Throws `CfsignError` `ERR_INVALID_DISTRIBUTION`
 * naming the document and field for input that is not one of these shapes.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const distribution = loadDistribution([
 *   JSON.parse(readFileSync('distribution.json', 'utf8')), // aws cloudfront get-distribution-config --id E1...
 *   JSON.parse(readFileSync('key-group.json', 'utf8')),    // aws cloudfront get-key-group --id ...
 * ]);
 * distribution.behaviors[0].trustedKeyGroupIds // ['2f1a9c1e-...']
 * ```
 */
export function loadDistribution(documents: unknown, options: LoadDistributionOptions = {}): Distribution {
  const found: (DistributionConfigPart & { id?: string })[] = [];
  const model: Pick<Distribution, 'keyGroups' | 'publicKeys' | 'cachePolicies'> = {
    keyGroups: {},
    publicKeys: {},
    cachePolicies: { ...MANAGED_CACHE_POLICIES },
  };

  function add(doc: unknown, where: string): void {
    if (Array.isArray(doc)) {
      for (const [i, d] of doc.entries()) add(d, `${where}[${i}]`);
      return;
    }
    if (!isObject(doc)) invalidInput(where, 'expected a JSON object (AWS CLI output or a template)');
    if (isObject(doc.Resources)) {
      const t = readTemplate(doc, where);
      for (const d of t.distributions)
        found.push({ id: d.logicalId, ...readDistributionConfig(d.config, `${where}.${d.logicalId}`) });
      for (const k of t.keyGroups)
        model.keyGroups[k.logicalId] = readKeyGroup(k.logicalId, k.config, `${where}.${k.logicalId}`);
      for (const k of t.publicKeys)
        model.publicKeys[k.logicalId] = {
          ...readPublicKey(k.logicalId, k.config, `${where}.${k.logicalId}`),
          fromTemplate: true,
        };
      for (const p of t.cachePolicies)
        model.cachePolicies[p.logicalId] = readCachePolicy(p.logicalId, p.config, `${where}.${p.logicalId}`);
      return;
    }
    if (isObject(doc.Distribution)) {
      const d = doc.Distribution;
      found.push({
        ...readDistributionConfig(d.DistributionConfig, `${where}.Distribution.DistributionConfig`),
        ...(typeof d.Id === 'string' ? { id: d.Id } : {}),
        ...(typeof d.DomainName === 'string' ? { domainName: d.DomainName } : {}),
      });
    } else if (doc.DistributionConfig !== undefined) {
      found.push(readDistributionConfig(doc.DistributionConfig, `${where}.DistributionConfig`));
    } else if (doc.DefaultCacheBehavior !== undefined) {
      found.push(readDistributionConfig(doc, where));
    } else if (isObject(doc.KeyGroup)) {
      addKeyGroup(doc.KeyGroup, `${where}.KeyGroup`);
    } else if (isObject(doc.KeyGroupList)) {
      listOf(doc.KeyGroupList).forEach((s, i) => {
        addKeyGroup(isObject(s) ? s.KeyGroup : s, `${where}.KeyGroupList.Items[${i}]`);
      });
    } else if (isObject(doc.PublicKey)) {
      const k = doc.PublicKey;
      model.publicKeys[id(k, where)] = readPublicKey(id(k, where), k.PublicKeyConfig, `${where}.PublicKey`);
    } else if (isObject(doc.PublicKeyList)) {
      listOf(doc.PublicKeyList).forEach((s, i) => {
        const at = `${where}.PublicKeyList.Items[${i}]`;
        model.publicKeys[id(s, at)] = readPublicKey(id(s, at), s, at);
      });
    } else if (isObject(doc.CachePolicy)) {
      addCachePolicy(doc.CachePolicy, `${where}.CachePolicy`);
    } else if (isObject(doc.CachePolicyList)) {
      listOf(doc.CachePolicyList).forEach((s, i) => {
        addCachePolicy(isObject(s) ? s.CachePolicy : s, `${where}.CachePolicyList.Items[${i}]`);
      });
    } else if (doc.KeyGroupConfig !== undefined || doc.CachePolicyConfig !== undefined) {
      invalidInput(
        where,
        'this is get-*-config output, which has no Id; use get-key-group / get-cache-policy',
      );
    } else {
      invalidInput(
        where,
        'not a shape cfsign reads; pass aws cloudfront get-distribution-config, get-key-group, get-public-key or get-cache-policy output, or a CloudFormation template',
      );
    }
  }

  function addKeyGroup(k: unknown, where: string) {
    if (!isObject(k)) invalidInput(where, 'expected { Id, KeyGroupConfig }');
    model.keyGroups[id(k, where)] = readKeyGroup(id(k, where), k.KeyGroupConfig, where);
  }
  function addCachePolicy(p: unknown, where: string) {
    if (!isObject(p)) invalidInput(where, 'expected { Id, CachePolicyConfig }');
    const policy = readCachePolicy(id(p, where), p.CachePolicyConfig, where);
    if (!MANAGED_CACHE_POLICIES[policy.id]) model.cachePolicies[policy.id] = policy;
  }

  add(documents, 'input');
  const wanted = options.distribution;
  const matches = wanted ? found.filter((d) => d.id === wanted) : found;
  if (matches.length === 0)
    invalidInput(
      'input',
      wanted
        ? `no distribution "${wanted}"; found ${found.map((d) => d.id ?? '(no id)').join(', ') || 'none'}`
        : 'no distribution found; pass aws cloudfront get-distribution-config output or a template with an AWS::CloudFront::Distribution',
    );
  if (matches.length > 1)
    invalidInput('input', `${matches.length} distributions found; choose one with the distribution option`);
  return { ...matches[0]!, ...model };
}

function id(o: unknown, where: string): string {
  if (isObject(o) && typeof o.Id === 'string' && o.Id !== '') return o.Id;
  return invalidInput(where, 'missing Id');
}
