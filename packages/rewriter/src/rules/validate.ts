/**
 * Start-up validation of a rules config: every problem becomes a `CfsignError('ERR_INVALID_RULE')`
 * whose message says where it is and how to fix it.
 * @module
 */
import { CfsignError, parseDuration } from '@cfsign/core';
import { attrTable } from '../html/names.js';
import { globProblem } from './glob.js';
import type { DurationInput, RuleConfig, RulesConfig } from './types.js';

const RULE_KEYS = [
  'match',
  'mode',
  'expiresIn',
  'startsIn',
  'ipAddress',
  'hashAlgorithm',
  'resource',
  'bucket',
  'authorize',
  'cookie',
];
const CONFIG_KEYS = ['cdn', 'origins', 'rules', 'authorize', 'onDeny', 'attributes'];

/** Throws `ERR_INVALID_RULE` with a fix-it message. */
export function invalid(where: string, message: string): never {
  throw new CfsignError('ERR_INVALID_RULE', `${where}: ${message}`);
}

/** Closest known key by edit distance (for "did you mean" hints). */
function suggest(key: string, known: readonly string[]): string {
  let best = '';
  let bestD = 3;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export function checkKeys(obj: object, known: readonly string[], where: string): void {
  for (const k of Object.keys(obj))
    if (!known.includes(k))
      invalid(where, `unknown option "${k}"${suggest(k, known)}; known options: ${known.join(', ')}.`);
}

/** Parses an origin (`scheme://host[:port]`), or explains why it is not one. */
export function parseOrigin(value: unknown, where: string): string {
  if (typeof value !== 'string')
    invalid(where, `expected an origin string such as "https://cdn.example.com", got ${typeof value}.`);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return invalid(where, `"${value}" is not an absolute URL; write it as "https://host".`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') invalid(where, `"${value}" must use http or https.`);
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.username || u.password)
    invalid(where, `"${value}" must be an origin only (scheme and host), e.g. "${u.origin}".`);
  return u.origin;
}

export function duration(
  value: DurationInput | undefined,
  where: string,
  fallback: number | undefined,
): number | undefined {
  if (value === undefined) return fallback;
  try {
    const s = parseDuration(value);
    if (!(s > 0)) invalid(where, `must be positive, got ${String(value)}.`);
    return s;
  } catch (err) {
    if (err instanceof CfsignError && err.code === 'ERR_INVALID_RULE') throw err;
    return invalid(
      where,
      `${String(value)} is not a duration; use seconds or a string such as "10m", "1h", "2d".`,
    );
  }
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;

export function checkIp(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'client') return value;
  if (typeof value !== 'string' || !IPV4.test(value))
    invalid(
      where,
      `ipAddress must be "client" or an IPv4 address / CIDR such as "192.0.2.0/24", got ${JSON.stringify(value)}.`,
    );
  return value;
}

export function checkRuleShape(r: RuleConfig, where: string): void {
  if (typeof r !== 'object' || r === null)
    invalid(where, 'each rule must be an object such as { match: "/media/**" }.');
  checkKeys(r, RULE_KEYS, where);
  const globs: readonly string[] = typeof r.match === 'string' ? [r.match] : r.match;
  if (!Array.isArray(globs) || globs.length === 0)
    invalid(where, 'needs "match", a path glob such as "/media/**".');
  for (const g of globs) {
    const p = globProblem(g);
    if (p !== null) invalid(`${where}.match`, `"${String(g)}": ${p}.`);
  }
  if (r.mode !== undefined && r.mode !== 'url' && r.mode !== 'wildcard' && r.mode !== 'cookie')
    invalid(`${where}.mode`, `must be "url", "wildcard" or "cookie", got ${JSON.stringify(r.mode)}.`);
  if (r.authorize !== undefined && r.authorize !== 'any-viewer')
    invalid(
      `${where}.authorize`,
      `a rule's authorize can only be 'any-viewer' (everyone who can see the page may open its paths), got ${typeof r.authorize === 'function' ? 'a function; pass the hook as authorize in the rules config or middleware options' : JSON.stringify(r.authorize)}.`,
    );
  if (r.hashAlgorithm !== undefined && r.hashAlgorithm !== 'SHA1' && r.hashAlgorithm !== 'SHA256')
    invalid(`${where}.hashAlgorithm`, `must be "SHA1" or "SHA256", got ${JSON.stringify(r.hashAlgorithm)}.`);
  if (r.resource !== undefined) {
    if ((r.mode ?? 'url') === 'url')
      invalid(`${where}.resource`, 'only applies to mode "wildcard" or "cookie"; add mode: "wildcard".');
    if (typeof r.resource !== 'string' || r.resource[0] !== '/')
      invalid(`${where}.resource`, `must be a path pattern starting with "/", such as "/video/:id/*".`);
    const names = new Set(
      globs.flatMap((g: string) =>
        g
          .split('/')
          .filter((s: string) => s.startsWith(':'))
          .map((s: string) => s.slice(1)),
      ),
    );
    for (const seg of r.resource.split('/'))
      if (seg.startsWith(':') && !names.has(seg.slice(1)))
        invalid(`${where}.resource`, `uses ":${seg.slice(1)}", which "match" does not capture.`);
    if (r.resource === '/*' || r.resource === '*')
      invalid(
        `${where}.resource`,
        'a bare "/*" would grant the whole distribution; narrow it, e.g. "/media/*".',
      );
  }
}

export function checkConfigShape(config: RulesConfig): void {
  if (typeof config !== 'object' || config === null)
    invalid(
      'rules config',
      'compileRules(config) needs a config object such as { cdn: "https://cdn.example.com", rules: [{ match: "/media/**" }] }.',
    );
  checkKeys(config, CONFIG_KEYS, 'rules config');
  if (!Array.isArray(config.rules) || config.rules.length === 0)
    invalid(
      'rules config',
      '"rules" must be a non-empty array, e.g. [{ match: "/media/**", expiresIn: "10m" }].',
    );
  if (config.origins !== undefined && !Array.isArray(config.origins))
    invalid('rules config.origins', 'must be an array of origins such as ["https://www.example.com"].');
  if (config.authorize !== undefined && typeof config.authorize !== 'function')
    invalid('rules config.authorize', 'must be a function (request, url) => boolean | Promise<boolean>.');
  const d = config.onDeny;
  if (
    d !== undefined &&
    d !== 'unsigned' &&
    !(typeof d === 'object' && d !== null && typeof d.replaceWith === 'string')
  )
    invalid('rules config.onDeny', 'must be "unsigned" or { replaceWith: "/denied.png" }.');
  if (config.attributes !== undefined) {
    if (!Array.isArray(config.attributes))
      invalid('rules config.attributes', 'must be an array such as ["data-src"].');
    for (const a of config.attributes)
      if (typeof a !== 'string' || !/^[a-z][a-z0-9_:.-]*$/.test(a))
        invalid(
          'rules config.attributes',
          `"${String(a)}" is not a lower-case attribute name such as "data-src".`,
        );
    // The HTML scanner interns names by hash: a collision is refused now, not on the first page.
    attrTable(config.attributes);
  }
}
