/**
 * CloudFormation templates: find the CloudFront resources and resolve the intrinsic functions
 * that connect them (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`). A resource's `Ref`
 * (and its `Id` attribute) resolves to its logical ID, so references between the resources of one
 * template line up exactly as the deployed IDs will.
 * @module
 */

import { invalidInput, isObject } from './read-shapes.js';

/** The CloudFront resources of a template, properties resolved. */
export interface TemplateResources {
  distributions: { logicalId: string; config: unknown }[];
  keyGroups: { logicalId: string; config: unknown }[];
  publicKeys: { logicalId: string; config: unknown }[];
  cachePolicies: { logicalId: string; config: unknown }[];
}

const PSEUDO = /^AWS::/;

/**
 * Pick the CloudFront resources out of a parsed template.
 *
 * @example
 * ```ts
 * readTemplate(JSON.parse(text)).distributions[0].logicalId // 'SiteDistribution'
 * ```
 */
export function readTemplate(template: Record<string, unknown>, where = 'template'): TemplateResources {
  const resources = isObject(template.Resources) ? template.Resources : {};
  const parameters = isObject(template.Parameters) ? template.Parameters : {};
  const resolve = (value: unknown, path: string): unknown => resolveIntrinsics(value, path);

  function ref(name: string, path: string): string {
    if (name in resources || PSEUDO.test(name)) return name;
    const p = parameters[name];
    if (isObject(p) && p.Default !== undefined) return String(p.Default);
    return invalidInput(path, `Ref ${name}: no resource or parameter with a Default of that name`);
  }

  function resolveIntrinsics(value: unknown, path: string): unknown {
    if (Array.isArray(value)) return value.map((v, i) => resolve(v, `${path}[${i}]`));
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = value[fn];
      if (fn === 'Ref') return ref(String(arg), path);
      if (fn === 'Fn::GetAtt') {
        const [res, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
        if (!res || !(res in resources)) invalidInput(path, `Fn::GetAtt names unknown resource ${res}`);
        return attr === 'Id' ? res : `${res}.${attr}`;
      }
      if (fn === 'Fn::Sub') {
        const [str, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, {}];
        const bound = isObject(vars) ? vars : {};
        return String(str).replace(/\$\{(!?)([^}]*)\}/g, (_m, literal: string, name: string) => {
          if (literal) return `\${${name}}`; // ${!Name} is the literal text ${Name}
          if (name in bound) return String(resolve(bound[name], path));
          if (name.includes('.')) return String(resolve({ 'Fn::GetAtt': name }, path));
          return ref(name, path);
        });
      }
      if (fn === 'Fn::Join' && Array.isArray(arg)) {
        const parts = resolve(arg[1], path);
        return Array.isArray(parts) ? parts.map(String).join(String(arg[0])) : String(parts);
      }
      if (fn === 'Fn::Select' && Array.isArray(arg)) {
        const list = resolve(arg[1], path);
        return Array.isArray(list) ? list[Number(arg[0])] : undefined;
      }
      if (fn.startsWith('Fn::') || fn === 'Condition')
        invalidInput(path, `${fn} is not supported here; replace it by its value for the check`);
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(value[k], `${path}.${k}`)]));
  }

  const out: TemplateResources = { distributions: [], keyGroups: [], publicKeys: [], cachePolicies: [] };
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource)) continue;
    const props = isObject(resource.Properties) ? resource.Properties : {};
    const at = `${where}.Resources.${logicalId}`;
    const pick = (field: string) => ({
      logicalId,
      config: resolve(props[field], `${at}.Properties.${field}`),
    });
    if (resource.Type === 'AWS::CloudFront::Distribution') out.distributions.push(pick('DistributionConfig'));
    else if (resource.Type === 'AWS::CloudFront::KeyGroup') out.keyGroups.push(pick('KeyGroupConfig'));
    else if (resource.Type === 'AWS::CloudFront::PublicKey') out.publicKeys.push(pick('PublicKeyConfig'));
    else if (resource.Type === 'AWS::CloudFront::CachePolicy')
      out.cachePolicies.push(pick('CachePolicyConfig'));
  }
  return out;
}
