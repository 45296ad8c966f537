/**
 * The WebCrypto entry inside a sandbox whose `crypto` comes from another realm, as in the Next.js
 * edge runtime under `next start`: buffers made by the core must still be accepted by WebCrypto,
 * and a `CryptoKey` from the host realm must be recognised.
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';

type Api = typeof import('../../packages/core/src/index.web.js');
let api: Api;

beforeAll(async () => {
  const entry = fileURLToPath(new URL('../../packages/core/src/index.web.ts', import.meta.url));
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName: 'cfsign',
    platform: 'neutral',
    write: false,
  });
  const context = vm.createContext({
    crypto: globalThis.crypto,
    TextEncoder,
    TextDecoder,
    URL,
    atob,
    btoa,
    setTimeout,
    clearTimeout,
  });
  vm.runInContext(out.outputFiles[0]!.text, context);
  api = context.cfsign as Api;
  expect(vm.runInContext('typeof process', context)).toBe('undefined');
  expect(vm.runInContext('new Uint8Array(1).buffer instanceof ArrayBuffer', context)).toBe(true);
  // the sandbox's ArrayBuffer is not the host's: this is what broke WebCrypto calls before
  expect(vm.runInContext('ArrayBuffer', context)).not.toBe(ArrayBuffer);
});

const fromCf = (s: string) =>
  Buffer.from(s.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');

describe('WebCrypto core in a foreign-realm sandbox', () => {
  test.each([
    ['RSA PKCS#1', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'pkcs1', 'sha1'],
    ['RSA PKCS#8', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'pkcs8', 'sha1'],
    ['EC SEC1', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'sec1', 'sha256'],
  ] as const)('%s PEM signs, and the signature verifies with node:crypto', async (_t, make, type, hash) => {
    const pair = make();
    const pem = pair.privateKey.export({ type: type as 'pkcs8', format: 'pem' }) as string;
    const signer = api.createSigner({ keyPairId: 'KSANDBOX1', privateKey: pem });
    const url = await signer.signUrl('https://cdn.example.com/a.jpg', {
      dateLessThan: '2030-01-01T00:00:00Z',
      now: Date.UTC(2026, 0, 1),
    });
    const policy =
      '{"Statement":[{"Resource":"https://cdn.example.com/a.jpg","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}';
    const sig = fromCf(/Signature=([^&]+)/.exec(url)![1]!);
    expect(verify(hash, Buffer.from(policy), createPublicKey(pair.privateKey), sig)).toBe(true);
    const verdict = await api.verifySignedUrl(url, {
      keys: { KSANDBOX1: createPublicKey(pair.privateKey).export({ type: 'spki', format: 'pem' }) as string },
      now: Date.UTC(2026, 0, 1),
    });
    expect(verdict.ok).toBe(true);
  });

  test('a CryptoKey made in the host realm is accepted', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const signer = api.createSigner({ keyPairId: 'KSANDBOX1', privateKey: pair.privateKey });
    const url = await signer.signUrl('https://cdn.example.com/b.jpg', { expiresIn: '1h' });
    expect((await api.verifySignedUrl(url, { keys: { KSANDBOX1: pair.publicKey } })).ok).toBe(true);
  });
});
