/**
 * The `node:crypto` backend. Keys are parsed once into `KeyObject`s and sign synchronously.
 * Exported only through `@cfsign/core/node` (and the `node` export condition of `@cfsign/core`).
 * @module
 */
import { createPrivateKey, createPublicKey, createVerify, KeyObject, sign as nodeSign } from 'node:crypto';
import { show } from '../args.js';
import { CfsignError } from '../errors.js';
import { checkKey, findPrivateKeyBlock, privateKeyInfo, publicKeyInfo } from '../keys/key-info.js';
import type { CryptoBackend, HashAlgorithm, KeyType, PrivateKeyHandle, PublicKeyHandle } from './types.js';

const NODE_HASH = { SHA1: 'sha1', SHA256: 'sha256' } as const;

function keyType(key: KeyObject): KeyType {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    checkKey({ kind: 'private', type: 'rsa', bits: details.modulusLength ?? 0, der: new Uint8Array(0) });
    return 'rsa';
  }
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve !== 'prime256v1')
      throw new CfsignError(
        'ERR_UNSUPPORTED_KEY_TYPE',
        `The EC key is on ${details.namedCurve ?? 'an unknown curve'}; CloudFront accepts ECDSA P-256 (prime256v1) only.`,
      );
    return 'ec';
  }
  throw new CfsignError(
    'ERR_UNSUPPORTED_KEY_TYPE',
    `The key is ${key.asymmetricKeyType ?? 'not asymmetric'}; CloudFront key groups take RSA-2048 or ECDSA P-256 keys.`,
  );
}

/** A failed `crypto.sign`: blame SHA-1 only when the same key signs with SHA-256. */
function signError(err: unknown, hash: HashAlgorithm, key: KeyObject): never {
  let sha256Works = false;
  if (hash === 'SHA1')
    try {
      nodeSign('sha256', Uint8Array.of(0), key);
      sha256Works = true;
    } catch {}
  if (sha256Works)
    throw new CfsignError(
      'ERR_HASH_UNAVAILABLE',
      'SHA-1 signing is disabled on this platform (FIPS or hardened OpenSSL). Use hashAlgorithm: "SHA256", which CloudFront accepts.',
      { cause: err },
    );
  throw new CfsignError(
    'ERR_SIGNER_FAILED',
    'The key could not sign; check that it is a valid RSA-2048 or P-256 private key.',
    { cause: err },
  );
}

function notPrivate(what: string): never {
  throw new CfsignError(
    'ERR_UNSUPPORTED_KEY_FORMAT',
    `The ${what} is a public key; signing needs the private key (the public key goes into the CloudFront key group).`,
  );
}

function toKeyObject(input: unknown, passphrase?: string): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'private') notPrivate('KeyObject');
    return input;
  }
  if (typeof globalThis.CryptoKey === 'function' && input instanceof globalThis.CryptoKey) {
    if (input.type !== 'private') notPrivate('CryptoKey');
    return KeyObject.from(input);
  }
  if (typeof input !== 'string' && !(input instanceof Uint8Array))
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_FORMAT',
      `"privateKey" must be a PEM string, a Buffer with PEM text, a KeyObject or a CryptoKey; got ${show(input)}.`,
    );
  const pem = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const block = findPrivateKeyBlock(pem);
  if (block.label === 'ENCRYPTED PRIVATE KEY' || block.headers) {
    if (!passphrase)
      throw new CfsignError('ERR_KEY_PASSPHRASE', 'The private key is encrypted; pass its `passphrase`.');
    try {
      return createPrivateKey({ key: block.text, format: 'pem', passphrase });
    } catch (err) {
      throw new CfsignError(
        'ERR_KEY_PASSPHRASE',
        'The private key could not be decrypted: wrong passphrase or unsupported cipher.',
        { cause: err },
      );
    }
  }
  const info = privateKeyInfo(pem);
  try {
    return createPrivateKey({ key: Buffer.from(info.der), format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_FORMAT',
      'The private key could not be parsed; re-export it with `openssl pkcs8 -topk8 -nocrypt`.',
      { cause: err },
    );
  }
}

/** Keys already found whole: a `KeyObject` passed on every `getSignedUrl` call is checked once. */
const whole = new WeakSet<KeyObject>();

/**
 * Refuses a damaged key: one whose parts do not fit together (a changed character in a PEM file
 * still parses) signs without complaint, but no signature it makes verifies, so every link would
 * be refused. One signature and its check, once per key.
 */
function checkWhole(key: KeyObject): void {
  if (whole.has(key)) return;
  const probe = Uint8Array.of(0x63, 0x66, 0x73, 0x69, 0x67, 0x6e);
  let fits = false;
  try {
    fits = createVerify('sha256')
      .update(probe)
      .verify(createPublicKey(key), nodeSign('sha256', probe, key));
  } catch {}
  if (!fits)
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_FORMAT',
      'The private key is damaged: its parts do not fit together, so no signature made with it would verify (`openssl pkey -check` says the same). Export it again from where it was made.',
    );
  whole.add(key);
}

function privateHandle(key: KeyObject): PrivateKeyHandle {
  const type = keyType(key);
  checkWhole(key);
  const signSync = (data: Uint8Array, hash: HashAlgorithm): Uint8Array => {
    try {
      return nodeSign(NODE_HASH[hash], data, key);
    } catch (err) {
      signError(err, hash, key);
    }
  };
  return { type, signSync, sign: async (data, hash) => signSync(data, hash) };
}

function publicHandle(key: KeyObject): PublicKeyHandle {
  const type = keyType(key);
  const verifySync = (data: Uint8Array, signature: Uint8Array, hash: HashAlgorithm): boolean => {
    try {
      // The streaming verifier, not `crypto.verify`: the same OpenSSL check, measured side by side 1-2%
      // cheaper for RSA and 0.4-0.9% for ECDSA (the one-shot call builds a native job object per call;
      // bench/core.mjs shows both).
      return createVerify(NODE_HASH[hash]).update(data).verify(key, signature);
    } catch {
      return false;
    }
  };
  return { type, verifySync, verify: async (data, signature, hash) => verifySync(data, signature, hash) };
}

/**
 * The Node backend.
 *
 * @example
 * ```ts
 * import { nodeBackend } from '@cfsign/core/node';
 * const key = nodeBackend.importPrivateKey(readFileSync('key.pem', 'utf8'));
 * ```
 */
export const nodeBackend: CryptoBackend = {
  name: 'node',
  importPrivateKey: (input, passphrase) => privateHandle(toKeyObject(input, passphrase)),
  importPublicKey(input) {
    if (input instanceof KeyObject)
      return publicHandle(input.type === 'private' ? createPublicKey(input) : input);
    if (typeof globalThis.CryptoKey === 'function' && input instanceof globalThis.CryptoKey)
      return publicHandle(KeyObject.from(input));
    if (typeof input !== 'string')
      throw new CfsignError(
        'ERR_UNSUPPORTED_KEY_FORMAT',
        `A public key must be a PEM string, a KeyObject or a CryptoKey; got ${show(input)}.`,
      );
    const info = publicKeyInfo(input);
    return publicHandle(createPublicKey({ key: Buffer.from(info.der), format: 'der', type: 'spki' }));
  },
};
