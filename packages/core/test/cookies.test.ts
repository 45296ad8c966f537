import { describe, expect, test } from 'vitest';
import { backends, E2030, fromCf, KEY_ID, key, NOW } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';

describe.each(backends)('signed cookies on the %s backend (docs/signing.md §7)', (_name, api) => {
  const rsa = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });

  test('custom policy by default, attributes as the spec example, unused names expired', async () => {
    const set = await rsa.signCookies(`${CDN}/images/*`, {
      dateLessThan: E2030,
      dateGreaterThan: new Date('2029-12-31T23:00:00Z'),
      ipAddress: '192.0.2.0/24',
      domain: 'd111111abcdef8.cloudfront.net',
      now: NOW,
    });
    expect(set.setCookie[0]).toBe(
      'CloudFront-Policy=eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9kMTExMTExYWJjZGVmOC5jbG91ZGZyb250Lm5ldC9pbWFnZXMvKiIsIkNvbmRpdGlvbiI6eyJEYXRlTGVzc1RoYW4iOnsiQVdTOkVwb2NoVGltZSI6MTg5MzQ1NjAwMH0sIklwQWRkcmVzcyI6eyJBV1M6U291cmNlSXAiOiIxOTIuMC4yLjAvMjQifSwiRGF0ZUdyZWF0ZXJUaGFuIjp7IkFXUzpFcG9jaFRpbWUiOjE4OTM0NTI0MDB9fX1dfQ__; Domain=d111111abcdef8.cloudfront.net; Path=/images/; Secure; HttpOnly; SameSite=Lax',
    );
    expect(set.setCookie[2]).toBe(
      `CloudFront-Key-Pair-Id=${KEY_ID}; Domain=d111111abcdef8.cloudfront.net; Path=/images/; Secure; HttpOnly; SameSite=Lax`,
    );
    expect(set.cookies.map((c) => c.name)).toEqual([
      'CloudFront-Policy',
      'CloudFront-Signature',
      'CloudFront-Key-Pair-Id',
    ]);
    expect(set.setCookie.slice(3)).toEqual([
      'CloudFront-Expires=; Domain=d111111abcdef8.cloudfront.net; Path=/images/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax',
      'CloudFront-Hash-Algorithm=; Domain=d111111abcdef8.cloudfront.net; Path=/images/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax',
    ]);
  });

  test('cookies verify for a URL under the resource and not outside it', async () => {
    const set = await rsa.signCookies(`${CDN}/private/*`, {
      expiresIn: '1h',
      now: NOW,
      hashAlgorithm: 'SHA256',
    });
    expect(set.values['CloudFront-Hash-Algorithm']).toBe('SHA256');
    const header = set.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const keys = { [KEY_ID]: key('rsa-public.pem') };
    expect(await api.verifySignedCookies(`${CDN}/private/a/b.jpg`, header, { keys, now: NOW })).toMatchObject(
      { ok: true, source: 'cookie' },
    );
    expect(await api.verifySignedCookies(`${CDN}/public/b.jpg`, header, { keys, now: NOW })).toMatchObject({
      ok: false,
      reason: 'resource-mismatch',
    });
  });

  test('canned cookies grant one URL and expire CloudFront-Policy', async () => {
    const set = await rsa.signCookies(`${CDN}/one.jpg`, { canned: true, dateLessThan: E2030, now: NOW });
    expect(Object.keys(set.values)).toEqual([
      'CloudFront-Expires',
      'CloudFront-Signature',
      'CloudFront-Key-Pair-Id',
    ]);
    expect(set.setCookie.some((c) => c.startsWith('CloudFront-Policy=; '))).toBe(true);
  });

  test('the cookie path is literal: no *; SameSite=None requires Secure; Max-Age within the policy', async () => {
    const base = { expiresIn: 600, now: NOW };
    await expect(rsa.signCookies(`${CDN}/p/*`, { ...base, path: '/p/*' })).rejects.toMatchObject({
      code: 'ERR_INVALID_COOKIE_OPTIONS',
    });
    await expect(
      rsa.signCookies(`${CDN}/p/*`, { ...base, sameSite: 'None', secure: false }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_COOKIE_OPTIONS' });
    await expect(rsa.signCookies(`${CDN}/p/*`, { ...base, maxAge: 100_000 })).rejects.toMatchObject({
      code: 'ERR_INVALID_COOKIE_OPTIONS',
    });
    const ok = await rsa.signCookies(`${CDN}/p/*`, { ...base, maxAge: 300, sameSite: 'None' });
    expect(ok.setCookie[0]).toMatch(/; Path=\/p\/; Max-Age=300; Secure; HttpOnly; SameSite=None$/);
  });

  test('with a given policy the first argument is its Resource or a URL it covers, never a wider one', async () => {
    const policy = `{"Statement":[{"Resource":"${CDN}/v/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`;
    const own = await rsa.signCookies(`${CDN}/v/*`, { policy, now: NOW });
    const covered = await rsa.signCookies(`${CDN}/v/a.m3u8`, { policy, now: NOW });
    expect(covered.values).toEqual(own.values);
    expect(covered.setCookie[0]).toContain('; Path=/v/;');
    for (const other of [`${CDN}/w/a.m3u8`, `${CDN}/v/*.m3u8`, '*'])
      await expect(rsa.signCookies(other, { policy, now: NOW })).rejects.toMatchObject({
        code: 'ERR_RESOURCE_MISMATCH',
      });
    await expect(rsa.signCookies(`${CDN}/v/*`, { policy, canned: true, now: NOW })).rejects.toMatchObject({
      code: 'ERR_INVALID_POLICY',
    });
  });

  test('canned cookies carry no start time, IP or wildcard; the "resource" option must repeat the argument', async () => {
    const base = { canned: true, expiresIn: '1h', now: NOW } as const;
    for (const extra of [{ ipAddress: '192.0.2.1' }, { startsIn: '1m' }])
      await expect(rsa.signCookies(`${CDN}/one.jpg`, { ...base, ...extra })).rejects.toMatchObject({
        code: 'ERR_INVALID_POLICY',
      });
    await expect(rsa.signCookies(`${CDN}/v/*`, base)).rejects.toMatchObject({ code: 'ERR_INVALID_RESOURCE' });
    const o = { expiresIn: '1h', now: NOW };
    await expect(rsa.signCookies(`${CDN}/v/*`, { ...o, resource: `${CDN}/w/*` })).rejects.toMatchObject({
      code: 'ERR_INVALID_RESOURCE',
    });
    expect((await rsa.signCookies(`${CDN}/v/*`, { ...o, resource: `${CDN}/v/*` })).values).toEqual(
      (await rsa.signCookies(`${CDN}/v/*`, o)).values,
    );
  });

  test('clearUnused: false leaves the unused names alone', async () => {
    const set = await rsa.signCookies(`${CDN}/v/*`, { expiresIn: '1h', now: NOW, clearUnused: false });
    expect(set.setCookie).toHaveLength(set.cookies.length);
  });

  test('a Set-Cookie line of 4,096 bytes is kept; one byte more is ERR_COOKIE_TOO_LARGE', async () => {
    const o = { expiresIn: 600, now: NOW, clearUnused: false };
    const longestAt = async (path: string) =>
      Math.max(...(await rsa.signCookies(`${CDN}/v/*`, { ...o, path })).setCookie.map((l) => l.length));
    // A longer path under the resource's /v/, so the cookies still reach it.
    const path = `/v/${'p'.repeat(4096 - (await longestAt('/v/')))}`;
    expect(await longestAt(path)).toBe(4096);
    await expect(rsa.signCookies(`${CDN}/v/*`, { ...o, path: `${path}p` })).rejects.toMatchObject({
      code: 'ERR_COOKIE_TOO_LARGE',
    });
  });

  test('clearCookies expires all five names with the same Domain and Path', () => {
    const cleared = rsa.clearCookies({ domain: 'example.com', path: '/private/' });
    expect(cleared.map((c) => c.name)).toEqual([
      'CloudFront-Policy',
      'CloudFront-Expires',
      'CloudFront-Signature',
      'CloudFront-Key-Pair-Id',
      'CloudFront-Hash-Algorithm',
    ]);
    for (const c of cleared)
      expect(c).toMatchObject({ value: '', maxAge: 0, domain: 'example.com', path: '/private/' });
  });

  test('function style getSignedCookies returns name → value as the AWS SDK does', async () => {
    const values = await api.getSignedCookies({
      url: `${CDN}/p/*`,
      policyResource: `${CDN}/p/*`,
      keyPairId: KEY_ID,
      privateKey: key('rsa-pkcs8.pem'),
      dateLessThan: E2030,
      now: NOW,
    });
    expect(Object.keys(values)).toEqual([
      'CloudFront-Policy',
      'CloudFront-Signature',
      'CloudFront-Key-Pair-Id',
    ]);
    expect(fromCf(values['CloudFront-Policy']!).toString()).toContain(`"Resource":"${CDN}/p/*"`);
  });
});
