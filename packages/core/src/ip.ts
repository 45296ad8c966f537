/**
 * IPv4 CIDR handling for custom policies (CloudFront supports IPv4 only). An IPv4 client seen on a
 * dual-stack socket arrives as IPv4-mapped IPv6 (`::ffff:192.0.2.1`); it is read as the IPv4 address
 * everywhere an IP enters, since a policy naming the IPv6 form could never match.
 * @module
 */
import { show } from './args.js';
import { CfsignError } from './errors.js';

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
/** `::ffff:` or `0:0:0:0:0:ffff:` (any case, zeros written any way) before the IPv4 part. */
const MAPPED = /^(?:::|(?:0{1,4}:){5})ffff:/i;
const HEX_MAPPED = /^(?:::|(?:0{1,4}:){5})ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, `::FFFF:c000:201`,
 * `0:0:0:0:0:ffff:192.0.2.1`), or the input unchanged.
 *
 * @example
 * ```ts
 * unmapIpv4('::ffff:192.0.2.1') // '192.0.2.1'
 * unmapIpv4('2001:db8::1')      // '2001:db8::1'
 * ```
 */
function unmapIpv4(input: string): string {
  if (!MAPPED.test(input)) return input;
  const hex = HEX_MAPPED.exec(input);
  if (hex) {
    const hi = Number.parseInt(hex[1]!, 16);
    const lo = Number.parseInt(hex[2]!, 16);
    return `${hi >>> 8}.${hi & 255}.${lo >>> 8}.${lo & 255}`;
  }
  return input.slice(input.lastIndexOf(':') + 1);
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
  if (MAPPED.test(addr)) {
    const bits =
      slash === -1 ? 128 : /^\d{1,3}$/.test(input.slice(slash + 1)) ? Number(input.slice(slash + 1)) : -1;
    text = bits >= 96 && bits <= 128 ? `${unmapIpv4(addr)}/${bits - 96}` : '';
  }
  const parsed = parseIpv4Cidr(text);
  if (!parsed) {
    const hint =
      input.includes(':') && !MAPPED.test(addr)
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
