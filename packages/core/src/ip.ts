/**
 * IPv4 CIDR handling for custom policies (CloudFront supports IPv4 only).
 * @module
 */
import { CfsignError } from './errors.js';

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Validates an IPv4 address or CIDR and returns it as `a.b.c.d/n` (a bare address becomes `/32`).
 *
 * @example
 * ```ts
 * normalizeIpRange('192.0.2.7')    // '192.0.2.7/32'
 * normalizeIpRange('192.0.2.0/24') // '192.0.2.0/24'
 * ```
 */
export function normalizeIpRange(input: string): string {
  if (typeof input !== 'string') throw new TypeError('"ipAddress" must be a string such as "192.0.2.0/24".');
  const parsed = parseIpv4Cidr(input);
  if (!parsed) {
    const hint = input.includes(':')
      ? 'CloudFront policies support IPv4 only; IPv6 viewers cannot be restricted by IP'
      : 'use an IPv4 address or a CIDR such as "192.0.2.0/24" (mask 0-32)';
    throw new CfsignError(
      'ERR_INVALID_IP_RANGE',
      `"ipAddress" ${JSON.stringify(input)} is not valid: ${hint}.`,
    );
  }
  return `${parsed.address}/${parsed.bits}`;
}

/** Parses `a.b.c.d[/n]`; returns `null` when invalid. Never throws. */
export function parseIpv4Cidr(input: string): { address: string; value: number; bits: number } | null {
  const slash = input.indexOf('/');
  const addr = slash === -1 ? input : input.slice(0, slash);
  const bitsText = slash === -1 ? '32' : input.slice(slash + 1);
  if (!/^(3[0-2]|[12]?\d)$/.test(bitsText)) return null;
  const value = parseIpv4(addr);
  if (value === null) return null;
  return { address: addr, value, bits: Number(bitsText) };
}

/** Parses a dotted-quad IPv4 address (also the IPv4-mapped IPv6 form `::ffff:a.b.c.d`) to a 32-bit number. */
export function parseIpv4(input: string): number | null {
  const text = input.startsWith('::ffff:') ? input.slice(7) : input;
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
 * True when `ip` (IPv4 or IPv4-mapped IPv6) lies inside `cidr`.
 *
 * @example
 * ```ts
 * ipInRange('192.0.2.9', '192.0.2.0/24') // true
 * ```
 */
export function ipInRange(ip: string, cidr: string): boolean {
  const range = parseIpv4Cidr(cidr);
  const addr = parseIpv4(ip);
  if (!range || addr === null) return false;
  if (range.bits === 0) return true;
  const shift = 32 - range.bits;
  return Math.floor(addr / 2 ** shift) === Math.floor(range.value / 2 ** shift);
}
