/**
 * Trusted key groups for the verifier: key id → public key, imported once.
 * @module
 */
import { isOptions, show } from '../args.js';
import type { CryptoBackend, PublicKeyHandle } from '../crypto/types.js';
import { CfsignError } from '../errors.js';
import { checkKeyPairId } from '../key-source.js';

/** A public key: SPKI PEM text, a `KeyObject` (Node) or a `CryptoKey`. */
export type PublicKeyInput = string | object;

/** Imported public keys by key id. Created by `createKeyGroup`. */
export interface KeyGroup {
  readonly ids: readonly string[];
  get(keyPairId: string): PublicKeyHandle | undefined;
}

const brand = Symbol.for('cfsign.keyGroup');
/** A plain record's imported group, with the entries it was imported from. */
const imported = new WeakMap<object, { group: KeyGroup; entries: Map<string, unknown> }>();

/** True while `keys` holds exactly the entries it was imported with (a deleted key must stop working). */
function unchanged(keys: Record<string, unknown>, entries: Map<string, unknown>): boolean {
  let n = 0;
  for (const id in keys) {
    if (entries.get(id) !== keys[id]) return false;
    n++;
  }
  return n === entries.size;
}

/** Imports every key of a group once. */
export function createKeyGroupWith(backend: CryptoBackend, keys: Record<string, PublicKeyInput>): KeyGroup {
  if (!isOptions(keys))
    throw new CfsignError(
      'ERR_INVALID_ARGUMENT',
      `"keys" must map key ids to public keys, such as { K2JCJMDEHXQW5F: publicKeyPem }; got ${show(keys)}.`,
    );
  const map = new Map<string, PublicKeyHandle>();
  for (const [id, key] of Object.entries(keys))
    map.set(checkKeyPairId(id, `keys["${id}"]`), backend.importPublicKey(key));
  const group = {
    ids: [...map.keys()],
    get: (id: string) => (typeof id === 'string' ? map.get(id) : undefined),
    [brand]: true,
  };
  return Object.freeze(group);
}

/**
 * Accepts a ready group or a plain record. A record is imported once, and again whenever its entries
 * change: a key deleted from it (revoked) stops verifying on the next call, an added one starts.
 */
export function toKeyGroup(
  backend: CryptoBackend,
  keys: KeyGroup | Record<string, PublicKeyInput>,
): KeyGroup {
  if ((keys as Record<symbol, unknown>)[brand]) return keys as KeyGroup;
  const record = keys as Record<string, PublicKeyInput>;
  const known = imported.get(record);
  if (known && unchanged(record, known.entries)) return known.group;
  const group = createKeyGroupWith(backend, record);
  imported.set(record, { group, entries: new Map(Object.entries(record)) });
  return group;
}
