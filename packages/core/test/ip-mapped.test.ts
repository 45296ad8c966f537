/**
 * IPv4-mapped IPv6 (RFC 4291 §2.5.5.2, `::ffff:0:0/96`) is the only IPv6 form read as IPv4: that is how
 * Node reports an IPv4 client on a dual-stack socket. Checked against a parser we did not write: the
 * WHATWG URL parser's IPv6 host serializer, which prints a mapped address as `[::ffff:hhhh:hhhh]`.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { backends } from './helpers.js';

/** What the URL parser makes of `text` as an IPv6 host: the IPv4 inside if mapped, `null` if not, `'invalid'`. */
function reference(text: string): string | null | 'invalid' {
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname;
  } catch {
    return 'invalid';
  }
  const m = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(host);
  if (!m) return null;
  const hi = Number.parseInt(m[1]!, 16);
  const lo = Number.parseInt(m[2]!, 16);
  return `${hi >>> 8}.${hi & 255}.${lo >>> 8}.${lo & 255}`;
}

const group = fc.integer({ min: 0, max: 0xffff });
/** An IPv6 address written any legal way: groups in any case and width, `::` anywhere, a dotted tail. */
const ipv6Text = fc
  .record({
    groups: fc.oneof(
      fc.array(group, { minLength: 8, maxLength: 8 }),
      // Mostly mapped or nearly mapped, where the mistakes hide.
      fc
        .tuple(fc.constantFrom(0, 0, 0, 1), fc.constantFrom(0xffff, 0xffff, 0, 0xfffe), group, group)
        .map(([z, f, a, b]) => [0, 0, 0, 0, z, f, a, b]),
    ),
    dottedTail: fc.boolean(),
    zeroRun: fc.nat(8),
    upper: fc.boolean(),
    pad: fc.boolean(),
  })
  .map(({ groups, dottedTail, zeroRun, upper, pad }) => {
    const hex = (n: number) => {
      const h = n.toString(16);
      return (pad ? h.padStart(4, '0') : h)[upper ? 'toUpperCase' : 'toLowerCase']();
    };
    const parts = dottedTail
      ? [
          ...groups.slice(0, 6).map(hex),
          `${groups[6]! >>> 8}.${groups[6]! & 255}.${groups[7]! >>> 8}.${groups[7]! & 255}`,
        ]
      : groups.map(hex);
    // Compress the run of zero groups starting at `zeroRun`, if there is one there.
    const units = dottedTail ? 7 : 8;
    let end = zeroRun;
    while (end < Math.min(units, dottedTail ? 6 : 8) && groups[end] === 0) end++;
    if (end > zeroRun) return `${parts.slice(0, zeroRun).join(':')}::${parts.slice(end).join(':')}`;
    return parts.join(':');
  });

describe.each(backends)('IPv4-mapped IPv6 on the %s backend', (_name, api) => {
  test('every IPv6 text form: mapped ones become their IPv4 address, all others are refused', () => {
    fc.assert(
      fc.property(ipv6Text, (text) => {
        const ref = reference(text);
        expect(ref).not.toBe('invalid');
        let ours: string | null;
        try {
          ours = api.normalizeIpRange(text).replace(/\/32$/, '');
        } catch (err) {
          expect(err).toMatchObject({ code: 'ERR_INVALID_IP_RANGE' });
          ours = null;
        }
        expect(ours, text).toBe(ref);
        expect(api.ipInRange(text, '0.0.0.0/0'), text).toBe(ref !== null);
      }),
      { numRuns: 2000 },
    );
  });

  test.each([
    ['::ffff:0:192.0.2.1', 'IPv4-translated, not mapped'],
    ['::ffff:1:2:3:192.0.2.1', 'an IPv6 address that ends in a dotted quad'],
    ['::ffff:zz:192.0.2.1', 'not an address'],
    ['1::ffff:192.0.2.1', 'a nonzero group before ffff'],
    ['::ffff:192.0.2.1%eth0', 'a zone ID'],
    [':::ffff:192.0.2.1', 'three colons'],
    ['::ffff:192.0.2', 'a short dotted tail'],
    ['0:0:0:0:0:ffff:c000:201:0', 'nine groups'],
    ['0:0:0:0:0:ffff:c000:201::', 'eight groups and a "::"'],
    ['::0:0:0:0:0:ffff:c000:201', 'a "::" before eight groups'],
    ['::ffff:192.0.2.1::', 'two "::"'],
    ['0:0:0:0:0:ffff::1::', 'two "::" after a mapped prefix'],
    ['::ffff:192.0.2.0/95', 'a prefix shorter than the mapped /96'],
    ['::ffff:192.0.2.0/129', 'a prefix longer than 128'],
    ['::ffff:192.0.2.0/1200', 'a prefix of four digits'],
    ['::ffff:192.0.2.0/x120', 'a prefix that is not a number'],
  ])('%s is not an IPv4 client (%s)', (text) => {
    expect(() => api.normalizeIpRange(text)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_IP_RANGE' }),
    );
    expect(api.ipInRange(text, '192.0.2.1/32')).toBe(false);
  });

  test.each([
    ['::ffff:192.0.2.1', '192.0.2.1/32'],
    ['0::ffff:192.0.2.1', '192.0.2.1/32'],
    ['::0:ffff:192.0.2.1', '192.0.2.1/32'],
    ['0:0:0:0:0:FFFF:c000:0201', '192.0.2.1/32'],
    ['::ffff:192.0.2.0/120', '192.0.2.0/24'],
    ['::ffff:192.0.2.0/96', '192.0.2.0/0'],
    ['::ffff:192.0.2.1/128', '192.0.2.1/32'],
  ])('%s is the IPv4 client %s', (text, range) => {
    expect(api.normalizeIpRange(text)).toBe(range);
  });

  test('a viewer on IPv6 never matches an IPv4 policy, however its address ends', async () => {
    const pem = await import('./helpers.js').then((h) => [h.key('rsa-pkcs8.pem'), h.key('rsa-public.pem')]);
    const signer = api.createSigner({ keyPairId: 'KIPTEST1', privateKey: pem[0]!, cache: false });
    const now = Date.UTC(2026, 0, 1);
    const url = await signer.signUrl('https://cdn.example.com/a.jpg', {
      dateLessThan: new Date('2030-01-01T00:00:00Z'),
      ipAddress: '192.0.2.1',
      now,
    });
    const keys = { KIPTEST1: pem[1]! };
    expect((await api.verifySignedUrl(url, { keys, now, clientIp: '::ffff:192.0.2.1' })).ok).toBe(true);
    for (const clientIp of ['::ffff:1:2:3:192.0.2.1', '::ffff:0:192.0.2.1', '64:ff9b::192.0.2.1'])
      expect((await api.verifySignedUrl(url, { keys, now, clientIp })).ok, clientIp).toBe(false);
  });
});
