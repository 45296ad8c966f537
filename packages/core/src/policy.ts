/**
 * Policy documents (docs/signing.md §5), built byte-exact by template.
 * @module
 */
import { isOptions, show } from './args.js';
import { isPrintableResource, preview } from './canonical-url.js';
import { CfsignError, unreadable } from './errors.js';
import { normalizeIpRange } from './ip.js';
import { checkEpoch } from './time.js';

/** The conditions of a custom policy, in epoch seconds. */
export interface PolicyConditions {
  resource: string;
  dateLessThan: number;
  dateGreaterThan?: number | undefined;
  ipAddress?: string | undefined;
}

/**
 * The canned policy CloudFront rebuilds from a request: no whitespace, fixed key order.
 *
 * @example
 * ```ts
 * cannedPolicy('https://d111111abcdef8.cloudfront.net/a.jpg', 1893456000)
 * // '{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/a.jpg","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}'
 * ```
 */
export function cannedPolicy(resource: string, expires: number): string {
  checkPolicyResource(resource, 'resource');
  return cannedTemplate(resource, checkEpoch(expires, 'expires', 'ERR_INVALID_EXPIRY'));
}

/** The canned policy template, for inputs already validated. */
export function cannedTemplate(resource: string, expires: number): string {
  return `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
}

/**
 * A custom policy in botocore's order: DateLessThan, IpAddress, DateGreaterThan.
 *
 * @example
 * ```ts
 * customPolicy({ resource: 'https://cdn.example.com/v/*', dateLessThan: 1893456000, ipAddress: '192.0.2.0/24' })
 * ```
 */
export function customPolicy(c: PolicyConditions): string {
  try {
    if (!isOptions(c))
      throw new CfsignError(
        'ERR_INVALID_POLICY',
        `customPolicy needs { resource, dateLessThan, dateGreaterThan?, ipAddress? } (times in epoch seconds); got ${show(c)}.`,
      );
    checkPolicyResource(c.resource, 'resource');
    const less = checkEpoch(c.dateLessThan, 'dateLessThan', 'ERR_INVALID_EXPIRY');
    const greater =
      c.dateGreaterThan === undefined
        ? undefined
        : checkEpoch(c.dateGreaterThan, 'dateGreaterThan', 'ERR_INVALID_START');
    if (greater !== undefined && greater >= less)
      throw new CfsignError(
        'ERR_INVALID_TIME_WINDOW',
        `"dateGreaterThan" (${greater}) must be before "dateLessThan" (${less}).`,
      );
    return customTemplate({
      resource: c.resource,
      dateLessThan: less,
      dateGreaterThan: greater,
      ipAddress: c.ipAddress === undefined ? undefined : normalizeIpRange(c.ipAddress),
    });
  } catch (err) {
    throw unreadable(err, 'customPolicy');
  }
}

/** The custom policy template, for conditions already validated. */
export function customTemplate(c: PolicyConditions): string {
  let condition = `"DateLessThan":{"AWS:EpochTime":${c.dateLessThan}}`;
  if (c.ipAddress !== undefined) condition += `,"IpAddress":{"AWS:SourceIp":"${c.ipAddress}"}`;
  if (c.dateGreaterThan !== undefined)
    condition += `,"DateGreaterThan":{"AWS:EpochTime":${c.dateGreaterThan}}`;
  return `{"Statement":[{"Resource":"${c.resource}","Condition":{${condition}}}]}`;
}

/** A policy statement as read back from JSON, or the reason it is malformed. */
export type ParsedPolicy =
  | { ok: true; conditions: PolicyConditions & { hasResource: boolean } }
  | { ok: false; reason: string };

/**
 * Reads a custom policy the way the verifier needs it. Never throws.
 *
 * @example
 * ```ts
 * parsePolicy('{"Statement":[{"Resource":"https://h/*","Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}').ok // true
 * ```
 */
export function parsePolicy(json: string): ParsedPolicy {
  if (typeof json !== 'string') return { ok: false, reason: 'the policy is not a string' };
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'the policy is not valid JSON' };
  }
  const statements = (doc as { Statement?: unknown })?.Statement;
  if (!Array.isArray(statements) || statements.length !== 1)
    return { ok: false, reason: 'the policy must have exactly one Statement' };
  const st = statements[0] as { Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };
  if (typeof st !== 'object' || st === null) return { ok: false, reason: 'the Statement is not an object' };
  if (st.Resource !== undefined && typeof st.Resource !== 'string')
    return { ok: false, reason: 'Resource must be a string' };
  const cond = st.Condition;
  if (typeof cond !== 'object' || cond === null)
    return { ok: false, reason: 'the Statement has no Condition' };
  const less = epochOf(cond.DateLessThan);
  if (less === null) return { ok: false, reason: 'DateLessThan.AWS:EpochTime is missing or not an integer' };
  const conditions: PolicyConditions & { hasResource: boolean } = {
    resource: st.Resource ?? '*',
    hasResource: st.Resource !== undefined,
    dateLessThan: less,
  };
  if (cond.DateGreaterThan !== undefined) {
    const greater = epochOf(cond.DateGreaterThan);
    if (greater === null) return { ok: false, reason: 'DateGreaterThan.AWS:EpochTime is not an integer' };
    conditions.dateGreaterThan = greater;
  }
  if (cond.IpAddress !== undefined) {
    const ip = cond.IpAddress?.['AWS:SourceIp'];
    if (typeof ip !== 'string') return { ok: false, reason: 'IpAddress.AWS:SourceIp is not a string' };
    conditions.ipAddress = ip;
  }
  return { ok: true, conditions };
}

function epochOf(v: Record<string, unknown> | undefined): number | null {
  const t = v?.['AWS:EpochTime'];
  return typeof t === 'number' && Number.isInteger(t) && t >= 0 ? t : null;
}

/**
 * Checks a policy Resource: an http(s) URL (wildcards allowed) or a pattern starting with a wildcard,
 * printable ASCII without `"` or `\\` (so the JSON needs no escaping). Returns it unchanged.
 */
export function checkPolicyResource(resource: unknown, name: string): string {
  if (typeof resource !== 'string' || resource === '')
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `"${name}" must be a non-empty string such as "https://cdn.example.com/videos/*"; got ${show(resource)}.`,
    );
  if (!/^(https?:\/\/|https?[*?]|[*?])/.test(resource))
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `The resource ${preview(resource)} must be an http(s) URL (wildcards allowed) such as "https://cdn.example.com/videos/*".`,
    );
  if (!isPrintableResource(resource))
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `The resource ${preview(resource)} holds spaces, quotes, backslashes or non-ASCII; percent-encode them as the browser would.`,
    );
  return resource;
}
