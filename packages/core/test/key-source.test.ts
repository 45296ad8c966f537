/**
 * Where a signer's signatures come from (src/key-source.ts): exactly one of a private key, a keyring
 * or a `sign` callback, each checked up front with a coded error.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { backends, KEY_ID, key, NOW } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const coded = (code: string) => expect.objectContaining({ code });

describe.each(backends)('key sources on the %s backend', (_name, api) => {
  const rsa = key('rsa-pkcs8.pem');
  const ec = key('ec-pkcs8.pem');
  const sign = async (data: Uint8Array) => nodeSign('sha256', data, createPrivateKey(rsa));

  test('exactly one of privateKey, keyring or sign', () => {
    expect(() => api.createSigner({ keyPairId: KEY_ID })).toThrow(coded('ERR_INVALID_ARGUMENT'));
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: rsa, sign })).toThrow(
      coded('ERR_INVALID_ARGUMENT'),
    );
    expect(() =>
      api.createSigner({ keyPairId: KEY_ID, privateKey: rsa, keyring: { active: 'K1', keys: { K1: rsa } } }),
    ).toThrow(coded('ERR_INVALID_ARGUMENT'));
    expect(() => api.createSigner({ keyPairId: KEY_ID, privateKey: rsa, passphrase: 42 as never })).toThrow(
      coded('ERR_KEY_PASSPHRASE'),
    );
  });

  test('a keyring: { active, keys } with at least one key, entries plain or { privateKey, passphrase }', async () => {
    for (const keyring of [
      null,
      'K1',
      { active: 'K1' },
      { active: 'K1', keys: {} },
      { active: 'K1', keys: [] },
    ])
      expect(() => api.createSigner({ keyring: keyring as never })).toThrow(coded('ERR_INVALID_ARGUMENT'));
    for (const active of ['K3', undefined, 1])
      expect(() => api.createSigner({ keyring: { active, keys: { K1: rsa } } as never })).toThrow(
        coded('ERR_UNKNOWN_KEY_PAIR_ID'),
      );
    expect(() =>
      api.createSigner({
        keyring: { active: 'K1', keys: { K1: { privateKey: rsa, passphrase: 7 as never } } },
      }),
    ).toThrow(coded('ERR_KEY_PASSPHRASE'));
    expect(() => api.createSigner({ keyring: { active: 'K-1', keys: { 'K-1': rsa } } })).toThrow(
      coded('ERR_INVALID_KEY_PAIR_ID'),
    );
    const signer = api.createSigner({ keyring: { active: 'K2', keys: { K1: rsa, K2: { privateKey: ec } } } });
    expect([signer.keyPairId, signer.keyType]).toEqual(['K2', 'ec']);
    signer.useKey('K1');
    expect([signer.keyPairId, signer.keyType]).toEqual(['K1', 'rsa']);
  });

  test('a sign callback: a function, with keyType "rsa", "ec" or undeclared', () => {
    expect(() => api.createSigner({ keyPairId: KEY_ID, sign: 'kms' as never })).toThrow(
      coded('ERR_INVALID_ARGUMENT'),
    );
    expect(() => api.createSigner({ keyPairId: KEY_ID, sign, keyType: 'dsa' as never })).toThrow(
      coded('ERR_INVALID_ARGUMENT'),
    );
    expect(api.createSigner({ keyPairId: KEY_ID, sign, keyType: 'rsa' }).keyType).toBe('rsa');
    expect(api.createSigner({ keyPairId: KEY_ID, sign }).keyType).toBeNull();
  });

  test('the callback gets bytes of its own: their buffer holds the policy and nothing else', async () => {
    const held: Uint8Array[] = [];
    const signer = api.createSigner({
      keyPairId: KEY_ID,
      cache: false,
      sign: async (data) => {
        held.push(data);
        return nodeSign('sha256', data, createPrivateKey(rsa));
      },
    });
    const o = { expiresIn: 600, ipAddress: '192.0.2.1', now: NOW };
    await signer.signUrl(`${CDN}/first.jpg`, o);
    await signer.signUrl(`${CDN}/second.jpg`, o);
    for (const data of held) {
      // An SDK that sends `data.buffer` (as some KMS clients do) must send the policy alone.
      expect(data.byteOffset).toBe(0);
      expect(data.buffer.byteLength).toBe(data.byteLength);
    }
    expect(new TextDecoder().decode(new Uint8Array(held[0]!.buffer))).toContain(`${CDN}/first.jpg`);
  });

  test('the timeout of a callback that answered leaves no timer behind', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, sign, cache: false });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    for (let i = 0; i < 20; i++) await signer.signUrl(`${CDN}/${i}.jpg`, { expiresIn: 600, now: NOW });
    // Each call armed a 10 s timer; all are cleared (a margin for timers of the test runner itself).
    expect(timers() - before).toBeLessThan(10);
  });

  test('a callback resolving to an empty signature, or throwing, is ERR_SIGNER_FAILED', async () => {
    const empty = api.createSigner({ keyPairId: KEY_ID, sign: async () => new Uint8Array(0) });
    await expect(empty.signUrl(`${CDN}/a.jpg`, { expiresIn: 600, now: NOW })).rejects.toMatchObject({
      code: 'ERR_SIGNER_FAILED',
    });
    const throwing = api.createSigner({
      keyPairId: KEY_ID,
      sign: () => {
        throw new Error('HSM offline');
      },
    });
    await expect(throwing.signUrl(`${CDN}/a.jpg`, { expiresIn: 600, now: NOW })).rejects.toMatchObject({
      code: 'ERR_SIGNER_FAILED',
      cause: { message: 'HSM offline' },
    });
  });
});
