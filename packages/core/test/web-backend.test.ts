/**
 * The WebCrypto backend (src/crypto/web.ts) on its own: which CryptoKeys it takes, keys it reads but
 * WebCrypto cannot import, and a runtime without `crypto.subtle`. Real WebCrypto (Node's) throughout;
 * the runtime without it is this one with the global removed for the length of one test.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { webBackend } from '../src/crypto/web.js';
import * as api from '../src/index.web.js';
import { E2030, KEY_ID, key, NOW } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const URL_ = `${CDN}/a.jpg`;
const O = { dateLessThan: E2030, now: NOW };
const RSA = key('rsa-pkcs8.pem');
const EC = key('ec-pkcs8.pem');
const data = new TextEncoder().encode('policy');

const pkcs8 = (pem: string) => createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });
const importRsa = (pem: string, hash: string, name = 'RSASSA-PKCS1-v1_5') =>
  crypto.subtle.importKey('pkcs8', pkcs8(pem), { name, hash }, false, ['sign']);
const pemBlock = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64')}\n-----END ${label}-----\n`;
const refused = (f: () => unknown, code: string) =>
  expect(f).toThrow(expect.objectContaining({ name: 'CfsignError', code }));

// RSA structures holding a 2048-bit modulus and nothing else a key needs: our reader takes them,
// WebCrypto cannot import them.
const MODULUS = [0x02, 0x82, 0x01, 0x01, 0x00, ...new Uint8Array(256).fill(0xc5)];
const sequence = (...parts: number[][]) => {
  const body = parts.flat();
  return new Uint8Array([0x30, 0x82, body.length >> 8, body.length & 255, ...body]);
};
const BROKEN_PRIVATE = pemBlock('RSA PRIVATE KEY', sequence([0x02, 0x01, 0x00], MODULUS));
const BROKEN_PUBLIC = pemBlock('RSA PUBLIC KEY', sequence(MODULUS));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('CryptoKeys on the WebCrypto backend', () => {
  test('an RSASSA-PKCS1-v1_5 key of 2048 bits signs what its PEM signs; an ECDSA P-256 key signs SHA-256', async () => {
    const rsa = api.createSigner({ keyPairId: KEY_ID, privateKey: await importRsa(RSA, 'SHA-1') });
    expect([rsa.keyType, rsa.hashAlgorithm]).toEqual(['rsa', 'SHA1']);
    const fromPem = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA });
    expect(await rsa.signUrl(URL_, O)).toBe(await fromPem.signUrl(URL_, O));

    const ecKey = await crypto.subtle.importKey(
      'pkcs8',
      pkcs8(EC),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const ec = api.createSigner({ keyPairId: KEY_ID, privateKey: ecKey });
    expect([ec.keyType, ec.hashAlgorithm]).toEqual(['ec', 'SHA256']);
    const url = await ec.signUrl(URL_, O);
    const keys = { [KEY_ID]: key('ec-public.pem') };
    expect(await api.verifySignedUrl(url, { keys, now: NOW })).toMatchObject({ ok: true });
  });

  test('RSA of another size, ECDSA on another curve, or another algorithm is ERR_UNSUPPORTED_KEY_TYPE', async () => {
    const rsa1024 = await importRsa(key('rsa-1024.pem'), 'SHA-1');
    const pss = await importRsa(RSA, 'SHA-256', 'RSA-PSS');
    const p384 = (
      await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify'])
    ).privateKey;
    for (const privateKey of [rsa1024, pss, p384])
      refused(() => api.createSigner({ keyPairId: KEY_ID, privateKey }), 'ERR_UNSUPPORTED_KEY_TYPE');
    // A P-256 key for ECDH (key agreement) is not an ECDSA key, as a public key in a key group either.
    const ecdh = await crypto.subtle.importKey(
      'spki',
      spki(key('ec-public.pem')),
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      [],
    );
    refused(() => api.createKeyGroup({ [KEY_ID]: ecdh as never }), 'ERR_UNSUPPORTED_KEY_TYPE');
  });

  test('a private key without the "sign" usage is ERR_UNSUPPORTED_KEY_FORMAT', async () => {
    const ecdh = await crypto.subtle.importKey(
      'pkcs8',
      pkcs8(EC),
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      ['deriveBits'],
    );
    refused(() => api.createSigner({ keyPairId: KEY_ID, privateKey: ecdh }), 'ERR_UNSUPPORTED_KEY_FORMAT');
  });

  test('an RSA CryptoKey signs with the hash it was imported for only', async () => {
    const sha256Key = await importRsa(RSA, 'SHA-256');
    const byDefault = api.createSigner({ keyPairId: KEY_ID, privateKey: sha256Key });
    await expect(byDefault.signUrl(URL_, O)).rejects.toMatchObject({ code: 'ERR_HASH_UNAVAILABLE' });
    const matching = api.createSigner({ keyPairId: KEY_ID, privateKey: sha256Key, hashAlgorithm: 'SHA256' });
    const fromPem = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA, hashAlgorithm: 'SHA256' });
    expect(await matching.signUrl(URL_, O)).toBe(await fromPem.signUrl(URL_, O));
  });

  test('a key from another realm is recognised by its shape (instanceof fails across realms); objects that only resemble one are not keys', async () => {
    const real = await crypto.subtle.importKey(
      'pkcs8',
      pkcs8(EC),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    // The shape of a CryptoKey, not one of this realm's: recognised, then refused by this realm's subtle.
    const foreign = { algorithm: real.algorithm, type: real.type, usages: real.usages, extractable: false };
    const handle = webBackend.importPrivateKey(foreign);
    expect(handle.type).toBe('ec');
    await expect(handle.sign(data, 'SHA256')).rejects.toMatchObject({ code: 'ERR_SIGNER_FAILED' });

    const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' };
    for (const lookalike of [
      { algorithm: 'ECDSA', type: 'private', usages: ['sign'] },
      { algorithm: null, type: 'private', usages: ['sign'] },
      { algorithm: ecdsa, type: 1, usages: ['sign', 'verify'] },
      { algorithm: ecdsa, type: 'private', usages: 'sign' },
      42,
    ]) {
      refused(() => webBackend.importPrivateKey(lookalike), 'ERR_UNSUPPORTED_KEY_FORMAT');
      refused(() => webBackend.importPublicKey(lookalike), 'ERR_UNSUPPORTED_KEY_FORMAT');
    }
  });
});

describe('timeouts on the WebCrypto backend', () => {
  test('a key held in this process is not raced against signTimeout: with every timer run at once, it still signs', async () => {
    const local = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA, signTimeout: 0.001 });
    const handle = webBackend.importPrivateKey(RSA);
    // The same WebCrypto key behind a `sign` callback: an external signer, which is raced.
    const external = api.createSigner({
      keyPairId: KEY_ID,
      keyType: 'rsa',
      sign: (bytes, hash) => handle.sign(bytes, hash),
      signTimeout: 0.001,
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fromLocal = local.signUrl(URL_, O);
      const fromExternal = external.signUrl(URL_, O);
      vi.runAllTimers();
      await expect(fromExternal).rejects.toMatchObject({ code: 'ERR_SIGNER_FAILED' });
      await expect(fromLocal).resolves.toMatch(/&Signature=/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('PEM on the WebCrypto backend', () => {
  test('a PEM key is imported into WebCrypto once per hash, not extractable; an import that failed is tried again', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    try {
      const handle = webBackend.importPrivateKey(RSA);
      // Two signatures at once share one import.
      await Promise.all([handle.sign(data, 'SHA1'), handle.sign(data, 'SHA1')]);
      for (let i = 0; i < 3; i++) {
        await handle.sign(data, 'SHA1');
        await handle.sign(data, 'SHA256');
      }
      expect(importKey).toHaveBeenCalledTimes(2);
      expect(importKey.mock.calls.map((call) => call[3])).toEqual([false, false]);

      importKey.mockClear();
      const broken = webBackend.importPrivateKey(BROKEN_PRIVATE);
      for (let i = 0; i < 2; i++)
        await expect(broken.sign(data, 'SHA256')).rejects.toMatchObject({
          code: 'ERR_UNSUPPORTED_KEY_FORMAT',
        });
      expect(importKey).toHaveBeenCalledTimes(2);
    } finally {
      importKey.mockRestore();
    }
  });

  test('PEM text as bytes (a Uint8Array) signs as the string does; a passphrase is refused, even for a plain key', async () => {
    const fromBytes = api.createSigner({
      keyPairId: KEY_ID,
      privateKey: new TextEncoder().encode(RSA) as never,
    });
    const fromText = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA });
    expect(await fromBytes.signUrl(URL_, O)).toBe(await fromText.signUrl(URL_, O));
    refused(
      () => api.createSigner({ keyPairId: KEY_ID, privateKey: RSA, passphrase: 'x' }),
      'ERR_KEY_PASSPHRASE',
    );
  });

  test('a key our reader accepts but WebCrypto cannot import: signing is ERR_UNSUPPORTED_KEY_FORMAT with either hash; verifying with it is false', async () => {
    const priv = webBackend.importPrivateKey(BROKEN_PRIVATE);
    for (const hash of ['SHA1', 'SHA256'] as const)
      await expect(priv.sign(data, hash)).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_FORMAT' });

    const brokenPublic = BROKEN_PUBLIC;
    const pub = webBackend.importPublicKey(brokenPublic);
    const good = await webBackend.importPrivateKey(RSA).sign(data, 'SHA256');
    expect(await pub.verify(data, good, 'SHA256')).toBe(false);
    // Through the verifier: a URL signed by the real key does not pass with the unimportable one.
    const url = await api.createSigner({ keyPairId: KEY_ID, privateKey: RSA }).signUrl(URL_, O);
    const verdict = await api.verifySignedUrl(url, { keys: { [KEY_ID]: brokenPublic }, now: NOW });
    expect(verdict.ok).toBe(false);
  });

  test('the backend module names itself "webcrypto" and imports keys when loaded afresh', async () => {
    vi.resetModules();
    const fresh = await import('../src/crypto/web.js');
    expect(fresh.webBackend.name).toBe('webcrypto');
    expect(fresh.webBackend.importPrivateKey(RSA).type).toBe('rsa');
  });
});

describe('a runtime without WebCrypto', () => {
  test('signing rejects with ERR_SIGNER_FAILED (not a key format error); verifying is false', async () => {
    // Keys imported while WebCrypto was there, used once so that their CryptoKeys are ready.
    const ready = webBackend.importPrivateKey(RSA);
    const signature = await ready.sign(data, 'SHA1');
    const readyPublic = webBackend.importPublicKey(key('rsa-public.pem'));
    expect(await readyPublic.verify(data, signature, 'SHA1')).toBe(true);
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA });

    vi.stubGlobal('crypto', undefined);
    expect(globalThis.crypto).toBeUndefined();
    await expect(signer.signUrl(URL_, O)).rejects.toMatchObject({ code: 'ERR_SIGNER_FAILED' });
    await expect(ready.sign(data, 'SHA1')).rejects.toMatchObject({ code: 'ERR_SIGNER_FAILED' });
    expect(await readyPublic.verify(data, signature, 'SHA1')).toBe(false);
    expect(await webBackend.importPublicKey(key('rsa-public.pem')).verify(data, signature, 'SHA1')).toBe(
      false,
    );
  });
});
