import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import vectors from './fixtures/openssl-vectors.json' with { type: 'json' };
import { backends, E2030, fromCf, KEY_ID, key, NOW, rawParam, specKey } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const CANNED_A = `{"Statement":[{"Resource":"${CDN}/images/photo.jpg?size=large","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`;

/** Independent check: node:crypto.verify on the public key, not our verifier. */
function verifiesWith(publicPem: string, policy: string, url: string, hash: 'sha1' | 'sha256') {
  return verify(hash, Buffer.from(policy), createPublicKey(publicPem), fromCf(rawParam(url, 'Signature')!));
}

describe('docs/signing.md §13 worked examples, checked with the fixture public keys (fixtures/spec)', () => {
  test('A: our canned policy bytes are the ones the published SHA-1 signature covers', async () => {
    const { cannedPolicy } = await import('../src/policy.js');
    const policy = cannedPolicy(`${CDN}/images/photo.jpg?size=large`, 1893456000);
    expect(policy).toBe(CANNED_A);
    expect(policy.length).toBe(154);
    const sigA =
      'i~CPWOHO~tuO-tj-pjNMuT3ONdULoSJHt~Oam3rd5kr~qFgM8CxQAHfhtr5WdL6KYk1s57T53SSVbincLvGTBvL94~wZfG3BXAsLzit5b66Vs8dL3uwDYT6FNUIopOA8tujqAj6VcSbi-j~maVRbQgs8g95B9f-VldkJW3OTADh2y-eqA5FZJXcXtETt0g5BcOSskqyvLCOlxWd42MdBtJLRC1DcrsBYy10ma8BPKrZQrZHC2e0I2jJkRhhhSNv76k5aOAdWi0P2yO3EKewo6LlkjM5fBOH0E3mt30TkVDa~RmEI8Z4~jA958mO1Dp3ZLUv4rYWidKlu2FaFI~TFWg__';
    expect(
      verify('sha1', Buffer.from(policy), createPublicKey(specKey('rsa-public.pem')), fromCf(sigA)),
    ).toBe(true);
    expect(
      verify('sha1', Buffer.from(`${policy} `), createPublicKey(specKey('rsa-public.pem')), fromCf(sigA)),
    ).toBe(false);
  });

  test('C: our custom policy (botocore order) is byte-identical to the spec', async () => {
    const { customPolicy } = await import('../src/policy.js');
    const policy = customPolicy({
      resource: `${CDN}/images/*`,
      dateLessThan: 1893456000,
      ipAddress: '192.0.2.0/24',
      dateGreaterThan: 1893452400,
    });
    expect(policy.length).toBe(226);
    const sigC =
      'EWF4jq-SYiZnk2MiFtoPJseJj3kzAfSgvMq~nSePFiooiK9xp6ZubzkTnFCGzozPrkpXJi-RBRdb1neiJ6xem4bVFM0zgkTQrxjXE0c0q496jMlWUMzQYiTkzIvEO~~gOelyWmRpJIYU93LcH0Vj~2BNqv87tTIwWvmpHxf-bhLCt3InaxKuhmzDZfNyMR6oAJwyCM9m-vNYndx7ZXzXB~0917XI~zQn5I3fdRG8KRO4dEJnGTBwFDRyygeqJd~D~38Adso9o5QzTp2kTtjs7JHUeOGJGD3v~xjfZ8BwWrWXAR85~rjG3mQ0w51sGf3JIgFqOTrQoyokQXCbBAfP7A__';
    expect(
      verify('sha1', Buffer.from(policy), createPublicKey(specKey('rsa-public.pem')), fromCf(sigC)),
    ).toBe(true);
  });
});

describe.each(backends)('signUrl on the %s backend', (_name, api) => {
  const rsa = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem'), cache: false });
  const ec = api.createSigner({ keyPairId: KEY_ID, privateKey: key('ec-pkcs8.pem'), cache: false });

  test.each(vectors.vectors)('RSA known answer from openssl: $title', async (v) => {
    const canned = !v.policy.includes('DateGreaterThan');
    const url = canned
      ? await rsa.signUrl(v.resource, {
          dateLessThan: E2030,
          hashAlgorithm: v.hash as 'SHA1',
          now: NOW,
          verbatim: true,
        })
      : await rsa.signUrl(`${CDN}/images/cat.png`, {
          resource: v.resource,
          dateLessThan: E2030,
          dateGreaterThan: new Date('2029-12-31T23:00:00Z'),
          ipAddress: '192.0.2.0/24',
          hashAlgorithm: v.hash as 'SHA1',
          now: NOW,
        });
    expect(rawParam(url, 'Signature')).toBe(v.signature);
    if (canned) expect(rawParam(url, 'Expires')).toBe('1893456000');
    else expect(fromCf(rawParam(url, 'Policy')!).toString()).toBe(v.policy);
    expect(rawParam(url, 'Hash-Algorithm')).toBe(v.hash === 'SHA256' ? 'SHA256' : undefined);
  });

  test('canned URL: exact layout, order Expires, Signature, Key-Pair-Id, and the fragment last', async () => {
    const url = await rsa.signUrl(`${CDN}/images/photo.jpg?size=large#frag`, {
      dateLessThan: E2030,
      now: NOW,
    });
    expect(url).toBe(
      `${CDN}/images/photo.jpg?size=large&Expires=1893456000&Signature=${vectors.vectors[0]!.signature}&Key-Pair-Id=${KEY_ID}#frag`,
    );
    expect(new URL(url).href).toBe(url);
  });

  test('ECDSA: DER signature (70-72 bytes), SHA-256 by default, verifies with node:crypto', async () => {
    const url = await ec.signUrl(`${CDN}/images/photo.jpg?size=large`, { dateLessThan: E2030, now: NOW });
    const der = fromCf(rawParam(url, 'Signature')!);
    expect(der[0]).toBe(0x30);
    expect(der.length).toBeGreaterThanOrEqual(68);
    expect(der.length).toBeLessThanOrEqual(72);
    expect(url.endsWith(`&Key-Pair-Id=${KEY_ID}&Hash-Algorithm=SHA256`)).toBe(true);
    expect(verifiesWith(key('ec-public.pem'), CANNED_A, url, 'sha256')).toBe(true);
  });

  test('ECDSA with SHA-1 is opt-in and then carries no Hash-Algorithm', async () => {
    const url = await ec.signUrl(`${CDN}/images/photo.jpg?size=large`, {
      dateLessThan: E2030,
      now: NOW,
      hashAlgorithm: 'SHA1',
    });
    expect(rawParam(url, 'Hash-Algorithm')).toBeUndefined();
    expect(verifiesWith(key('ec-public.pem'), CANNED_A, url, 'sha1')).toBe(true);
  });

  test('custom policy with a path resource on the URL origin, start back-dated by the skew margin', async () => {
    const url = await rsa.signUrl(`${CDN}/video/7/index.m3u8`, {
      resource: '/video/7/*',
      expiresIn: '1h',
      startsIn: 0,
      now: NOW,
    });
    const policy = JSON.parse(fromCf(rawParam(url, 'Policy')!).toString());
    const st = policy.Statement[0];
    expect(st.Resource).toBe(`${CDN}/video/7/*`);
    expect(st.Condition.DateLessThan['AWS:EpochTime']).toBe(NOW / 1000 + 3600);
    expect(st.Condition.DateGreaterThan['AWS:EpochTime']).toBe(NOW / 1000 - 60);
    expect(rawParam(url, 'Expires')).toBeUndefined();
    expect(
      verifiesWith(key('rsa-public.pem'), fromCf(rawParam(url, 'Policy')!).toString(), url, 'sha1'),
    ).toBe(true);
  });

  test('a bare IP becomes /32 and forces a custom policy', async () => {
    const url = await rsa.signUrl(`${CDN}/a.pdf`, { expiresIn: 600, ipAddress: '198.51.100.7', now: NOW });
    expect(fromCf(rawParam(url, 'Policy')!).toString()).toContain(
      '"IpAddress":{"AWS:SourceIp":"198.51.100.7/32"}',
    );
  });

  test('an explicit policy (AWS SDK `policy`) is signed as given', async () => {
    const policy = `{"Statement":[{"Resource":"${CDN}/p/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`;
    const url = await rsa.signUrl(`${CDN}/p/x.jpg`, { policy });
    expect(fromCf(rawParam(url, 'Policy')!).toString()).toBe(policy);
  });

  describe('refuses bad input with a coded error that says how to fix it', () => {
    test.each([
      [{ expiresIn: '10m', resource: `${CDN}/other/*` }, 'ERR_RESOURCE_MISMATCH', /does not match/],
      [{ expiresIn: '10m', resource: '*' }, 'ERR_INVALID_RESOURCE', /allowAnyResource/],
      [{ expiresIn: '10 minutes' }, 'ERR_INVALID_DURATION', /'10m'/],
      [{ expiresIn: 30 }, 'ERR_INVALID_EXPIRY', /later expiry/],
      [{ dateLessThan: 'yesterday-ish' }, 'ERR_INVALID_EXPIRY', /ISO 8601/],
      [{ dateLessThan: new Date('2040-01-01') }, 'ERR_INVALID_EXPIRY', /2147483647/],
      [{ dateLessThan: E2030, dateGreaterThan: E2030 }, 'ERR_INVALID_TIME_WINDOW', /before the expiry/],
      [{ expiresIn: '1h', ipAddress: '2001:db8::1' }, 'ERR_INVALID_IP_RANGE', /IPv4 only/],
      [{ expiresIn: '1h', ipAddress: '192.0.2.0/33' }, 'ERR_INVALID_IP_RANGE', /CIDR/],
      [{ expiresIn: '1h', ipAddress: '256.0.0.1' }, 'ERR_INVALID_IP_RANGE', /CIDR/],
      [{ policy: '{"Statement":[]}' }, 'ERR_INVALID_POLICY', /exactly one Statement/],
    ])('%j → %s', async (opts, code, message) => {
      await expect(
        rsa.signUrl(`${CDN}/images/a.jpg`, { now: NOW, ...(opts as object) }),
      ).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    });

    test('a number date is milliseconds, as the AWS SDK reads it; a seconds-looking number is refused', async () => {
      const ms = await rsa.signUrl(`${CDN}/a.jpg`, { dateLessThan: 1893456000000, now: NOW });
      expect(rawParam(ms, 'Expires')).toBe('1893456000');
      await expect(rsa.signUrl(`${CDN}/a.jpg`, { dateLessThan: 1893456000, now: NOW })).rejects.toMatchObject(
        {
          code: 'ERR_INVALID_EXPIRY',
          message: expect.stringMatching(/looks like seconds.*\{ seconds: 1893456000 \}/),
        },
      );
    });

    test('URLs over 8,192 bytes: ERR_URL_TOO_LONG with the cure', async () => {
      await expect(
        rsa.signUrl(`${CDN}/${'a'.repeat(8000)}`, { expiresIn: '1h', now: NOW }),
      ).rejects.toMatchObject({
        code: 'ERR_URL_TOO_LONG',
        message: expect.stringMatching(/ECDSA.*canned.*cookies/),
      });
    });

    test('a signed URL of exactly 8,192 bytes is kept, fragment aside; one byte more is ERR_URL_TOO_LONG', async () => {
      const o = { dateLessThan: E2030, now: NOW };
      const overhead = (await rsa.signUrl(`${CDN}/a`, o)).length - `${CDN}/a`.length;
      const url = `${CDN}/${'a'.repeat(8192 - overhead - `${CDN}/`.length)}`;
      expect(await rsa.signUrl(url, o)).toHaveLength(8192);
      expect(await rsa.signUrl(`${url}#t=10`, o)).toHaveLength(8192 + '#t=10'.length);
      await expect(rsa.signUrl(`${url}a`, o)).rejects.toMatchObject({ code: 'ERR_URL_TOO_LONG' });
    });

    test("signPolicy: refused when even its shortest URL (each * empty) would pass CloudFront's 8,192 bytes", async () => {
      const o = { dateLessThan: E2030, now: NOW };
      const resourceOf = (n: number, k: number) => `${CDN}/${'a'.repeat(n)}/*${'x*'.repeat(k)}`;
      const probe = await rsa.signPolicy({ resource: resourceOf(0, 0), ...o });
      const b64 = (bytes: number) => 4 * Math.ceil(bytes / 3);
      const fixed = probe.query.length - b64(probe.policy.length);
      // The shortest URL: the resource without its stars, "?", and the query (whose Policy grows with it).
      const shortest = (n: number, k: number) =>
        resourceOf(n, k).replaceAll('*', '').length + 1 + fixed + b64(probe.policy.length + n + 2 * k);
      const find = (target: number) => {
        for (let n = 3000; n < 4000; n++)
          for (let k = 1; k < 4; k++) if (shortest(n, k) === target) return resourceOf(n, k);
        throw new Error(`no resource gives a shortest URL of ${target}`);
      };
      const at = await rsa.signPolicy({ resource: find(8192), ...o });
      const resource = /"Resource":"([^"]*)"/.exec(at.policy)![1]!;
      expect(resource.replaceAll('*', '').length + 1 + at.query.length).toBe(8192);
      for (const over of [8193, 8194])
        await expect(rsa.signPolicy({ resource: find(over), ...o })).rejects.toMatchObject({
          code: 'ERR_URL_TOO_LONG',
        });
    });

    test('a given policy takes no "resource"; a link holding "*" needs an explicit one for a custom policy', async () => {
      const policy = `{"Statement":[{"Resource":"${CDN}/v/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`;
      await expect(
        rsa.signUrl(`${CDN}/v/a.jpg`, { policy, resource: `${CDN}/v/*`, now: NOW }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_POLICY' });
      const o = { expiresIn: '1h', ipAddress: '192.0.2.1', now: NOW };
      await expect(rsa.signUrl(`${CDN}/v/a*b.jpg`, o)).rejects.toMatchObject({
        code: 'ERR_INVALID_RESOURCE',
      });
      const url = await rsa.signUrl(`${CDN}/v/a*b.jpg`, { ...o, resource: `${CDN}/v/*` });
      expect(fromCf(rawParam(url, 'Policy')!).toString()).toContain(`"Resource":"${CDN}/v/*"`);
      expect(await rsa.signUrl(`${CDN}/v/a*b.jpg`, { expiresIn: '1h', now: NOW })).toContain(
        '/v/a*b.jpg?Expires=',
      );
    });

    test('misuse is a coded CfsignError, never a TypeError', async () => {
      expect(() => api.createSigner({ keyPairId: 123 as never, privateKey: key('rsa-pkcs8.pem') })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_KEY_PAIR_ID' }),
      );
      expect(() => api.createSigner({ keyPairId: 'K-1', privateKey: key('rsa-pkcs8.pem') })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_KEY_PAIR_ID' }),
      );
      expect(() => api.createSigner({ keyPairId: KEY_ID })).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_ARGUMENT',
          message: expect.stringMatching(/privateKey/),
        }),
      );
      await expect(rsa.signUrl(`${CDN}/a.jpg`, {} as never)).rejects.toMatchObject({
        code: 'ERR_INVALID_EXPIRY',
        message: expect.stringMatching(/expiresIn/),
      });
    });
  });

  test('function style getSignedUrl with AWS SDK option names', async () => {
    const url = await api.getSignedUrl({
      url: `${CDN}/images/photo.jpg?size=large`,
      keyPairId: KEY_ID,
      privateKey: key('rsa-pkcs1.pem'),
      dateLessThan: '2030-01-01T00:00:00Z',
      now: NOW,
    });
    expect(rawParam(url, 'Signature')).toBe(vectors.vectors[0]!.signature);
  });
});
