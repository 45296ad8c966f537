/**
 * Where signatures come from: one key, a keyring for rotation, or an async `sign` callback (KMS/HSM).
 * @module
 */
import type { CryptoBackend, HashAlgorithm, KeyType, PrivateKeyHandle } from './crypto/types.js';
import { CfsignError } from './errors.js';

/** A private key: PEM text, or a backend key object (`KeyObject` on Node, `CryptoKey` anywhere). */
export type PrivateKeyInput = string | Uint8Array | object;

/** An async signer for keys kept elsewhere (AWS KMS, an HSM). ECDSA results must be DER, as KMS returns. */
export type SignCallback = (data: Uint8Array, hash: HashAlgorithm) => Promise<Uint8Array> | Uint8Array;

/** A set of keys with the one currently used to sign. */
export interface Keyring {
  active: string;
  keys: Record<string, PrivateKeyInput | { privateKey: PrivateKeyInput; passphrase?: string }>;
}

/** One usable signing key. */
export interface ActiveKey {
  keyPairId: string;
  /** `null` for a callback whose key type is not declared. */
  type: KeyType | null;
  handle: PrivateKeyHandle;
}

const KEY_ID = /^[A-Za-z0-9]+$/;

/** Validates a key pair id (letters and digits only; lengths are not hard-coded). */
export function checkKeyPairId(id: unknown, name = 'keyPairId'): string {
  if (typeof id !== 'string') throw new TypeError(`"${name}" must be a string such as "K2JCJMDEHXQW5F".`);
  if (!KEY_ID.test(id))
    throw new CfsignError(
      'ERR_INVALID_KEY_PAIR_ID',
      `"${name}" must hold only letters and digits (the ID of the public key in the CloudFront key group, such as "K2JCJMDEHXQW5F").`,
    );
  return id;
}

/** Builds the keys a signer may use, each parsed once. */
export function loadKeys(
  backend: CryptoBackend,
  o: {
    keyPairId?: string;
    privateKey?: PrivateKeyInput;
    passphrase?: string;
    keyring?: Keyring;
    sign?: SignCallback;
    keyType?: KeyType;
  },
): Map<string, ActiveKey> {
  const keys = new Map<string, ActiveKey>();
  const sources = [o.privateKey !== undefined, o.keyring !== undefined, o.sign !== undefined].filter(
    Boolean,
  ).length;
  if (sources !== 1)
    throw new TypeError(
      'Pass exactly one of "privateKey" (with "keyPairId"), "keyring" or "sign" (with "keyPairId").',
    );
  if (o.keyring) {
    const entries = Object.entries(o.keyring.keys ?? {});
    if (entries.length === 0) throw new TypeError('"keyring.keys" must hold at least one key.');
    for (const [id, entry] of entries) {
      const nested = typeof entry === 'object' && entry !== null && 'privateKey' in entry;
      const key = nested ? (entry as { privateKey: PrivateKeyInput }).privateKey : entry;
      const pass = nested ? (entry as { passphrase?: string }).passphrase : undefined;
      const handle = backend.importPrivateKey(key, pass);
      keys.set(checkKeyPairId(id, `keyring.keys["${id}"]`), { keyPairId: id, type: handle.type, handle });
    }
    if (!keys.has(o.keyring.active))
      throw new CfsignError(
        'ERR_UNKNOWN_KEY_PAIR_ID',
        `"keyring.active" names a key that is not in "keyring.keys"; add it or pick one of: ${[...keys.keys()].join(', ')}.`,
      );
    return keys;
  }
  const id = checkKeyPairId(o.keyPairId);
  if (o.sign) {
    if (typeof o.sign !== 'function')
      throw new TypeError('"sign" must be a function (data, hash) => Promise<Uint8Array>.');
    const cb = o.sign;
    const handle: PrivateKeyHandle = {
      type: o.keyType ?? 'rsa',
      async sign(data, hash) {
        return cb(data, hash);
      },
    };
    keys.set(id, { keyPairId: id, type: o.keyType ?? null, handle });
    return keys;
  }
  const handle = backend.importPrivateKey(o.privateKey, o.passphrase);
  keys.set(id, { keyPairId: id, type: handle.type, handle });
  return keys;
}

/** Runs a signature with a timeout, turning failures into coded errors that carry no key material. */
export async function signWith(
  key: ActiveKey,
  data: Uint8Array,
  hash: HashAlgorithm,
  timeoutMs: number,
): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = key.handle.sign(data, hash);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CfsignError(
              'ERR_SIGNER_FAILED',
              `Signing with key ${key.keyPairId} timed out after ${timeoutMs} ms; check the KMS/HSM connection or raise "signTimeout".`,
            ),
          ),
        timeoutMs,
      );
    });
    const sig = await Promise.race([result, timeout]);
    if (!(sig instanceof Uint8Array) || sig.length === 0)
      throw new CfsignError(
        'ERR_SIGNER_FAILED',
        `The "sign" callback for key ${key.keyPairId} must resolve to a non-empty Uint8Array (DER for ECDSA).`,
      );
    return sig;
  } catch (err) {
    if (err instanceof CfsignError) throw err;
    throw new CfsignError('ERR_SIGNER_FAILED', `Signing with key ${key.keyPairId} failed; see "cause".`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
}
