import { describe, expect, test } from 'vitest';
import { nodeBackend } from '../src/crypto/node.js';
import { cfBase64Encode } from '../src/encoding.js';
import { toKeyGroup } from '../src/verify/key-group.js';
import { stripSigningParams } from '../src/verify/signed-params.js';
import { backends, E2030, KEY_ID, key, NOW, specKey } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const SPEC_A =
  'https://d111111abcdef8.cloudfront.net/images/photo.jpg?size=large&Expires=1893456000&Signature=i~CPWOHO~tuO-tj-pjNMuT3ONdULoSJHt~Oam3rd5kr~qFgM8CxQAHfhtr5WdL6KYk1s57T53SSVbincLvGTBvL94~wZfG3BXAsLzit5b66Vs8dL3uwDYT6FNUIopOA8tujqAj6VcSbi-j~maVRbQgs8g95B9f-VldkJW3OTADh2y-eqA5FZJXcXtETt0g5BcOSskqyvLCOlxWd42MdBtJLRC1DcrsBYy10ma8BPKrZQrZHC2e0I2jJkRhhhSNv76k5aOAdWi0P2yO3EKewo6LlkjM5fBOH0E3mt30TkVDa~RmEI8Z4~jA958mO1Dp3ZLUv4rYWidKlu2FaFI~TFWg__&Key-Pair-Id=K2JCJMDEHXQW5F';

/** A wrongly signed canned URL of exactly `length` characters. */
function sized(length: number): string {
  const tail = `?Expires=1893456000&Signature=AAAA&Key-Pair-Id=${KEY_ID}`;
  return `${CDN}/${'a'.repeat(length - CDN.length - 1 - tail.length)}${tail}`;
}

describe.each(backends)('verifier on the %s backend: edge checks (docs/signing.md §9)', (_name, api) => {
  const rsa = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });
  const keys = api.createKeyGroup({ [KEY_ID]: key('rsa-public.pem'), KEC: key('ec-public.pem') });

  test('the spec example A verifies with the spec key before 2030, and is expired after', async () => {
    const specKeys = { [KEY_ID]: specKey('rsa-public.pem') };
    expect(await api.verifySignedUrl(SPEC_A, { keys: specKeys, now: NOW })).toMatchObject({
      ok: true,
      status: 200,
      source: 'url',
      hashAlgorithm: 'SHA1',
    });
    expect(await api.verifySignedUrl(SPEC_A, { keys: specKeys, now: E2030 })).toMatchObject({
      ok: false,
      status: 403,
      error: 'AccessDenied',
      reason: 'expired',
    });
  });

  test('query parameters named like Object.prototype members stay in the resource', async () => {
    const url = `${CDN}/a.jpg?constructor=1&__proto__=2&toString=3&hasOwnProperty`;
    const signed = await rsa.signUrl(url, { dateLessThan: E2030 });
    expect(stripSigningParams(signed)).toBe(url);
    expect(await api.verifySignedUrl(signed, { keys, now: NOW })).toMatchObject({ ok: true, resource: url });
  });

  test.each([
    ['no signing params at all', `${CDN}/a.jpg`, 'MissingKey', 'missing-key-pair-id'],
    [
      'an empty Key-Pair-Id',
      `${CDN}/a.jpg?Expires=1893456000&Signature=AAAA&Key-Pair-Id=`,
      'MissingKey',
      'missing-key-pair-id',
    ],
    [
      'an unknown key',
      `${CDN}/a.jpg?Expires=1893456000&Signature=AAAA&Key-Pair-Id=KUNKNOWN`,
      'UnknownKey',
      'unknown-key',
    ],
    [
      'an undecodable policy',
      `${CDN}/a.jpg?Policy=%%%&Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'MalformedPolicy',
      'malformed-policy',
    ],
    [
      'a policy that is not JSON',
      `${CDN}/a.jpg?Policy=${cfBase64Encode(new TextEncoder().encode('{nope'))}&Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'MalformedPolicy',
      'malformed-policy',
    ],
    [
      'no Signature',
      `${CDN}/a.jpg?Expires=1893456000&Key-Pair-Id=${KEY_ID}`,
      'AccessDenied',
      'missing-signature',
    ],
    [
      'a non-numeric Expires',
      `${CDN}/a.jpg?Expires=soon&Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'AccessDenied',
      'bad-encoding',
    ],
    [
      'a bad Signature encoding',
      `${CDN}/a.jpg?Expires=1893456000&Signature=a%2Bb&Key-Pair-Id=${KEY_ID}`,
      'AccessDenied',
      'bad-encoding',
    ],
    [
      'a wrong signature',
      `${CDN}/a.jpg?Expires=1893456000&Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'AccessDenied',
      'bad-signature',
    ],
    [
      'an unknown Hash-Algorithm',
      `${CDN}/a.jpg?Expires=1893456000&Signature=AAAA&Key-Pair-Id=${KEY_ID}&Hash-Algorithm=MD5`,
      'AccessDenied',
      'bad-encoding',
    ],
    [
      'neither Expires nor Policy',
      `${CDN}/a.jpg?Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'AccessDenied',
      'missing-expires',
    ],
    [
      'an Expires with text after the digits',
      `${CDN}/a.jpg?Expires=1893456000x&Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'AccessDenied',
      'bad-encoding',
    ],
    [
      'an Expires with text before the digits',
      `${CDN}/a.jpg?Expires=x1893456000&Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'AccessDenied',
      'bad-encoding',
    ],
    [
      'a policy whose IpAddress is not an IPv4 CIDR',
      `${CDN}/a.jpg?Policy=${cfBase64Encode(new TextEncoder().encode(`{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"IpAddress":{"AWS:SourceIp":"2001:db8::/32"}}}]}`))}&Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'MalformedPolicy',
      'malformed-policy',
    ],
    [
      'a URL of exactly 8,192 bytes (the limit itself is allowed)',
      sized(8192),
      'AccessDenied',
      'bad-signature',
    ],
    ['a URL of 8,193 bytes', sized(8193), 'AccessDenied', 'url-too-long'],
    [
      'an oversized URL',
      `${CDN}/${'a'.repeat(9000)}?Expires=1&Signature=AAAA&Key-Pair-Id=${KEY_ID}`,
      'AccessDenied',
      'url-too-long',
    ],
  ])('%s → %s (%s)', async (_t, url, error, reason) => {
    const verdict = await api.verifySignedUrl(url, { keys, now: NOW });
    expect(verdict).toMatchObject({ ok: false, status: 403, error, reason });
    expect(verdict.message).toBe(
      {
        MissingKey: 'Missing Key-Pair-Id query parameter or cookie value',
        UnknownKey: 'Unknown Key',
        MalformedPolicy: 'Malformed Policy',
        AccessDenied: 'Access denied',
      }[error],
    );
  });

  test('time window: not yet valid, valid, expired, in whole seconds', async () => {
    const start = new Date(NOW + 3_600_000);
    const url = await rsa.signUrl(`${CDN}/a.jpg`, { dateGreaterThan: start, dateLessThan: E2030, now: NOW });
    expect((await api.verifySignedUrl(url, { keys, now: start.getTime() - 1 })).reason).toBe('not-yet-valid');
    expect((await api.verifySignedUrl(url, { keys, now: start.getTime() })).ok).toBe(true);
    expect((await api.verifySignedUrl(url, { keys, now: E2030.getTime() - 1 })).ok).toBe(true);
    expect((await api.verifySignedUrl(url, { keys, now: E2030.getTime() })).reason).toBe('expired');
  });

  test('IP ranges: inside, outside, IPv6 viewers and IPv4-mapped addresses', async () => {
    const url = await rsa.signUrl(`${CDN}/a.jpg`, {
      ipAddress: '192.0.2.0/24',
      dateLessThan: E2030,
      now: NOW,
    });
    expect((await api.verifySignedUrl(url, { keys, now: NOW, clientIp: '192.0.2.200' })).ok).toBe(true);
    expect((await api.verifySignedUrl(url, { keys, now: NOW, clientIp: '::ffff:192.0.2.1' })).ok).toBe(true);
    expect((await api.verifySignedUrl(url, { keys, now: NOW, clientIp: '192.0.3.1' })).reason).toBe(
      'ip-mismatch',
    );
    expect((await api.verifySignedUrl(url, { keys, now: NOW, clientIp: '2001:db8::1' })).detail).toMatch(
      /IPv6/,
    );
    expect((await api.verifySignedUrl(url, { keys, now: NOW })).reason).toBe('ip-mismatch');
  });

  test('wildcards: * crosses / and ?, the bare prefix and extra queries do not match', async () => {
    const p = await rsa.signPolicy({ resource: `${CDN}/v/*`, dateLessThan: E2030, now: NOW });
    const ok = async (u: string) =>
      (await api.verifySignedUrl(`${u}${u.includes('?') ? '&' : '?'}${p.query}`, { keys, now: NOW }))
        .reason ?? 'ok';
    expect(await ok(`${CDN}/v/a/b.ts?x=1&y=2`)).toBe('ok');
    expect(await ok(`${CDN}/v`)).toBe('resource-mismatch');
    expect(await ok(`${CDN}/w/a.ts`)).toBe('resource-mismatch');
    const exact = await rsa.signPolicy({ resource: `${CDN}/f?.jpg`, dateLessThan: E2030, now: NOW });
    const v = async (u: string) =>
      (await api.verifySignedUrl(`${u}?${exact.query}`, { keys, now: NOW })).reason ?? 'ok';
    expect(await v(`${CDN}/f1.jpg`)).toBe('ok');
    expect(await v(`${CDN}/f12.jpg`)).toBe('resource-mismatch');
  });

  test('URL params win over cookies, even when the cookies are valid', async () => {
    const cookies = await rsa.signCookies(`${CDN}/*`, { dateLessThan: E2030, now: NOW });
    const header = cookies.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await api.verifyRequest(`${CDN}/a.jpg`, header, { keys, now: NOW })).ok).toBe(true);
    const verdict = await api.verifyRequest(`${CDN}/a.jpg?Key-Pair-Id=${KEY_ID}`, header, { keys, now: NOW });
    expect(verdict).toMatchObject({ ok: false, source: 'url', reason: 'missing-expires' });
  });

  test('a canned policy is rebuilt from the URL: any change to it is refused', async () => {
    const url = await rsa.signUrl(`${CDN}/a.jpg?w=1`, { dateLessThan: E2030, now: NOW });
    expect((await api.verifySignedUrl(url, { keys, now: NOW })).ok).toBe(true);
    expect((await api.verifySignedUrl(url.replace('w=1', 'w=2'), { keys, now: NOW })).reason).toBe(
      'bad-signature',
    );
    expect((await api.verifySignedUrl(url.replace('a.jpg', 'A.jpg'), { keys, now: NOW })).reason).toBe(
      'bad-signature',
    );
    expect(
      (await api.verifySignedUrl(url.replace('1893456000', '1893456001'), { keys, now: NOW })).reason,
    ).toBe('bad-signature');
  });

  test("every refusal after the signature check is CloudFront's AccessDenied", async () => {
    const start = new Date(NOW + 3_600_000);
    const later = await rsa.signUrl(`${CDN}/a.jpg`, {
      dateGreaterThan: start,
      dateLessThan: E2030,
      now: NOW,
    });
    const ip = await rsa.signUrl(`${CDN}/a.jpg`, {
      ipAddress: '192.0.2.0/24',
      dateLessThan: E2030,
      now: NOW,
    });
    const p = await rsa.signPolicy({ resource: `${CDN}/v/*`, dateLessThan: E2030, now: NOW });
    for (const [url, reason, clientIp] of [
      [later, 'not-yet-valid', undefined],
      [ip, 'ip-mismatch', '192.0.3.1'],
      [`${CDN}/w/a.jpg?${p.query}`, 'resource-mismatch', undefined],
    ] as const)
      expect(await api.verifySignedUrl(url, { keys, now: NOW, clientIp }), reason).toMatchObject({
        ok: false,
        status: 403,
        error: 'AccessDenied',
        message: 'Access denied',
        reason,
      });
  });

  test('without a viewer IP (undefined, null or empty) an IP-restricted policy is refused', async () => {
    const url = await rsa.signUrl(`${CDN}/a.jpg`, { ipAddress: '0.0.0.0/0', dateLessThan: E2030, now: NOW });
    expect((await api.verifySignedUrl(url, { keys, now: NOW, clientIp: '192.0.2.1' })).ok).toBe(true);
    for (const clientIp of [undefined, null, ''])
      expect(
        (await api.verifySignedUrl(url, { keys, now: NOW, clientIp: clientIp as never })).reason,
        String(clientIp),
      ).toBe('ip-mismatch');
    // null is "no address", as undefined: accepted where no IP is asked for.
    const open = await rsa.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
    expect((await api.verifySignedUrl(open, { keys, now: NOW, clientIp: null as never })).ok).toBe(true);
  });

  test('the verdict carries the policy it checked: only the conditions it has, and whether it was canned', async () => {
    const canned = await rsa.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
    expect((await api.verifySignedUrl(canned, { keys, now: NOW })).policy).toStrictEqual({
      resource: `${CDN}/a.jpg`,
      dateLessThan: 1893456000,
      canned: true,
    });
    const custom = await rsa.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW, resource: `${CDN}/*` });
    expect((await api.verifySignedUrl(custom, { keys, now: NOW })).policy).toStrictEqual({
      resource: `${CDN}/*`,
      dateLessThan: 1893456000,
      canned: false,
    });
    const full = await rsa.signUrl(`${CDN}/a.jpg`, {
      dateLessThan: E2030,
      dateGreaterThan: new Date(NOW - 60_000),
      ipAddress: '192.0.2.0/24',
      now: NOW,
    });
    expect((await api.verifySignedUrl(full, { keys, now: NOW, clientIp: '192.0.2.1' })).policy).toStrictEqual(
      {
        resource: `${CDN}/a.jpg`,
        dateLessThan: 1893456000,
        dateGreaterThan: Math.floor((NOW - 60_000) / 1000),
        ipAddress: '192.0.2.0/24',
        canned: false,
      },
    );
  });

  test('a request without signing values anywhere is source "none"; a URL that is not a string is refused', async () => {
    expect(await api.verifyRequest(`${CDN}/a.jpg`, undefined, { keys, now: NOW })).toMatchObject({
      ok: false,
      source: 'none',
      resource: `${CDN}/a.jpg`,
      reason: 'missing-key-pair-id',
    });
    expect(await api.verifySignedUrl(42 as never, { keys, now: NOW })).toMatchObject({
      ok: false,
      status: 403,
      resource: '',
      reason: 'url-too-long',
    });
  });

  test('keys that are not a key map are a coded error; a key that cannot be loaded is an UnknownKey verdict', async () => {
    const url = `${CDN}/a.jpg?Expires=1893456000&Signature=AAAA&Key-Pair-Id=${KEY_ID}`;
    for (const bad of ['a PEM string', 42, null, [key('rsa-public.pem')]])
      await expect(
        api.verifySignedUrl(url, { keys: bad as never, now: NOW }),
        String(bad),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
    expect(await api.verifySignedUrl(url, { keys: { [KEY_ID]: 'not a key' }, now: NOW })).toMatchObject({
      ok: false,
      error: 'UnknownKey',
      message: 'Unknown Key',
      reason: 'unknown-key',
    });
  });

  test('a plain keys object is read again when it changes: a deleted (revoked) key stops verifying', async () => {
    const url = await rsa.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
    const record: Record<string, string> = { [KEY_ID]: key('rsa-public.pem') };
    expect((await api.verifySignedUrl(url, { keys: record, now: NOW })).ok).toBe(true);
    delete record[KEY_ID];
    expect(await api.verifySignedUrl(url, { keys: record, now: NOW })).toMatchObject({
      reason: 'unknown-key',
    });
    record[KEY_ID] = key('ec-public.pem');
    expect(await api.verifySignedUrl(url, { keys: record, now: NOW })).toMatchObject({ ok: false });
    record[KEY_ID] = key('rsa-public.pem');
    expect((await api.verifySignedUrl(url, { keys: record, now: NOW })).ok).toBe(true);
    record.KOTHER = key('ec-public.pem');
    expect((await api.verifySignedUrl(url, { keys: record, now: NOW })).ok).toBe(true);
  });

  test('stripSigningParams leaves every other byte as it was', () => {
    expect(
      stripSigningParams(
        `${CDN}/a%7e.jpg?b=%2F&Expires=1&a=+&Signature=x&Key-Pair-Id=K&Hash-Algorithm=SHA256#f`,
      ),
    ).toBe(`${CDN}/a%7e.jpg?b=%2F&a=+`);
  });
});

describe('a plain keys object is imported once while it stays the same', () => {
  test('importing again only when an entry is added, replaced or deleted', () => {
    let imports = 0;
    const backend = {
      ...nodeBackend,
      importPublicKey(input: unknown) {
        imports++;
        return nodeBackend.importPublicKey(input);
      },
    };
    const record: Record<string, string> = { [KEY_ID]: key('rsa-public.pem') };
    const first = toKeyGroup(backend, record);
    expect(toKeyGroup(backend, record)).toBe(first);
    expect(imports).toBe(1);
    record.KOTHER = key('ec-public.pem');
    expect(toKeyGroup(backend, record).ids).toEqual([KEY_ID, 'KOTHER']);
    expect(imports).toBe(3);
    record.KOTHER = key('rsa-public.pem');
    toKeyGroup(backend, record);
    delete record.KOTHER;
    expect(toKeyGroup(backend, record).ids).toEqual([KEY_ID]);
    expect(toKeyGroup(backend, record).ids).toEqual([KEY_ID]);
    expect(imports).toBe(6);
  });
});

describe('reading the signing values of a request (docs/signing.md §7, §9)', () => {
  const api = backends[0][1];

  test('from the URL: the fragment is not part of it, a bare name is empty, the first of a name wins', () => {
    expect(api.paramsFromUrl(`${CDN}/a?Expires=1#Signature=x`)).toStrictEqual({
      source: 'url',
      expires: '1',
    });
    expect(api.paramsFromUrl(`${CDN}/a?Signature&Expires=1&Expires=2`)).toStrictEqual({
      source: 'url',
      signature: '',
      expires: '1',
    });
    expect(api.paramsFromUrl(`${CDN}/a?x=1`)).toBeNull();
    expect(api.stripSigningParams(`${CDN}/a?x=1&Expires=1#f`)).toBe(`${CDN}/a?x=1`);
    for (const bad of [42, undefined, new URL(`${CDN}/a`)]) {
      expect(() => api.paramsFromUrl(bad as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_URL' }),
      );
      expect(() => api.stripSigningParams(bad as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_URL' }),
      );
    }
  });

  test('from cookies: trimmed, empty (cleared) values skipped, the first of a name wins, others ignored', () => {
    expect(
      api.paramsFromCookies(
        `session=abc; CloudFront-Key-Pair-Id; CloudFront-Signature= s1 ; CloudFront-Signature=s2; CloudFront-Expires=; CloudFront-Key-Pair-Id=${KEY_ID}`,
      ),
    ).toStrictEqual({ source: 'cookie', signature: 's1', keyPairId: KEY_ID });
    expect(api.paramsFromCookies('session=abc; CloudFront-Expires=')).toBeNull();
    expect(api.paramsFromCookies('')).toBeNull();
    expect(
      api.paramsFromCookies({ 'CloudFront-Signature': 's', 'CloudFront-Expires': 5 as never, session: 'x' }),
    ).toStrictEqual({ source: 'cookie', signature: 's' });
    for (const none of [undefined, null, 42, ['CloudFront-Signature=s']])
      expect(api.paramsFromCookies(none as never)).toBeNull();
  });

  test('a key group lists the ids it trusts', () => {
    expect(api.createKeyGroup({ [KEY_ID]: key('rsa-public.pem'), KEC: key('ec-public.pem') }).ids).toEqual([
      KEY_ID,
      'KEC',
    ]);
  });
});
