/**
 * Where signatures come from: one key, a keyring for rotation, or an async `sign` callback (KMS/HSM).
 * @module
 */

import { checkOneOf, isName, isOptions, show } from './args.js';
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

/** A name that quotes a bad key ID (`keys["..."]`) is not printed whole: the "ID" may be key text. */
function printable(name: string): string {
  const shown = isName(name) ? name : undefined;
  return shown ?? `${name.slice(0, name.indexOf('['))}[...]`;
}

/** Validates a key pair id (letters and digits only; lengths are not hard-coded). */
export function checkKeyPairId(id: unknown, name = 'keyPairId'): string {
  if (typeof id !== 'string' || !KEY_ID.test(id))
    throw new CfsignError(
      'ERR_INVALID_KEY_PAIR_ID',
      `"${printable(name)}" must be a string of letters and digits (the ID of the public key in the CloudFront key group, such as "K2JCJMDEHXQW5F"); got ${typeof id === 'string' ? `a ${id.length}-character string` : show(id)}.`,
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
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `Pass exactly one of "privateKey" (with "keyPairId"), "keyring" or "sign" (with "keyPairId"); got ${sources === 0 ? 'none' : sources}.`,
    );
  checkPassphrase(o.passphrase, 'passphrase');
  if (o.keyring !== undefined) {
    const ring = o.keyring as unknown;
    if (!isOptions(ring) || !isOptions(ring.keys) || Object.keys(ring.keys).length === 0)
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        '"keyring" must be { active: "K1", keys: { K1: privateKeyPem, ... } } with at least one key.',
      );
    for (const [id, entry] of Object.entries(ring.keys)) {
      const nested = isOptions(entry) && 'privateKey' in entry;
      const key = nested ? entry.privateKey : entry;
      const pass = nested ? checkPassphrase(entry.passphrase, `keyring.keys["${id}"].passphrase`) : undefined;
      const keyPairId = checkKeyPairId(id, `keyring.keys["${id}"]`);
      const handle = backend.importPrivateKey(key, pass);
      keys.set(keyPairId, { keyPairId, type: handle.type, handle });
    }
    if (typeof ring.active !== 'string' || !keys.has(ring.active))
      throw new CfsignError(
        'ERR_UNKNOWN_KEY_PAIR_ID',
        `"keyring.active" names a key that is not in "keyring.keys"; add it or pick one of: ${[...keys.keys()].join(', ')}.`,
      );
    return keys;
  }
  const id = checkKeyPairId(o.keyPairId);
  if (o.sign !== undefined) {
    if (typeof o.sign !== 'function')
      throw new CfsignError(
        'ERR_INVALID_ARGUMENT',
        `"sign" must be a function (data, hash) => Promise<Uint8Array>; got ${show(o.sign)}.`,
      );
    const keyType = checkOneOf(o.keyType, ['rsa', 'ec'] as const, 'keyType');
    const cb = o.sign;
    const handle: PrivateKeyHandle = {
      type: keyType ?? 'rsa',
      async sign(data, hash) {
        // A copy: the policy bytes may be a view of the core's shared slab.
        return cb(data.slice(), hash);
      },
    };
    keys.set(id, { keyPairId: id, type: keyType ?? null, handle });
    return keys;
  }
  const handle = backend.importPrivateKey(o.privateKey, o.passphrase);
  keys.set(id, { keyPairId: id, type: handle.type, handle });
  return keys;
}

function checkPassphrase(value: unknown, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new CfsignError('ERR_KEY_PASSPHRASE', `"${name}" must be a string; got ${show(value)}.`);
}

/**
 * Runs a signature, turning failures into coded errors that carry no key material. A key held in
 * this process signs without the timeout race (a timer per call costs more than an ECDSA signature);
 * an external `sign` callback (KMS/HSM) gets `timeoutMs`.
 */
export function signWith(
  key: ActiveKey,
  data: Uint8Array,
  hash: HashAlgorithm,
  timeoutMs: number,
): Promise<Uint8Array> {
  const handle = key.handle;
  if (handle.signSync) {
    try {
      return Promise.resolve(handle.signSync(data, hash));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return handle.local ? handle.sign(data, hash) : signExternal(key, data, hash, timeoutMs);
}

async function signExternal(
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
