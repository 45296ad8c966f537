import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { backends, E2030, KEY_ID, key, NOW } from './helpers.js';

const URL_ = 'https://d111111abcdef8.cloudfront.net/a.jpg';

describe.each(backends)('private key formats on the %s backend (docs/signing.md §10)', (name, api) => {
  test.each([
    ['rsa-pkcs8.pem', 'rsa', 'SHA1'],
    ['rsa-pkcs1.pem', 'rsa', 'SHA1'],
    ['ec-pkcs8.pem', 'ec', 'SHA256'],
    ['ec-sec1.pem', 'ec', 'SHA256'],
    ['ec-sec1-params.pem', 'ec', 'SHA256'],
  ])('%s is detected as %s with default hash %s', async (file, type, hash) => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key(file) });
    expect(signer.keyType).toBe(type);
    expect(signer.hashAlgorithm).toBe(hash);
    const url = await signer.signUrl(URL_, { dateLessThan: E2030, now: NOW });
    const verdict = await api.verifySignedUrl(url, {
      keys: { [KEY_ID]: key(type === 'rsa' ? 'rsa-public.pem' : 'ec-public.pem') },
      now: NOW,
    });
    expect(verdict).toMatchObject({ ok: true, status: 200 });
  });

  test('PKCS#1 and PKCS#8 forms of one RSA key sign identically', async () => {
    const a = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs1.pem') });
    const b = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });
    expect(await a.signUrl(URL_, { dateLessThan: E2030, now: NOW })).toBe(
      await b.signUrl(URL_, { dateLessThan: E2030, now: NOW }),
    );
  });

  test.each([
    ['ec-p384.pem', 'ERR_UNSUPPORTED_KEY_TYPE', /P-256/],
    ['rsa-1024.pem', 'ERR_UNSUPPORTED_KEY_TYPE', /RSA-2048/],
    ['ed25519.pem', 'ERR_UNSUPPORTED_KEY_TYPE', /RSA-2048 or ECDSA P-256/],
    ['ec-no-public.pem', 'ERR_UNSUPPORTED_KEY_FORMAT', /public point/],
    ['rsa-public.pem', 'ERR_UNSUPPORTED_KEY_FORMAT', /public key/],
  ])('%s is refused with %s', (file, code, message) => {
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: key(file) })).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });

  test('garbage is refused with a message naming what was seen and the openssl fix', () => {
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: 'not a key' })).toThrow(
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_KEY_FORMAT',
        message: expect.stringMatching(/no PEM block.*openssl pkcs8/),
      }),
    );
  });

  if (name === 'node') {
    test('encrypted PKCS#8 with a passphrase (Node)', async () => {
      const signer = api.createSigner({
        keyPairId: KEY_ID,
        privateKey: key('rsa-encrypted.pem'),
        passphrase: 'correct-horse',
      });
      const plain = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });
      expect(await signer.signUrl(URL_, { dateLessThan: E2030, now: NOW })).toBe(
        await plain.signUrl(URL_, { dateLessThan: E2030, now: NOW }),
      );
      expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-encrypted.pem') })).toThrow(
        expect.objectContaining({ code: 'ERR_KEY_PASSPHRASE' }),
      );
      expect(() =>
        api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-encrypted.pem'), passphrase: 'wrong' }),
      ).toThrow(
        expect.objectContaining({
          code: 'ERR_KEY_PASSPHRASE',
          message: expect.stringContaining('wrong passphrase'),
        }),
      );
    });

    test('a KeyObject, and sync signing for local keys', () => {
      const signer = api.createSigner({
        keyPairId: KEY_ID,
        privateKey: createPrivateKey(key('ec-pkcs8.pem')),
      });
      expect(signer.canSignSync).toBe(true);
      expect(signer.signUrlSync(URL_, { dateLessThan: E2030, now: NOW })).toMatch(/&Hash-Algorithm=SHA256$/);
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey })).toThrow(
        expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_TYPE' }),
      );
    });
  } else {
    test('encrypted keys get a message pointing at Node or openssl', () => {
      expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-encrypted.pem') })).toThrow(
        expect.objectContaining({
          code: 'ERR_KEY_PASSPHRASE',
          message: expect.stringMatching(/openssl pkcs8/),
        }),
      );
    });

    test('a CryptoKey; no sync signing on WebCrypto', async () => {
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'sign',
        'verify',
      ]);
      const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: pair.privateKey });
      expect(signer.canSignSync).toBe(false);
      expect(() => signer.signUrlSync(URL_, { dateLessThan: E2030, now: NOW })).toThrow(
        expect.objectContaining({ code: 'ERR_SYNC_UNAVAILABLE' }),
      );
      const url = await signer.signUrl(URL_, { dateLessThan: E2030, now: NOW });
      expect((await api.verifySignedUrl(url, { keys: { [KEY_ID]: pair.publicKey }, now: NOW })).ok).toBe(
        true,
      );
    });
  }
});
