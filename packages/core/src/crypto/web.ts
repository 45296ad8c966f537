/**
 * The WebCrypto backend (Next.js edge, Workers, Deno, Bun, browsers): `crypto.subtle` only.
 * PKCS#1 and SEC1 keys are re-wrapped as PKCS#8 before import; ECDSA `r‖s` becomes DER.
 * @module
 */
import { show } from '../args.js';
import { CfsignError } from '../errors.js';
import { privateKeyInfo, publicKeyInfo } from '../keys/key-info.js';
import { derToRaw, rawToDer } from './ecdsa-der.js';
import type { CryptoBackend, HashAlgorithm, KeyType, PrivateKeyHandle, PublicKeyHandle } from './types.js';

const WEB_HASH = { SHA1: 'SHA-1', SHA256: 'SHA-256' } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s)
    throw new CfsignError(
      'ERR_SIGNER_FAILED',
      'WebCrypto (`crypto.subtle`) is not available in this runtime; use `@cfsign/core/node` on Node.',
    );
  return s;
}

/**
 * WebCrypto takes the bytes as a view, never as an `ArrayBuffer`: sandboxes such as the Next.js edge
 * runtime hand out a `crypto` from another realm, whose `instanceof ArrayBuffer` check fails for
 * buffers made here, while views pass everywhere.
 */
function view(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

/** A `CryptoKey`, also one from another realm (duck-typed: `instanceof` fails across realms). */
function isCryptoKey(input: unknown): input is CryptoKey {
  if (typeof CryptoKey === 'function' && input instanceof CryptoKey) return true;
  const k = input as { algorithm?: unknown; type?: unknown; usages?: unknown } | null;
  return (
    typeof k === 'object' &&
    k !== null &&
    typeof k.algorithm === 'object' &&
    k.algorithm !== null &&
    typeof k.type === 'string' &&
    Array.isArray(k.usages)
  );
}

function cryptoKeyType(key: CryptoKey): KeyType {
  const alg = key.algorithm as { name: string; namedCurve?: string; modulusLength?: number };
  if (alg.name === 'RSASSA-PKCS1-v1_5') {
    if (alg.modulusLength !== 2048)
      throw new CfsignError('ERR_UNSUPPORTED_KEY_TYPE', 'CloudFront key groups accept RSA-2048 only.');
    return 'rsa';
  }
  if (alg.name === 'ECDSA') {
    if (alg.namedCurve !== 'P-256')
      throw new CfsignError('ERR_UNSUPPORTED_KEY_TYPE', 'CloudFront accepts ECDSA P-256 only.');
    return 'ec';
  }
  throw new CfsignError(
    'ERR_UNSUPPORTED_KEY_TYPE',
    `A CryptoKey for ${alg.name} cannot sign for CloudFront; use RSASSA-PKCS1-v1_5 (2048) or ECDSA P-256.`,
  );
}

/**
 * RSASSA keys are bound to one hash in WebCrypto, so each hash gets its own imported key.
 * A caller-supplied CryptoKey is used for the hash it was imported with only.
 */
async function importFor(
  der: Uint8Array,
  type: KeyType,
  hash: HashAlgorithm,
  usage: 'sign' | 'verify',
): Promise<CryptoKey> {
  const format = usage === 'sign' ? 'pkcs8' : 'spki';
  const algorithm =
    type === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: WEB_HASH[hash] }
      : { name: 'ECDSA', namedCurve: 'P-256' };
  // Outside the `try`: a runtime without WebCrypto is reported as such, not as a key it cannot import.
  const s = subtle();
  try {
    return await s.importKey(format, view(der), algorithm, false, [usage]);
  } catch (err) {
    // Blame SHA-1 only when the same key imports fine for SHA-256.
    const sha256Works =
      hash === 'SHA1' &&
      type === 'rsa' &&
      (await importFor(der, type, 'SHA256', usage).then(
        () => true,
        () => false,
      ));
    if (sha256Works)
      throw new CfsignError(
        'ERR_HASH_UNAVAILABLE',
        'This runtime refuses RSA with SHA-1; use hashAlgorithm: "SHA256", which CloudFront accepts.',
        { cause: err },
      );
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_FORMAT',
      `WebCrypto could not import the key (${(err as Error)?.name ?? 'Error'}); check that it is an unencrypted RSA-2048 or P-256 key.`,
      { cause: err },
    );
  }
}

/**
 * The imported `CryptoKey` per hash: `now(hash)` once it is ready (so a call signs without waiting
 * a turn for a settled promise), `get(hash)` to import it first.
 */
interface KeySlot {
  now(hash: HashAlgorithm): CryptoKey | undefined;
  get(hash: HashAlgorithm): Promise<CryptoKey>;
}

function keyCache(
  der: Uint8Array | null,
  fixed: CryptoKey | null,
  type: KeyType,
  usage: 'sign' | 'verify',
): KeySlot {
  const cache = new Map<HashAlgorithm, Promise<CryptoKey>>();
  const ready = new Map<HashAlgorithm, CryptoKey>();
  const get = (hash: HashAlgorithm): Promise<CryptoKey> => {
    if (fixed) {
      const keyHash = (fixed.algorithm as { hash?: { name: string } }).hash?.name;
      if (type === 'rsa' && keyHash !== WEB_HASH[hash])
        return Promise.reject(
          new CfsignError(
            'ERR_HASH_UNAVAILABLE',
            `The RSA CryptoKey was imported for ${keyHash}; import it for ${WEB_HASH[hash]} or set hashAlgorithm to match.`,
          ),
        );
      return Promise.resolve(fixed);
    }
    let p = cache.get(hash);
    if (!p) {
      p = importFor(der!, type, hash, usage);
      p.then(
        (key) => ready.set(hash, key),
        () => cache.delete(hash),
      );
      cache.set(hash, p);
    }
    return p;
  };
  return { now: (hash) => ready.get(hash), get };
}

function signAlgorithm(type: KeyType, hash: HashAlgorithm) {
  return type === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: WEB_HASH[hash] };
}

/**
 * The WebCrypto backend.
 *
 * @example
 * ```ts
 * import { webBackend } from '@cfsign/core/web';
 * const key = await webBackend.importPrivateKey(pem);
 * ```
 */
export const webBackend: CryptoBackend = {
  name: 'webcrypto',
  importPrivateKey(input, passphrase): PrivateKeyHandle {
    let keys: KeySlot;
    let type: KeyType;
    if (isCryptoKey(input)) {
      if (input.type !== 'private')
        throw new CfsignError(
          'ERR_UNSUPPORTED_KEY_FORMAT',
          'The CryptoKey is a public key; signing needs the private key (the public key goes into the CloudFront key group).',
        );
      if (!input.usages.includes('sign'))
        throw new CfsignError(
          'ERR_UNSUPPORTED_KEY_FORMAT',
          'The CryptoKey was imported without the "sign" usage; import it with usages ["sign"].',
        );
      type = cryptoKeyType(input);
      keys = keyCache(null, input, type, 'sign');
    } else if (typeof input === 'string' || input instanceof Uint8Array) {
      if (passphrase)
        throw new CfsignError(
          'ERR_KEY_PASSPHRASE',
          'Encrypted keys need Node (`@cfsign/core/node`); decrypt it once with `openssl pkcs8 -topk8 -nocrypt`.',
        );
      const info = privateKeyInfo(typeof input === 'string' ? input : new TextDecoder().decode(input));
      type = info.type;
      keys = keyCache(info.der, null, type, 'sign');
    } else {
      throw new CfsignError(
        'ERR_UNSUPPORTED_KEY_FORMAT',
        `"privateKey" must be a PEM string or a CryptoKey in WebCrypto runtimes; got ${show(input)}.`,
      );
    }
    const algorithms = { SHA1: signAlgorithm(type, 'SHA1'), SHA256: signAlgorithm(type, 'SHA256') };
    return {
      type,
      local: true,
      sign(data, hash) {
        const signNow = (key: CryptoKey): Promise<Uint8Array> =>
          subtle()
            .sign(algorithms[hash], key, view(data))
            .then(
              (sig) => (type === 'ec' ? rawToDer(new Uint8Array(sig)) : new Uint8Array(sig)),
              (err: unknown) => {
                throw new CfsignError(
                  'ERR_SIGNER_FAILED',
                  'WebCrypto could not sign with the key; see "cause".',
                  {
                    cause: err,
                  },
                );
              },
            );
        try {
          const key = keys.now(hash);
          return key !== undefined ? signNow(key) : keys.get(hash).then(signNow);
        } catch (err) {
          return Promise.reject(
            new CfsignError('ERR_SIGNER_FAILED', 'WebCrypto could not sign with the key; see "cause".', {
              cause: err,
            }),
          );
        }
      },
    };
  },
  importPublicKey(input): PublicKeyHandle {
    let keys: KeySlot;
    let type: KeyType;
    if (isCryptoKey(input)) {
      type = cryptoKeyType(input);
      keys = keyCache(null, input, type, 'verify');
    } else if (typeof input === 'string') {
      const info = publicKeyInfo(input);
      type = info.type;
      keys = keyCache(info.der, null, type, 'verify');
    } else {
      throw new CfsignError(
        'ERR_UNSUPPORTED_KEY_FORMAT',
        `A public key must be a PEM string or a CryptoKey in WebCrypto runtimes; got ${show(input)}.`,
      );
    }
    return {
      type,
      verify(data, signature, hash) {
        const sig = type === 'ec' ? derToRaw(signature) : signature;
        if (!sig) return Promise.resolve(false);
        const verifyNow = (key: CryptoKey): Promise<boolean> =>
          subtle().verify(signAlgorithm(type, hash), key, view(sig), view(data));
        try {
          const key = keys.now(hash);
          return (key !== undefined ? verifyNow(key) : keys.get(hash).then(verifyNow)).catch(() => false);
        } catch {
          return Promise.resolve(false);
        }
      },
    };
  },
};
