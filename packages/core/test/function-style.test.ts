/**
 * The function-style API as `bindBackend` builds it (`getSignedUrl`, `getSignedCookies`, the bound
 * `createSigner`, `createKeyGroup` and verifiers). Each test binds its own copy, so the per-key signer
 * cache starts empty, and the backend is the real one with its key imports counted (work, not time).
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { bindBackend } from '../src/backend-api.js';
import { nodeBackend } from '../src/crypto/node.js';
import type { CryptoBackend } from '../src/crypto/types.js';
import { webBackend } from '../src/crypto/web.js';
import { E2030, fromCf, KEY_ID, key, NOW, rawParam } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const RSA = key('rsa-pkcs8.pem');
const ENCRYPTED = key('rsa-encrypted.pem');
const PASSPHRASE = 'correct-horse';

/** The real backend, counting the private keys it parses. */
function counted(backend: CryptoBackend) {
  const seen = { imports: 0 };
  const wrapped: CryptoBackend = {
    name: backend.name,
    importPrivateKey(input, passphrase) {
      seen.imports++;
      return backend.importPrivateKey(input, passphrase);
    },
    importPublicKey: (input) => backend.importPublicKey(input),
  };
  return { api: bindBackend(wrapped), seen };
}

const policyOf = (cookie: string | undefined) =>
  cookie === undefined ? undefined : JSON.parse(fromCf(cookie).toString()).Statement[0];

describe.each([
  ['node', nodeBackend],
  ['webcrypto', webBackend],
] as const)('the function-style API bound to the %s backend', (_name, backend) => {
  test('every bound function signs or verifies with that backend', async () => {
    const { api, seen } = counted(backend);
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA });
    expect(seen.imports).toBe(1);
    const url = await signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '1h', now: NOW });
    const keys = api.createKeyGroup({ [KEY_ID]: key('rsa-public.pem') });
    expect(keys.ids).toEqual([KEY_ID]);
    const at = { keys, now: NOW };
    await expect(api.verifySignedUrl(url, at)).resolves.toMatchObject({ ok: true });
    await expect(api.verifyRequest(url, undefined, at)).resolves.toMatchObject({ ok: true });
    const cookies = await signer.signCookies(`${CDN}/a.jpg`, { expiresIn: '1h', now: NOW });
    await expect(api.verifySignedCookies(`${CDN}/a.jpg`, cookies.values, at)).resolves.toMatchObject({
      ok: true,
    });
    await expect(api.verifySignedUrl(`${CDN}/a.jpg`, at)).resolves.toMatchObject({ ok: false });
  });

  test('getSignedUrl parses a PEM key once, then signs every URL with the cached signer', async () => {
    const { api, seen } = counted(backend);
    const o = { keyPairId: KEY_ID, privateKey: RSA, dateLessThan: E2030, now: NOW };
    const first = await api.getSignedUrl({ ...o, url: `${CDN}/a.jpg` });
    await api.getSignedUrl({ ...o, url: `${CDN}/b.jpg` });
    await api.getSignedCookies({ ...o, url: `${CDN}/c.jpg` });
    expect(seen.imports).toBe(1);
    expect(rawParam(first, 'Key-Pair-Id')).toBe(KEY_ID);
  });

  test('the signer cache is per key pair ID: the same PEM under another ID signs with that ID', async () => {
    const { api, seen } = counted(backend);
    const o = { privateKey: RSA, dateLessThan: E2030, now: NOW, url: `${CDN}/a.jpg` };
    const a = await api.getSignedUrl({ ...o, keyPairId: 'KAAAAAAAAAAAAA' });
    const b = await api.getSignedUrl({ ...o, keyPairId: 'KBBBBBBBBBBBBB' });
    expect(rawParam(a, 'Key-Pair-Id')).toBe('KAAAAAAAAAAAAA');
    expect(rawParam(b, 'Key-Pair-Id')).toBe('KBBBBBBBBBBBBB');
    expect(seen.imports).toBe(2);
  });

  test('the signer cache keeps eight key pair IDs per PEM, then starts over', async () => {
    const { api, seen } = counted(backend);
    const ids = Array.from({ length: 9 }, (_, i) => `K${String.fromCharCode(65 + i).repeat(13)}`);
    const sign = (id: string) =>
      api.getSignedUrl({
        url: `${CDN}/a.jpg`,
        keyPairId: id,
        privateKey: RSA,
        dateLessThan: E2030,
        now: NOW,
      });
    for (const id of ids.slice(0, 8)) await sign(id);
    expect(seen.imports).toBe(8);
    // All eight are still cached.
    for (const id of ids.slice(0, 8)) await sign(id);
    expect(seen.imports).toBe(8);
    // A ninth empties the PEM's cache: the first ID is parsed again.
    await sign(ids[8]!);
    expect(seen.imports).toBe(9);
    expect(rawParam(await sign(ids[0]!), 'Key-Pair-Id')).toBe(ids[0]);
    expect(seen.imports).toBe(10);
  });

  test('function style gives the exact expiry asked for: no cache bucket rounds it', async () => {
    const { api } = counted(backend);
    const o = { url: `${CDN}/a.jpg`, keyPairId: KEY_ID, expiresIn: 600, now: NOW + 999 };
    const url = await api.getSignedUrl({ ...o, privateKey: RSA });
    expect(rawParam(url, 'Expires')).toBe(String(NOW / 1000 + 600));
    const cookies = await api.getSignedCookies({ ...o, privateKey: RSA });
    expect(cookies['CloudFront-Expires']).toBe(String(NOW / 1000 + 600));
  });

  test('"algorithm" (the AWS SDK name) chooses the hash; it may repeat "hashAlgorithm" but not contradict it', async () => {
    const { api } = counted(backend);
    const o = { url: `${CDN}/a.jpg`, keyPairId: KEY_ID, privateKey: RSA, dateLessThan: E2030, now: NOW };
    const sha256 = await api.getSignedUrl({ ...o, algorithm: 'SHA256' });
    expect(rawParam(sha256, 'Hash-Algorithm')).toBe('SHA256');
    const both = await api.getSignedUrl({ ...o, algorithm: 'SHA256', hashAlgorithm: 'SHA256' });
    expect(both).toBe(sha256);
    const cookies = await api.getSignedCookies({ ...o, algorithm: 'SHA256' });
    expect(cookies['CloudFront-Hash-Algorithm']).toBe('SHA256');
    await expect(
      api.getSignedUrl({ ...o, algorithm: 'SHA1', hashAlgorithm: 'SHA256' }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_HASH_ALGORITHM',
    });
    await expect(
      api.getSignedCookies({ ...o, algorithm: 'SHA256', hashAlgorithm: 'SHA1' }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_HASH_ALGORITHM',
    });
  });

  test('getSignedCookies: canned for a plain URL, custom when the URL holds "*" or any custom condition is given', async () => {
    const { api } = counted(backend);
    const url = `${CDN}/p/a.jpg`;
    const o = { url, keyPairId: KEY_ID, privateKey: RSA, dateLessThan: E2030, now: NOW };
    const canned = await api.getSignedCookies(o);
    expect(canned['CloudFront-Expires']).toBe(String(E2030.getTime() / 1000));
    expect(canned['CloudFront-Policy']).toBeUndefined();
    const fromUrl = await api.getSignedCookies({ ...o, url: new URL(url) });
    expect(fromUrl).toEqual(canned);

    const wildcard = await api.getSignedCookies({ ...o, url: `${CDN}/p/*` });
    expect(policyOf(wildcard['CloudFront-Policy'])?.Resource).toBe(`${CDN}/p/*`);
    expect(wildcard['CloudFront-Expires']).toBeUndefined();

    const custom = {
      policyResource: { policyResource: `${CDN}/p/*` },
      dateGreaterThan: { dateGreaterThan: new Date(NOW) },
      ipAddress: { ipAddress: '192.0.2.0/24' },
      policy: {
        policy: {
          Statement: [{ Resource: url, Condition: { DateLessThan: { 'AWS:EpochTime': 1893456000 } } }],
        },
      },
    };
    for (const [name, extra] of Object.entries(custom)) {
      const values = await api.getSignedCookies(
        name === 'policy' ? { ...o, dateLessThan: undefined, ...extra } : { ...o, ...extra },
      );
      const statement = policyOf(values['CloudFront-Policy']);
      expect(statement, name).toBeDefined();
      expect(values['CloudFront-Expires'], name).toBeUndefined();
      if (name === 'policyResource') expect(statement.Resource).toBe(`${CDN}/p/*`);
      if (name === 'dateGreaterThan')
        expect(statement.Condition.DateGreaterThan).toEqual({ 'AWS:EpochTime': NOW / 1000 });
      if (name === 'ipAddress')
        expect(statement.Condition.IpAddress).toEqual({ 'AWS:SourceIp': '192.0.2.0/24' });
    }
  });

  test('a URL that is neither text nor a URL object is refused with ERR_INVALID_URL', async () => {
    const { api } = counted(backend);
    for (const url of [42, null, { href: `${CDN}/*` }]) {
      const o = { url, keyPairId: KEY_ID, privateKey: RSA, dateLessThan: E2030, now: NOW } as never;
      await expect(api.getSignedCookies(o)).rejects.toMatchObject({ code: 'ERR_INVALID_URL' });
      await expect(api.getSignedUrl(o)).rejects.toMatchObject({ code: 'ERR_INVALID_URL' });
    }
  });
});

describe('the function-style API on the node backend: key objects and passphrases', () => {
  test('a KeyObject signs the same URL as its PEM text, and a non-string passphrase is refused with it too', async () => {
    const { api, seen } = counted(nodeBackend);
    const o = { url: `${CDN}/a.jpg`, keyPairId: KEY_ID, dateLessThan: E2030, now: NOW };
    const fromPem = await api.getSignedUrl({ ...o, privateKey: RSA });
    const keyObject = createPrivateKey(RSA);
    expect(await api.getSignedUrl({ ...o, privateKey: keyObject })).toBe(fromPem);
    expect(await api.getSignedCookies({ ...o, privateKey: keyObject })).toEqual(
      await api.getSignedCookies({ ...o, privateKey: RSA }),
    );
    // Only PEM text is cached: a caller's key object is used as given and not kept by the module.
    expect(seen.imports).toBe(3);
    // Nor does a key object get a cache bucket: the expiry is the one asked for.
    const exact = await api.getSignedUrl({
      ...o,
      dateLessThan: undefined,
      expiresIn: 600,
      privateKey: keyObject,
    });
    expect(rawParam(exact, 'Expires')).toBe(String(NOW / 1000 + 600));
    await expect(
      api.getSignedUrl({ ...o, privateKey: keyObject, passphrase: 42 as never }),
    ).rejects.toMatchObject({
      code: 'ERR_KEY_PASSPHRASE',
    });
  });

  test('an encrypted key signs with its passphrase; the cached signer is not reused for a wrong or missing one', async () => {
    const { api, seen } = counted(nodeBackend);
    const o = {
      url: `${CDN}/a.jpg`,
      keyPairId: KEY_ID,
      privateKey: ENCRYPTED,
      dateLessThan: E2030,
      now: NOW,
    };
    const url = await api.getSignedUrl({ ...o, passphrase: PASSPHRASE });
    const policy = `{"Statement":[{"Resource":"${CDN}/a.jpg","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`;
    const expected = nodeSign('sha1', Buffer.from(policy), { key: ENCRYPTED, passphrase: PASSPHRASE });
    expect(fromCf(rawParam(url, 'Signature')!)).toEqual(expected);
    expect(await api.getSignedUrl({ ...o, passphrase: PASSPHRASE })).toBe(url);
    expect(seen.imports).toBe(1);
    await expect(api.getSignedUrl({ ...o, passphrase: 'wrong-horse' })).rejects.toMatchObject({
      code: 'ERR_KEY_PASSPHRASE',
    });
    await expect(api.getSignedUrl(o)).rejects.toMatchObject({ code: 'ERR_KEY_PASSPHRASE' });
    // Under another key pair ID the passphrase still opens the key, and that ID is the one signed.
    const other = await api.getSignedUrl({ ...o, keyPairId: 'KAAAAAAAAAAAAA', passphrase: PASSPHRASE });
    expect(rawParam(other, 'Key-Pair-Id')).toBe('KAAAAAAAAAAAAA');
  });

  test('a passphrase that reads "undefined" is still a passphrase: the signer it opened is not reused without one', async () => {
    const { api } = counted(nodeBackend);
    const pem = createPrivateKey({ key: ENCRYPTED, passphrase: PASSPHRASE })
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'undefined' })
      .toString();
    const o = { url: `${CDN}/a.jpg`, keyPairId: KEY_ID, privateKey: pem, dateLessThan: E2030, now: NOW };
    const url = await api.getSignedUrl({ ...o, passphrase: 'undefined' });
    expect(url).toBe(await api.getSignedUrl({ ...o, privateKey: ENCRYPTED, passphrase: PASSPHRASE }));
    await expect(api.getSignedUrl(o)).rejects.toMatchObject({ code: 'ERR_KEY_PASSPHRASE' });
  });
});
