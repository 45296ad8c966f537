import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { nodeBackend } from '../src/crypto/node.js';
import { backends, E2030, KEY_ID, key, NOW } from './helpers.js';

/** A PEM block of `label` around `body` (built, so that no key-shaped text sits in the source). */
const pemBlock = (label: string, body: string) =>
  `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;

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

describe('key objects on the node backend', () => {
  const api = backends[0][1];
  const keys = (k: unknown) => ({ [KEY_ID]: k as string });

  test('a damaged key (a changed byte in its modulus still parses) is refused before it signs dead links', async () => {
    const der = createPrivateKey(key('rsa-pkcs8.pem')).export({ type: 'pkcs8', format: 'der' });
    // Byte 100 lies inside the modulus n: p * q no longer gives it, and nothing it signs verifies.
    der[100]! ^= 0x10;
    // Node parses it (nothing checks that the parts fit), and writes it out as PEM again.
    const pem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
    for (const privateKey of [pem, createPrivateKey(pem)])
      expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey })).toThrow(
        expect.objectContaining({
          code: 'ERR_UNSUPPORTED_KEY_FORMAT',
          message: expect.stringMatching(/damaged/),
        }),
      );
    await expect(
      api.getSignedUrl({
        url: 'https://d111111abcdef8.cloudfront.net/a.jpg',
        keyPairId: KEY_ID,
        privateKey: pem,
        dateLessThan: E2030,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_FORMAT' });
  });

  test('a KeyObject or CryptoKey must be private to sign, RSA-2048 or P-256', async () => {
    const pub = createPublicKey(key('rsa-public.pem'));
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: pub })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_FORMAT' }),
    );
    const rsa1024 = createPrivateKey(key('rsa-1024.pem'));
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: rsa1024 })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_TYPE' }),
    );
    const ed = generateKeyPairSync('ed25519').privateKey;
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: ed })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_TYPE' }),
    );
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: pair.publicKey })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_FORMAT' }),
    );
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: pair.privateKey });
    expect(signer.canSignSync).toBe(true);
    const url = signer.signUrlSync(URL_, { dateLessThan: E2030, now: NOW });
    // The verifier takes the public key as a CryptoKey, a public KeyObject, or the private KeyObject.
    for (const k of [pair.publicKey, KeyObject.from(pair.publicKey), KeyObject.from(pair.privateKey)])
      expect((await api.verifySignedUrl(url, { keys: keys(k), now: NOW })).ok).toBe(true);
  });

  test('PEM as found in config files: indented lines, a legacy encrypted PKCS#1 with headers, broken base64', async () => {
    const pem = key('rsa-pkcs8.pem');
    const o = { dateLessThan: E2030, now: NOW };
    const plain = await api.createSigner({ keyPairId: KEY_ID, privateKey: pem }).signUrl(URL_, o);
    const indented = pem.replace(/^/gm, '  ');
    expect(await api.createSigner({ keyPairId: KEY_ID, privateKey: indented }).signUrl(URL_, o)).toBe(plain);
    const legacy = createPrivateKey(pem).export({
      type: 'pkcs1',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'correct horse',
    }) as string;
    expect(legacy).toMatch(/Proc-Type: 4,ENCRYPTED/);
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: legacy, passphrase: 'correct horse' });
    expect(await signer.signUrl(URL_, o)).toBe(plain);
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: legacy })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_PASSPHRASE' }),
    );
    const broken = pemBlock('PRIVATE KEY', 'MII!!!not base64');
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: broken })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_FORMAT' }),
    );
  });

  test('PEM text in a Buffer signs as the string does', async () => {
    const pem = key('rsa-pkcs8.pem');
    const o = { dateLessThan: E2030, now: NOW };
    const fromBuffer = api.createSigner({ keyPairId: KEY_ID, privateKey: Buffer.from(pem) });
    const fromString = api.createSigner({ keyPairId: KEY_ID, privateKey: pem });
    expect(await fromBuffer.signUrl(URL_, o)).toBe(await fromString.signUrl(URL_, o));
  });

  test('a key block our reader accepts but OpenSSL cannot load is ERR_UNSUPPORTED_KEY_FORMAT', () => {
    // PKCS#1 holding only a version and a 2048-bit modulus: the modulus is readable, the key is not.
    const modulus = Buffer.concat([Buffer.of(0x02, 0x82, 0x01, 0x01, 0x00), Buffer.alloc(256, 0xc5)]);
    const body = Buffer.concat([Buffer.of(0x02, 0x01, 0x00), modulus]);
    const der = Buffer.concat([Buffer.of(0x30, 0x82, body.length >> 8, body.length & 255), body]);
    const pem = pemBlock('RSA PRIVATE KEY', der.toString('base64'));
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: pem })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_KEY_FORMAT' }),
    );
  });

  test("a handle's async sign gives the sync signature; verify never throws, even on a signature that is not bytes", async () => {
    const handle = nodeBackend.importPrivateKey(key('rsa-pkcs8.pem'));
    const data = new TextEncoder().encode('policy');
    const sig = await handle.sign(data, 'SHA256');
    expect(Buffer.from(sig)).toEqual(Buffer.from(handle.signSync!(data, 'SHA256')));
    const pub = nodeBackend.importPublicKey(key('rsa-public.pem'));
    expect(pub.verifySync!(data, sig, 'SHA256')).toBe(true);
    expect(pub.verifySync!(data, 'not bytes' as never, 'SHA256')).toBe(false);
  });
});
