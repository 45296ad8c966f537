/**
 * Trusted key groups for the verifier: key id → public key, imported once.
 * @module
 */
import type { CryptoBackend, PublicKeyHandle } from '../crypto/types.js';
import { checkKeyPairId } from '../key-source.js';

/** A public key: SPKI PEM text, a `KeyObject` (Node) or a `CryptoKey`. */
export type PublicKeyInput = string | object;

/** Imported public keys by key id. Created by `createKeyGroup`. */
export interface KeyGroup {
  readonly ids: readonly string[];
  get(keyPairId: string): PublicKeyHandle | undefined;
}

const brand = Symbol.for('cfsign.keyGroup');
const imported = new WeakMap<object, KeyGroup>();

/** Imports every key of a group once. */
export function createKeyGroupWith(backend: CryptoBackend, keys: Record<string, PublicKeyInput>): KeyGroup {
  if (typeof keys !== 'object' || keys === null)
    throw new TypeError('"keys" must map key ids to public keys, such as { K2JCJMDEHXQW5F: publicKeyPem }.');
  const map = new Map<string, PublicKeyHandle>();
  for (const [id, key] of Object.entries(keys))
    map.set(checkKeyPairId(id, `keys["${id}"]`), backend.importPublicKey(key));
  const group = { ids: [...map.keys()], get: (id: string) => map.get(id), [brand]: true };
  return Object.freeze(group);
}

/** Accepts a ready group or a plain record (imported once per record object). */
export function toKeyGroup(
  backend: CryptoBackend,
  keys: KeyGroup | Record<string, PublicKeyInput>,
): KeyGroup {
  if ((keys as Record<symbol, unknown>)[brand]) return keys as KeyGroup;
  let group = imported.get(keys);
  if (!group) {
    group = createKeyGroupWith(backend, keys as Record<string, PublicKeyInput>);
    imported.set(keys, group);
  }
  return group;
}
