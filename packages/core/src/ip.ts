/**
 * IPv4 CIDR handling for custom policies (CloudFront supports IPv4 only). An IPv4 client seen on a
 * dual-stack socket arrives as IPv4-mapped IPv6 (`::ffff:192.0.2.1`); it is read as the IPv4 address
 * everywhere an IP enters, since a policy naming the IPv6 form could never match.
 * @module
 */
import { show } from './args.js';
import { CfsignError } from './errors.js';

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const GROUP = /^[0-9a-f]{1,4}$/i;

/**
 * The eight 16-bit groups of an IPv6 address in its text forms (`::` for one or more zero groups, a
 * dotted-quad last part), or `null` for anything else (zone IDs included).
 */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const read = (part: string, last: boolean): number[] | null => {
    if (part === '') return [];
    const items = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (last && i === items.length - 1 && item.includes('.')) {
        const v = parseDottedQuad(item);
        if (v === null) return null;
        out.push(Math.floor(v / 65536), v % 65536);
      } else if (GROUP.test(item)) out.push(Number.parseInt(item, 16));
      else return null;
    }
    return out;
  };
  const head = read(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? read(halves[1]!, true) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const zeros = 8 - head.length - tail.length;
  return zeros < 1 ? null : [...head, ...new Array<number>(zeros).fill(0), ...tail];
}

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:0:0/96`: `::ffff:192.0.2.1`,
 * `::FFFF:c000:201`, `0:0:0:0:0:ffff:192.0.2.1`) as a 32-bit number, or `null` for any other text.
 * `::ffff:0:192.0.2.1` (IPv4-translated) and other IPv6 addresses are not mapped.
 */
function mappedIpv4(text: string): number | null {
  if (!text.includes(':')) return null;
  const g = ipv6Groups(text);
  if (!g || g[0] || g[1] || g[2] || g[3] || g[4] || g[5] !== 0xffff) return null;
  return g[6]! * 65536 + g[7]!;
}

const dotted = (v: number): string => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address, or the input unchanged.
 *
 * @example
 * ```ts
 * unmapIpv4('::ffff:192.0.2.1') // '192.0.2.1'
 * unmapIpv4('2001:db8::1')      // '2001:db8::1'
 * ```
 */
function unmapIpv4(input: string): string {
  const v = mappedIpv4(input);
  return v === null ? input : dotted(v);
}

/**
 * Validates an IPv4 address or CIDR and returns it as `a.b.c.d/n` (a bare address becomes `/32`).
 * An IPv4-mapped IPv6 address becomes its IPv4 form (a `/96`-`/128` prefix on it becomes `/0`-`/32`).
 *
 * @example
 * ```ts
 * normalizeIpRange('192.0.2.7')        // '192.0.2.7/32'
 * normalizeIpRange('192.0.2.0/24')     // '192.0.2.0/24'
 * normalizeIpRange('::ffff:192.0.2.7') // '192.0.2.7/32'
 * ```
 */
export function normalizeIpRange(input: string): string {
  if (typeof input !== 'string')
    throw new CfsignError(
      'ERR_INVALID_IP_RANGE',
      `"ipAddress" must be a string such as "192.0.2.0/24"; got ${show(input)}.`,
    );
  const slash = input.indexOf('/');
  const addr = slash === -1 ? input : input.slice(0, slash);
  let text = input;
  const mapped = mappedIpv4(addr);
  if (mapped !== null) {
    const bits =
      slash === -1 ? 128 : /^\d{1,3}$/.test(input.slice(slash + 1)) ? Number(input.slice(slash + 1)) : -1;
    text = bits >= 96 && bits <= 128 ? `${dotted(mapped)}/${bits - 96}` : '';
  }
  const parsed = parseIpv4Cidr(text);
  if (!parsed) {
    const hint =
      input.includes(':') && mapped === null
        ? 'CloudFront policies support IPv4 only; IPv6 viewers cannot be restricted by IP'
        : 'use an IPv4 address or a CIDR such as "192.0.2.0/24" (mask 0-32)';
    throw new CfsignError('ERR_INVALID_IP_RANGE', `"ipAddress" ${show(input)} is not valid: ${hint}.`);
  }
  return `${parsed.address}/${parsed.bits}`;
}

/** Parses a plain IPv4 `a.b.c.d[/n]`; returns `null` when invalid (IPv6 forms included). Never throws. */
export function parseIpv4Cidr(input: string): { address: string; value: number; bits: number } | null {
  const slash = input.indexOf('/');
  const addr = slash === -1 ? input : input.slice(0, slash);
  const bitsText = slash === -1 ? '32' : input.slice(slash + 1);
  if (!/^(3[0-2]|[12]?\d)$/.test(bitsText)) return null;
  const value = parseDottedQuad(addr);
  if (value === null) return null;
  return { address: addr, value, bits: Number(bitsText) };
}

/** Parses a viewer address (dotted-quad IPv4, or IPv4-mapped IPv6) to a 32-bit number; `null` otherwise. */
export function parseIpv4(input: string): number | null {
  return parseDottedQuad(unmapIpv4(input));
}

function parseDottedQuad(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return null;
    value = value * 256 + Number(p);
  }
  return value;
}

/**
 * True when `ip` (IPv4 or IPv4-mapped IPv6) lies inside the IPv4 `cidr`; false for anything else.
 *
 * @example
 * ```ts
 * ipInRange('192.0.2.9', '192.0.2.0/24')        // true
 * ipInRange('::ffff:192.0.2.9', '192.0.2.0/24') // true
 * ```
 */
export function ipInRange(ip: string, cidr: string): boolean {
  if (typeof ip !== 'string' || typeof cidr !== 'string') return false;
  const range = parseIpv4Cidr(cidr);
  const addr = parseIpv4(ip);
  if (!range || addr === null) return false;
  if (range.bits === 0) return true;
  const shift = 32 - range.bits;
  return Math.floor(addr / 2 ** shift) === Math.floor(range.value / 2 ** shift);
}
