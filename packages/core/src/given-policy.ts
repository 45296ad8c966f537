/**
 * A caller-supplied custom policy (`policy` option, AWS SDK style), checked by the same rules as one
 * cfsign builds, so a policy CloudFront would always refuse is never signed.
 * @module
 */
import { isOptions, show } from './args.js';
import { CfsignError } from './errors.js';
import { checkBrowserForm } from './grant.js';
import { parseIpv4Cidr } from './ip.js';
import { checkPolicyResource, type PolicyConditions, parsePolicy } from './policy.js';
import { checkEpoch } from './time.js';
import { matchWildcard } from './wildcard.js';

/** A validated given policy: the exact text to sign and what it grants. */
export interface GivenPolicy {
  text: string;
  conditions: PolicyConditions & { hasResource: boolean };
}

const SHAPE: Record<string, readonly string[]> = {
  '': ['Statement'],
  Statement: ['Resource', 'Condition'],
  Condition: ['DateLessThan', 'DateGreaterThan', 'IpAddress'],
  DateLessThan: ['AWS:EpochTime'],
  DateGreaterThan: ['AWS:EpochTime'],
  IpAddress: ['AWS:SourceIp'],
};

function malformed(reason: string): never {
  throw new CfsignError(
    'ERR_INVALID_POLICY',
    `The "policy" ${reason}. Pass {"Statement":[{"Resource":"https://cdn.example.com/v/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}, or leave "policy" out and use expiresIn/resource/ipAddress.`,
  );
}

function checkKeys(value: unknown, where: string): void {
  if (!isOptions(value)) return;
  const allowed = SHAPE[where]!;
  for (const k of Object.keys(value))
    if (!allowed.includes(k))
      malformed(
        `has ${JSON.stringify(k)}${where ? ` in ${where}` : ''}, which CloudFront does not know (allowed: ${allowed.join(', ')})`,
      );
}

/**
 * Refuses what `JSON.parse` lets through but a signed policy must not hold: a key twice in one object
 * (only the last copy would be checked, and CloudFront's parser may read the other) and numbers with
 * a fraction or an exponent (policy times are plain integers). `text` is valid JSON.
 */
function checkLiterals(text: string): void {
  // One entry per open object (the keys seen so far) or array (null).
  const open: (Set<string> | null)[] = [];
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const keys = open[open.length - 1];
      if (keyNext && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key))
          malformed(
            `has ${JSON.stringify(key)} twice in one object; only one copy would be checked, and CloudFront may read the other`,
          );
        keys.add(key);
        keyNext = false;
      }
      i = j;
    } else if (c === 0x7b) {
      open.push(new Set());
      keyNext = true;
    } else if (c === 0x5b) open.push(null);
    else if (c === 0x7d || c === 0x5d) open.pop();
    else if (c === 0x2c) keyNext = open[open.length - 1] !== null;
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const literal = /^-?[0-9.eE+-]+/.exec(text.slice(i))![0];
      if (!/^-?[0-9]+$/.test(literal))
        malformed(
          `has the number ${literal}; policy times are whole seconds written as plain integers, such as 1893456000`,
        );
      i += literal.length - 1;
    }
  }
}

/**
 * Reads and validates a given policy (JSON text or an object, serialized compactly):
 * exactly one Statement with only the keys CloudFront knows, a Resource (unless `allowAnyResource`)
 * that is a valid http(s) pattern, integer times inside 1 … 2^31-1 with the start before the expiry
 * and the expiry later than `nowSec + skew`, and an IPv4 CIDR.
 */
export function readGivenPolicy(
  policy: unknown,
  nowSec: number,
  skew: number,
  allowAnyResource: boolean,
): GivenPolicy {
  let text: string;
  if (typeof policy === 'string') text = policy;
  else if (isOptions(policy)) {
    try {
      text = JSON.stringify(policy);
    } catch {
      malformed('object cannot be serialized to JSON');
    }
  } else malformed(`must be a JSON string or an object; got ${show(policy)}`);
  const parsed = parsePolicy(text);
  if (!parsed.ok) malformed(`is malformed: ${parsed.reason}`);
  const doc = JSON.parse(text) as { Statement: [{ Condition: Record<string, unknown> }] };
  checkKeys(doc, '');
  const st = doc.Statement[0];
  checkKeys(st, 'Statement');
  checkKeys(st.Condition, 'Condition');
  for (const name of ['DateLessThan', 'DateGreaterThan', 'IpAddress']) {
    const cond = st.Condition[name];
    if (cond !== undefined && !isOptions(cond)) malformed(`has a ${name} that is not an object`);
    checkKeys(cond, name);
  }
  const c = parsed.conditions;
  if (!c.hasResource && !allowAnyResource)
    throw new CfsignError(
      'ERR_INVALID_POLICY',
      'The "policy" has no Resource, which grants everything the key can reach; add a Resource.',
    );
  if (c.hasResource) {
    if (c.resource === '*' && !allowAnyResource)
      throw new CfsignError(
        'ERR_INVALID_POLICY',
        'The "policy" Resource is a bare "*", which grants everything the key can reach; name the resource, or pass allowAnyResource: true if that is really meant.',
      );
    checkPolicyResource(c.resource, 'policy Resource');
    checkBrowserForm(c.resource);
  }
  checkEpoch(c.dateLessThan, 'policy DateLessThan', 'ERR_INVALID_EXPIRY');
  if (c.dateLessThan <= nowSec + skew)
    throw new CfsignError(
      'ERR_INVALID_EXPIRY',
      `The "policy" DateLessThan ${c.dateLessThan} is not more than ${skew} s after now (${nowSec}); CloudFront would refuse it. Use a later expiry.`,
    );
  if (c.dateGreaterThan !== undefined) {
    checkEpoch(c.dateGreaterThan, 'policy DateGreaterThan', 'ERR_INVALID_START');
    if (c.dateGreaterThan >= c.dateLessThan)
      throw new CfsignError(
        'ERR_INVALID_TIME_WINDOW',
        `The "policy" DateGreaterThan (${c.dateGreaterThan}) must be before its DateLessThan (${c.dateLessThan}).`,
      );
  }
  if (c.ipAddress !== undefined && !parseIpv4Cidr(c.ipAddress))
    throw new CfsignError(
      'ERR_INVALID_IP_RANGE',
      `The "policy" AWS:SourceIp ${show(c.ipAddress)} is not an IPv4 address or CIDR (mask 0-32); CloudFront supports IPv4 only. Write an IPv4-mapped address (::ffff:a.b.c.d) as a.b.c.d.`,
    );
  checkLiterals(text);
  return { text, conditions: c };
}

/** Throws `ERR_RESOURCE_MISMATCH` unless the given policy's Resource covers `url`. */
export function checkPolicyCovers(given: GivenPolicy, url: string, what: string): void {
  const c = given.conditions;
  if (c.hasResource && !matchWildcard(c.resource, url))
    throw new CfsignError(
      'ERR_RESOURCE_MISMATCH',
      `The ${what} ${show(url)} does not match the "policy" Resource ${show(c.resource)}, so CloudFront would refuse it; widen the Resource or sign another URL.`,
    );
}
