/**
 * The boundaries mutation testing found unguarded: each test names the rule it pins, so a change
 * that breaks it (an off-by-one, a dropped check, a flipped sign) fails here.
 */
import { describe, expect, test } from 'vitest';
import { cannedTemplate } from '../src/policy.js';
import { backends, E2030, KEY_ID, key, NOW, rawParam } from './helpers.js';

const CDN = 'https://cdn.example.com';
const NOW_S = NOW / 1000;
const policyOf = (url: string) =>
  JSON.parse(
    Buffer.from(
      rawParam(url, 'Policy')!.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'),
      'base64',
    ).toString(),
  ).Statement[0];

describe.each(backends)('boundaries on the %s backend', (_name, api) => {
  const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem'), cache: false });
  const keys = { [KEY_ID]: key('rsa-public.pem') };

  describe('verifier clock', () => {
    test('without "now" it reads the real clock: a grant that expired in 2001 is refused', async () => {
      const url = `${CDN}/a.jpg?Expires=1000000000&Signature=x&Key-Pair-Id=${KEY_ID}`;
      const signed = await signer.signUrl(`${CDN}/a.jpg`, {
        dateLessThan: new Date(1_000_000_000_000),
        now: 999_000_000_000,
      });
      expect((await api.verifySignedUrl(signed, { keys })).reason).toBe('expired');
      expect((await api.verifySignedUrl(url, { keys })).ok).toBe(false);
    });

    test('without "now" a grant valid until 2030 is accepted', async () => {
      const signed = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: Date.now() });
      expect((await api.verifySignedUrl(signed, { keys })).ok).toBe(true);
    });

    test('a clock that is not a time (NaN, a string, seconds) is refused, never read as "not expired"', async () => {
      const signed = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
      for (const now of [Number.NaN, '2020', new Date(Number.NaN), 1_700_000_000, Number.POSITIVE_INFINITY])
        await expect(api.verifySignedUrl(signed, { keys, now: now as never })).rejects.toMatchObject({
          code: 'ERR_INVALID_ARGUMENT',
        });
    });

    test('the expiry second itself is already expired; the second before is not', async () => {
      const signed = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
      expect((await api.verifySignedUrl(signed, { keys, now: E2030 })).reason).toBe('expired');
      expect((await api.verifySignedUrl(signed, { keys, now: E2030.getTime() - 1 })).ok).toBe(true);
    });

    test('a start is valid from its own second on', async () => {
      const start = new Date(NOW + 3_600_000);
      const signed = await signer.signUrl(`${CDN}/a.jpg`, {
        dateLessThan: E2030,
        dateGreaterThan: start,
        now: NOW,
      });
      expect((await api.verifySignedUrl(signed, { keys, now: start.getTime() - 1 })).reason).toBe(
        'not-yet-valid',
      );
      expect((await api.verifySignedUrl(signed, { keys, now: start })).ok).toBe(true);
    });
  });

  describe('wildcards (docs/signing.md §8), through the verifier and the signer', () => {
    test('the part after the last "*" counts: /v/*.m3u8 grants a.m3u8, not x.ts', async () => {
      expect(api.matchWildcard(`${CDN}/v/*.m3u8`, `${CDN}/v/a.m3u8`)).toBe(true);
      expect(api.matchWildcard(`${CDN}/v/*.m3u8`, `${CDN}/v/x.ts`)).toBe(false);
      expect(api.matchWildcard(`${CDN}/v/*.m3u8`, `${CDN}/v/a.m3u8x`)).toBe(false);
      await expect(
        signer.signUrl(`${CDN}/v/x.ts`, { resource: `${CDN}/v/*.m3u8`, expiresIn: '1h', now: NOW }),
      ).rejects.toMatchObject({ code: 'ERR_RESOURCE_MISMATCH' });
    });

    test('middle parts must appear, in order', () => {
      expect(api.matchWildcard(`${CDN}/*/mid/*/end`, `${CDN}/a/mid/b/end`)).toBe(true);
      expect(api.matchWildcard(`${CDN}/*/mid/*/end`, `${CDN}/a/b/end`)).toBe(false);
      expect(api.matchWildcard(`${CDN}/*/one/*/two/*`, `${CDN}/x/two/y/one/z`)).toBe(false);
      expect(api.matchWildcard(`${CDN}/*/one/*/two/*`, `${CDN}/x/one/y/two/z`)).toBe(true);
      expect(api.matchWildcard(`${CDN}/*/a?c/*`, `${CDN}/x/abc/y`)).toBe(true);
      expect(api.matchWildcard(`${CDN}/*/a?c/*`, `${CDN}/x/ac/y`)).toBe(false);
      expect(api.matchWildcard('*ab*ba*', 'xaba')).toBe(false);
      expect(api.matchWildcard('*ab*ba*', 'xabba')).toBe(true);
      expect(api.matchWildcard('a**b', 'ab')).toBe(true);
    });

    test('a resource without "*" matches exactly that URL: not a longer or shorter one', () => {
      expect(api.matchWildcard(`${CDN}/a`, `${CDN}/a`)).toBe(true);
      expect(api.matchWildcard(`${CDN}/a`, `${CDN}/a/b`)).toBe(false);
      expect(api.matchWildcard(`${CDN}/a`, `${CDN}/a?x=1`)).toBe(false);
      expect(api.matchWildcard(`${CDN}/ab`, `${CDN}/a`)).toBe(false);
      expect(api.matchWildcard(`${CDN}/a?`, `${CDN}/ab`)).toBe(true);
      expect(api.matchWildcard(`${CDN}/a?`, `${CDN}/a`)).toBe(false);
      expect(api.matchWildcard(`${CDN}/a?`, `${CDN}/abc`)).toBe(false);
    });

    test('the first and last parts are anchored and may not overlap', () => {
      expect(api.matchWildcard('ab*ba', 'aba')).toBe(false);
      expect(api.matchWildcard('ab*ba', 'abba')).toBe(true);
      expect(api.matchWildcard(`${CDN}/v/*`, `${CDN}/v`)).toBe(false);
      expect(api.matchWildcard(`${CDN}/v/*`, `${CDN}/v/`)).toBe(true);
      expect(api.matchWildcard('x*', `y${CDN}`)).toBe(false);
    });

    test('a middle part may not reach into the last part', () => {
      expect(api.matchWildcard('*x*xy', 'xy')).toBe(false);
      expect(api.matchWildcard('*x*xy', 'xxy')).toBe(true);
      expect(api.matchWildcard('*a?*bc', 'abc')).toBe(false);
      expect(api.matchWildcard('*a?*bc', 'axbc')).toBe(true);
      expect(api.matchWildcard('x*a?*', 'xab')).toBe(true);
      expect(api.matchWildcard('x*a?*', 'xa')).toBe(false);
    });

    test('both arguments must be strings', () => {
      expect(() => api.matchWildcard('a', 5 as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
      expect(() => api.matchWildcard(5 as never, 'a')).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    });

    test('the verifier refuses a URL outside a wildcard resource', async () => {
      const p = await signer.signPolicy({ resource: `${CDN}/v/*.m3u8`, expiresIn: '1h', now: NOW });
      const ok = await api.verifySignedUrl(`${CDN}/v/a.m3u8?${p.query}`, { keys, now: NOW });
      const bad = await api.verifySignedUrl(`${CDN}/v/a.ts?${p.query}`, { keys, now: NOW });
      expect(ok.ok).toBe(true);
      expect(bad.reason).toBe('resource-mismatch');
    });
  });

  describe('grant times', () => {
    test('startsIn moves the start forward, back-dated by the skew: now + 3600 - 60', async () => {
      const url = await signer.signUrl(`${CDN}/a.jpg`, { startsIn: '1h', expiresIn: '2h', now: NOW });
      expect(policyOf(url).Condition.DateGreaterThan['AWS:EpochTime']).toBe(NOW_S + 3600 - 60);
    });

    test('startsIn 0 starts one skew back; clockSkew changes the margin', async () => {
      const url = await signer.signUrl(`${CDN}/a.jpg`, { startsIn: 0, expiresIn: '2h', now: NOW });
      expect(policyOf(url).Condition.DateGreaterThan['AWS:EpochTime']).toBe(NOW_S - 60);
      const wide = api.createSigner({
        keyPairId: KEY_ID,
        privateKey: key('rsa-pkcs8.pem'),
        clockSkew: 300,
        cache: false,
      });
      const w = await wide.signUrl(`${CDN}/a.jpg`, { startsIn: 0, expiresIn: '2h', now: NOW });
      expect(policyOf(w).Condition.DateGreaterThan['AWS:EpochTime']).toBe(NOW_S - 300);
    });

    test('an expiry must be more than the skew after now: now + 60 is refused, now + 61 signs', async () => {
      await expect(signer.signUrl(`${CDN}/a.jpg`, { expiresIn: 60, now: NOW })).rejects.toMatchObject({
        code: 'ERR_INVALID_EXPIRY',
      });
      expect(rawParam(await signer.signUrl(`${CDN}/a.jpg`, { expiresIn: 61, now: NOW }), 'Expires')).toBe(
        String(NOW_S + 61),
      );
      await expect(
        signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: { seconds: NOW_S + 60 }, now: NOW }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_EXPIRY' });
      expect(
        rawParam(
          await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: { seconds: NOW_S + 61 }, now: NOW }),
          'Expires',
        ),
      ).toBe(String(NOW_S + 61));
    });

    test('an expiry in the past is refused, whatever form it takes', async () => {
      for (const dateLessThan of [
        new Date(NOW - 1000),
        NOW - 1000,
        '2020-01-01T00:00:00Z',
        { seconds: NOW_S - 1 },
      ])
        await expect(signer.signUrl(`${CDN}/a.jpg`, { dateLessThan, now: NOW })).rejects.toMatchObject({
          code: 'ERR_INVALID_EXPIRY',
        });
    });

    test('the start must be before the expiry: equal is refused, one second earlier signs', async () => {
      await expect(
        signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, dateGreaterThan: E2030, now: NOW }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_TIME_WINDOW' });
      const url = await signer.signUrl(`${CDN}/a.jpg`, {
        dateLessThan: E2030,
        dateGreaterThan: new Date(E2030.getTime() - 1000),
        now: NOW,
      });
      expect(policyOf(url).Condition.DateGreaterThan['AWS:EpochTime']).toBe(E2030.getTime() / 1000 - 1);
    });

    test('one expiry and one start: both forms at once are refused, not silently resolved', async () => {
      await expect(
        signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '1h', dateLessThan: E2030, now: NOW }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_EXPIRY', message: expect.stringMatching(/not both/) });
      await expect(
        signer.signUrl(`${CDN}/a.jpg`, {
          expiresIn: '2h',
          startsIn: '1h',
          dateGreaterThan: new Date(NOW),
          now: NOW,
        }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_START', message: expect.stringMatching(/not both/) });
    });

    test('a start beyond 2038 via startsIn is ERR_INVALID_START', async () => {
      await expect(
        signer.signUrl(`${CDN}/a.jpg`, { startsIn: '100000d', dateLessThan: E2030, now: NOW }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_START' });
    });

    test('a policy resource is a non-empty string; a path needs the URL it hangs off', async () => {
      for (const resource of [5, '', null])
        await expect(
          signer.signPolicy({ resource: resource as never, expiresIn: '1h', now: NOW }),
        ).rejects.toMatchObject({
          code: 'ERR_INVALID_RESOURCE',
        });
      await expect(signer.signPolicy({ resource: '/v/*', expiresIn: '1h', now: NOW })).rejects.toMatchObject({
        code: 'ERR_INVALID_RESOURCE',
        message: expect.stringMatching(/absolute/),
      });
      const url = await signer.signUrl(`${CDN}/v/a.ts`, { resource: '/v/*', expiresIn: '1h', now: NOW });
      expect(policyOf(url).Resource).toBe(`${CDN}/v/*`);
    });

    test('"now" must be milliseconds or a Date: a string such as "2020" is refused', async () => {
      for (const now of ['2020', Number.NaN, 1_793_491_200, {}])
        await expect(
          signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '1h', now: now as never }),
        ).rejects.toMatchObject({
          code: 'ERR_INVALID_ARGUMENT',
        });
      const url = await signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '1h', now: new Date(NOW) });
      expect(rawParam(url, 'Expires')).toBe(String(NOW_S + 3600));
    });
  });

  describe("CloudFront's time range (1 … 2^31-1 seconds)", () => {
    test('2038-01-19T03:14:07Z is the last expiry; one second later is refused', async () => {
      const last = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: { seconds: 2147483647 }, now: NOW });
      expect(rawParam(last, 'Expires')).toBe('2147483647');
      expect(api.toEpochSeconds(new Date('2038-01-19T03:14:07.999Z'))).toBe(2147483647);
      for (const dateLessThan of [{ seconds: 2147483648 }, new Date('2038-01-19T03:14:08Z')])
        await expect(signer.signUrl(`${CDN}/a.jpg`, { dateLessThan, now: NOW })).rejects.toMatchObject({
          code: 'ERR_INVALID_EXPIRY',
          message: expect.stringMatching(/2147483647/),
        });
    });

    test('a start at or before epoch 0 is refused; epoch 1 is the first start', async () => {
      for (const dateGreaterThan of [{ seconds: 0 }, { seconds: -5 }, new Date(0), { milliseconds: 999 }])
        await expect(
          signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, dateGreaterThan, now: NOW }),
        ).rejects.toMatchObject({ code: 'ERR_INVALID_START' });
      const url = await signer.signUrl(`${CDN}/a.jpg`, {
        dateLessThan: E2030,
        dateGreaterThan: { seconds: 1 },
        now: NOW,
      });
      expect(policyOf(url).Condition.DateGreaterThan['AWS:EpochTime']).toBe(1);
      expect(() => api.toEpochSeconds({ seconds: 0 })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_EXPIRY' }),
      );
      expect(api.toEpochSeconds({ seconds: 1 })).toBe(1);
    });

    test('fractions are floored, never rounded up (a grant is never extended)', () => {
      expect(api.toEpochSeconds({ milliseconds: 1893456000999 })).toBe(1893456000);
      expect(api.toEpochSeconds({ seconds: 1893456000.9 })).toBe(1893456000);
      expect(api.toEpochSeconds(1893456000999)).toBe(1893456000);
    });
  });

  describe('cookies (docs/signing.md §7)', () => {
    const base = { expiresIn: '1h', now: NOW } as const;
    test('no Domain attribute at all when no domain is given (never "Domain=undefined")', async () => {
      const set = await signer.signCookies(`${CDN}/v/*`, base);
      for (const line of set.setCookie) expect(line).not.toMatch(/Domain/);
      expect(api.serializeCookie({ ...set.cookies[0]!, domain: undefined })).not.toMatch(/Domain/);
    });

    test('Secure and HttpOnly are on by default and off when turned off', async () => {
      const on = await signer.signCookies(`${CDN}/v/*`, base);
      for (const line of on.setCookie) expect(line).toMatch(/; Secure; HttpOnly; /);
      const off = await signer.signCookies(`${CDN}/v/*`, { ...base, secure: false, httpOnly: false });
      for (const line of off.cookies.map(api.serializeCookie)) {
        expect(line).not.toMatch(/Secure/);
        expect(line).not.toMatch(/HttpOnly/);
      }
      expect(off.cookies.every((c) => !c.secure && !c.httpOnly)).toBe(true);
    });

    test('a domain cannot inject attributes: "x.com; Path=/" and friends are refused', async () => {
      for (const domain of [
        'x.com; Path=/',
        'x.com;',
        'x.com\r\nSet-Cookie: a=b',
        'a b.com',
        'x.com,y.com',
        '',
      ])
        await expect(signer.signCookies(`${CDN}/v/*`, { ...base, domain })).rejects.toMatchObject({
          code: 'ERR_INVALID_COOKIE_OPTIONS',
        });
      const ok = await signer.signCookies(`${CDN}/v/*`, { ...base, domain: '.example.com' });
      expect(ok.setCookie[0]).toMatch(/; Domain=\.example\.com; Path=\/v\/; /);
    });

    test('SameSite is one of Strict, Lax, None; None needs Secure', async () => {
      await expect(
        signer.signCookies(`${CDN}/v/*`, { ...base, sameSite: 'lax' as never }),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_COOKIE_OPTIONS',
      });
      await expect(
        signer.signCookies(`${CDN}/v/*`, { ...base, sameSite: 'None', secure: false }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_COOKIE_OPTIONS' });
      // Also when no unused names are cleared (the clearing cookies carry the same check).
      await expect(
        signer.signCookies(`${CDN}/v/*`, { ...base, sameSite: 'None', secure: false, clearUnused: false }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_COOKIE_OPTIONS' });
      const none = await signer.signCookies(`${CDN}/v/*`, { ...base, sameSite: 'None' });
      expect(none.setCookie[0]).toMatch(/; Secure; HttpOnly; SameSite=None$/);
    });

    test('maxAge is whole seconds up to the policy lifetime', async () => {
      const ok = await signer.signCookies(`${CDN}/v/*`, { ...base, maxAge: 3600 });
      expect(ok.setCookie[0]).toMatch(/; Max-Age=3600; /);
      for (const maxAge of [3601, -1, 1.5])
        await expect(signer.signCookies(`${CDN}/v/*`, { ...base, maxAge })).rejects.toMatchObject({
          code: 'ERR_INVALID_COOKIE_OPTIONS',
        });
    });
  });

  describe('resources and URLs', () => {
    test('a quote or backslash never reaches a policy resource (no JSON injection)', async () => {
      for (const resource of [`${CDN}/v/"*`, `${CDN}/v/*","Condition":{}}]}`, `${CDN}/v\\*`])
        await expect(
          signer.signUrl(`${CDN}/v/a`, { resource, expiresIn: '1h', now: NOW }),
        ).rejects.toMatchObject({ code: 'ERR_INVALID_RESOURCE' });
      await expect(signer.signCookies(`${CDN}/v/"*`, { expiresIn: '1h', now: NOW })).rejects.toMatchObject({
        code: 'ERR_INVALID_RESOURCE',
      });
      // In a link, the browser percent-encodes a quote, so the signed resource holds %22.
      const url = await signer.signUrl(`${CDN}/v/"a"`, { expiresIn: '1h', now: NOW, ipAddress: '192.0.2.1' });
      expect(policyOf(url).Resource).toBe(`${CDN}/v/%22a%22`);
      expect(() => api.canonicalizeUrl(`${CDN}/v/"a"`, { verbatim: true })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_URL' }),
      );
      expect(() => api.cannedPolicy(`${CDN}/"`, 1893456000)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_RESOURCE' }),
      );
    });

    test('user:password@ URLs are refused (browsers do not send credentials that way)', async () => {
      for (const url of [
        'https://user:password@cdn.example.com/a',
        'https://user@cdn.example.com/a',
        'https://:p@cdn.example.com/a',
      ])
        await expect(signer.signUrl(url, { expiresIn: '1h', now: NOW })).rejects.toMatchObject({
          code: 'ERR_INVALID_URL',
        });
    });

    test('signUrl(42 | undefined | {} | Buffer) is a coded ERR_INVALID_URL, a URL object is fine', async () => {
      for (const url of [42, undefined, {}, Buffer.from('x'), null])
        await expect(signer.signUrl(url as never, { expiresIn: '1h', now: NOW })).rejects.toMatchObject({
          code: 'ERR_INVALID_URL',
        });
      const fromUrl = await signer.signUrl(new URL(`${CDN}/a.jpg`), { expiresIn: '1h', now: NOW });
      expect(fromUrl.startsWith(`${CDN}/a.jpg?Expires=`)).toBe(true);
    });
  });

  describe('IP addresses', () => {
    test('only a dotted quad with four octets 0-255 and a mask 0-32', () => {
      for (const ip of [
        '10.0.1',
        '10.0.0.1.5',
        '256.1.1.1',
        '01.2.3.4',
        '1.2.3.4/33',
        '1.2.3.4/',
        '1.2.3.4/-1',
        ' 1.2.3.4',
        '2001:db8::1',
      ])
        expect(() => api.normalizeIpRange(ip), ip).toThrow(
          expect.objectContaining({ code: 'ERR_INVALID_IP_RANGE' }),
        );
      expect(api.normalizeIpRange('0.0.0.0/0')).toBe('0.0.0.0/0');
      expect(api.normalizeIpRange('255.255.255.255')).toBe('255.255.255.255/32');
    });

    test('IPv4-mapped IPv6 becomes IPv4 in the policy (as Node reports dual-stack clients)', async () => {
      expect(api.normalizeIpRange('::ffff:192.0.2.1')).toBe('192.0.2.1/32');
      expect(api.normalizeIpRange('::FFFF:192.0.2.1')).toBe('192.0.2.1/32');
      expect(api.normalizeIpRange('::ffff:c000:201')).toBe('192.0.2.1/32');
      expect(api.normalizeIpRange('0:0:0:0:0:ffff:192.0.2.1')).toBe('192.0.2.1/32');
      expect(api.normalizeIpRange('::ffff:192.0.2.0/120')).toBe('192.0.2.0/24');
      expect(() => api.normalizeIpRange('::ffff:192.0.2.0/24')).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_IP_RANGE' }),
      );
      const url = await signer.signUrl(`${CDN}/a.jpg`, {
        expiresIn: '1h',
        now: NOW,
        ipAddress: '::ffff:192.0.2.1',
      });
      expect(policyOf(url).Condition.IpAddress['AWS:SourceIp']).toBe('192.0.2.1/32');
      const cookies = await signer.signCookies(`${CDN}/v/*`, {
        expiresIn: '1h',
        now: NOW,
        ipAddress: '::ffff:192.0.2.1',
      });
      const verdict = await api.verifySignedCookies(`${CDN}/v/a`, cookies.values, {
        keys,
        now: NOW,
        clientIp: '::ffff:192.0.2.1',
      });
      expect(verdict.ok).toBe(true);
    });

    test('ipInRange is false, never true, for values that are not strings', () => {
      expect(api.ipInRange(5 as never, '0.0.0.0/0')).toBe(false);
      expect(api.ipInRange('10.0.0.1', 5 as never)).toBe(false);
    });

    test('ipInRange: mask edges', () => {
      expect(api.ipInRange('192.0.2.255', '192.0.2.0/24')).toBe(true);
      expect(api.ipInRange('192.0.3.0', '192.0.2.0/24')).toBe(false);
      expect(api.ipInRange('10.1.2.3', '0.0.0.0/0')).toBe(true);
      expect(api.ipInRange('192.0.2.1', '192.0.2.1')).toBe(true);
      expect(api.ipInRange('192.0.2.2', '192.0.2.1/32')).toBe(false);
      expect(api.ipInRange('192.0.2.2', '192.0.2.1/31')).toBe(false);
      expect(api.ipInRange('192.0.2.0', '192.0.2.1/31')).toBe(true);
      expect(api.ipInRange('2001:db8::1', '0.0.0.0/0')).toBe(false);
    });
  });

  describe('policies', () => {
    const pol = (t: unknown) =>
      `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":${JSON.stringify(t)}}}}]}`;
    test('AWS:EpochTime must be a whole, non-negative number', () => {
      for (const t of [1.5, -1, '1893456000', null])
        expect(api.parsePolicy(pol(t)), String(t)).toMatchObject({ ok: false });
      expect(api.parsePolicy(pol(0))).toMatchObject({ ok: true });
      expect(api.parsePolicy(pol(1893456000))).toMatchObject({
        ok: true,
        conditions: { dateLessThan: 1893456000 },
      });
    });

    /** A policy object that JSON cannot serialize. */
    const circular = () => {
      const policy: Record<string, unknown> = { Statement: [] };
      policy.self = policy;
      return policy;
    };

    test('a given policy is held to the rules of a built one', async () => {
      const cases: [unknown, string][] = [
        [pol(NOW_S - 10), 'ERR_INVALID_EXPIRY'],
        [pol(NOW_S + 60), 'ERR_INVALID_EXPIRY'],
        [pol(2 ** 32), 'ERR_INVALID_EXPIRY'],
        [pol(1e100), 'ERR_INVALID_EXPIRY'],
        [pol(1.5), 'ERR_INVALID_POLICY'],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"DateGreaterThan":{"AWS:EpochTime":1893456000}}}]}`,
          'ERR_INVALID_TIME_WINDOW',
        ],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"IpAddress":{"AWS:SourceIp":"2001:db8::/32"}}}]}`,
          'ERR_INVALID_IP_RANGE',
        ],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"IpAddress":{"AWS:SourceIp":"192.0.2.0/33"}}}]}`,
          'ERR_INVALID_IP_RANGE',
        ],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"Bogus":{}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        [`{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`, 'ERR_INVALID_POLICY'],
        [
          `{"Statement":[{"Resource":"${CDN}/other/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`,
          'ERR_RESOURCE_MISMATCH',
        ],
        [42, 'ERR_INVALID_POLICY'],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"DateGreaterThan":{"AWS:EpochTime":0}}}]}`,
          'ERR_INVALID_START',
        ],
        // Inside each condition only the key CloudFront reads.
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000,"AWS:Epoch":1}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"DateGreaterThan":{"AWS:EpochTime":1,"x":1}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24","AWS:SourceIpv6":"::/0"}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        [circular(), 'ERR_INVALID_POLICY'],
        // JSON.parse keeps the last copy of a key: the first would reach CloudFront unchecked.
        [
          `{"Statement":[{"Resource":"*","Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":99999999999,"AWS:EpochTime":1893456000}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"IpAddress":{"AWS:SourceIp":"::/0","AWS:SourceIp":"192.0.2.0/24"}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        [
          `{"Statement":[{"Resource":"*","Condition":{"DateLessThan":{"AWS:EpochTime":2147483647}}}],"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        // The same key spelled with an escape is the same key.
        [
          `{"Statement":[{"Resource":"*","Reso\\u0075rce":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`,
          'ERR_INVALID_POLICY',
        ],
        // A Resource no browser request can match is refused, not rewritten.
        [pol(1893456000).replace(`${CDN}/*`, 'https://CDN.example.com/*'), 'ERR_INVALID_RESOURCE'],
        [pol(1893456000).replace(`${CDN}/*`, `${CDN}:443/*`), 'ERR_INVALID_RESOURCE'],
        [pol(1893456000).replace(`${CDN}/*`, `${CDN}/x/../a.jpg`), 'ERR_INVALID_RESOURCE'],
        // Times are plain integers: no fraction, no exponent, even when the value is whole.
        [pol(1893456000).replace('1893456000', '1.893456e9'), 'ERR_INVALID_POLICY'],
        [pol(1893456000).replace('1893456000', '1893456000.0'), 'ERR_INVALID_POLICY'],
        [pol(1893456000).replace('1893456000', '1893456000E0'), 'ERR_INVALID_POLICY'],
        // Each digit may start a literal: start times written 9.5e8 or 9e8 (a valid 1998-2000) are as wrong.
        ...['9.5e8', '9e8'].map((t): [string, string] => [
          `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"DateGreaterThan":{"AWS:EpochTime":${t}}}}]}`,
          'ERR_INVALID_POLICY',
        ]),
        [pol(1893456000).replace(`${CDN}/*`, 'http://CDN.example.com/a.jpg'), 'ERR_INVALID_RESOURCE'],
      ];
      for (const [policy, code] of cases)
        await expect(
          signer.signUrl(`${CDN}/a.jpg`, { policy: policy as never, now: NOW }),
          String(policy),
        ).rejects.toMatchObject({ code });
      await expect(
        signer.signUrl(`${CDN}/a.jpg`, { policy: pol(1893456000), expiresIn: '1h', now: NOW }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_POLICY', message: expect.stringMatching(/expiresIn/) });
    });

    test('a given wildcard Resource that a browser URL can match is signed as written', async () => {
      // A `*` also matches `?`: "/../" may sit in the query, which browsers keep as is.
      const policy = pol(1893456000).replace(`${CDN}/*`, `${CDN}/v/*/../x`);
      const url = await signer.signUrl(`${CDN}/v/a?/../x`, { policy, now: NOW });
      expect((await api.verifySignedUrl(url, { keys, now: NOW })).ok).toBe(true);
      // A resource that is not an http(s) URL stays a resource error, whatever it holds.
      await expect(
        signer.signPolicy({ resource: 'ftp://cdn.example.com/http://x', expiresIn: '1h', now: NOW }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_RESOURCE' });
    });

    test('a given policy object is signed as its compact JSON', async () => {
      const policy = {
        Statement: [{ Resource: `${CDN}/*`, Condition: { DateLessThan: { 'AWS:EpochTime': 1893456000 } } }],
      };
      const url = await signer.signUrl(`${CDN}/a.jpg`, { policy, now: NOW });
      expect(
        Buffer.from(
          rawParam(url, 'Policy')!.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'),
          'base64',
        ).toString(),
      ).toBe(JSON.stringify(policy));
      expect((await api.verifySignedUrl(url, { keys, now: NOW })).ok).toBe(true);
    });

    test('cannedPolicy is the spec template, byte for byte', () => {
      expect(api.cannedPolicy(`${CDN}/a.jpg`, 1893456000)).toBe(cannedTemplate(`${CDN}/a.jpg`, 1893456000));
      expect(api.cannedPolicy(`${CDN}/a.jpg`, 1893456000)).toBe(
        `{"Statement":[{"Resource":"${CDN}/a.jpg","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`,
      );
    });
  });

  describe('hash algorithm', () => {
    test('exactly "SHA1" or "SHA256"; other spellings are refused with the right one named', async () => {
      for (const hashAlgorithm of ['sha256', 'SHA512', 'sha1', '', 5, 'MD5', 'SHA-256'])
        await expect(
          signer.signUrl(`${CDN}/a.jpg`, {
            expiresIn: '1h',
            now: NOW,
            hashAlgorithm: hashAlgorithm as never,
          }),
        ).rejects.toMatchObject({ code: 'ERR_INVALID_HASH_ALGORITHM' });
      await expect(
        signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '1h', now: NOW, hashAlgorithm: 'sha256' as never }),
      ).rejects.toThrow(/Spell it "SHA256"/);
      await expect(
        api.getSignedUrl({
          url: `${CDN}/a.jpg`,
          keyPairId: KEY_ID,
          privateKey: key('rsa-pkcs8.pem'),
          dateLessThan: E2030,
          now: NOW,
          algorithm: 'SHA512' as never,
        }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_HASH_ALGORITHM' });
      expect(() =>
        api.createSigner({
          keyPairId: KEY_ID,
          privateKey: key('rsa-pkcs8.pem'),
          hashAlgorithm: 'sha256' as never,
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HASH_ALGORITHM' }));
    });

    test('SHA256 adds the Hash-Algorithm marker and verifies; SHA1 adds none', async () => {
      const s256 = await signer.signUrl(`${CDN}/a.jpg`, {
        expiresIn: '1h',
        now: NOW,
        hashAlgorithm: 'SHA256',
      });
      expect(rawParam(s256, 'Hash-Algorithm')).toBe('SHA256');
      expect((await api.verifySignedUrl(s256, { keys, now: NOW })).ok).toBe(true);
      const s1 = await signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '1h', now: NOW, hashAlgorithm: 'SHA1' });
      expect(rawParam(s1, 'Hash-Algorithm')).toBeUndefined();
      expect((await api.verifySignedUrl(s1, { keys, now: NOW })).ok).toBe(true);
    });
  });

  describe('keys', () => {
    test('a public key where the private key belongs: ERR_UNSUPPORTED_KEY_FORMAT, whatever its form', async () => {
      const spki = key('ec-public.pem');
      const der = Buffer.from(spki.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      const publicCryptoKey = await crypto.subtle.importKey(
        'spki',
        der,
        { name: 'ECDSA', namedCurve: 'P-256' },
        true,
        ['verify'],
      );
      for (const privateKey of [spki, publicCryptoKey])
        expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey }), String(privateKey)).toThrow(
          expect.objectContaining({
            code: 'ERR_UNSUPPORTED_KEY_FORMAT',
            message: expect.stringMatching(/public key/),
          }),
        );
    });

    test('misuse of createSigner options is coded (privateKey: 5, keyPairId: null, cache: { maxEntries: 0 })', () => {
      const pem = key('rsa-pkcs8.pem');
      const cases: [object, string][] = [
        [{ keyPairId: KEY_ID, privateKey: 5 }, 'ERR_UNSUPPORTED_KEY_FORMAT'],
        [{ keyPairId: null, privateKey: pem }, 'ERR_INVALID_KEY_PAIR_ID'],
        [{ keyPairId: KEY_ID, privateKey: pem, cache: { maxEntries: 0 } }, 'ERR_INVALID_ARGUMENT'],
        [{ keyPairId: KEY_ID, privateKey: pem, cache: { maxEntries: 1.5 } }, 'ERR_INVALID_ARGUMENT'],
        [{ keyPairId: KEY_ID, privateKey: pem, clockSkew: -1 }, 'ERR_INVALID_DURATION'],
        [{ keyPairId: KEY_ID, privateKey: pem, signTimeout: 0 }, 'ERR_INVALID_DURATION'],
        [{ keyPairId: KEY_ID, privateKey: pem, allowAnyResource: 'yes' }, 'ERR_INVALID_ARGUMENT'],
        [{ keyPairId: KEY_ID, privateKey: pem, passphrase: 5 }, 'ERR_KEY_PASSPHRASE'],
        [{ keyPairId: KEY_ID, privateKey: pem, keyPairID: 'typo' }, 'ERR_INVALID_ARGUMENT'],
        [{ keyPairId: KEY_ID, sign: async () => new Uint8Array(1), keyType: 'dsa' }, 'ERR_INVALID_ARGUMENT'],
        [{ keyPairId: KEY_ID, sign: 'kms' }, 'ERR_INVALID_ARGUMENT'],
        [{ keyring: { active: KEY_ID, keys: {} } }, 'ERR_INVALID_ARGUMENT'],
        [{ keyring: { active: 'KOTHER', keys: { [KEY_ID]: pem } } }, 'ERR_UNKNOWN_KEY_PAIR_ID'],
        [{ keyring: { active: KEY_ID, keys: { [KEY_ID]: pem } }, privateKey: pem }, 'ERR_INVALID_ARGUMENT'],
      ];
      for (const [options, code] of cases)
        expect(() => api.createSigner(options as never), JSON.stringify(Object.keys(options))).toThrow(
          expect.objectContaining({ code }),
        );
    });
  });
});
