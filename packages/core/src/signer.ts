/**
 * `createSigner`: parse the key once, then sign URLs, policies and cookies fast. Each operation lives
 * in its own file under `sign/`, over the shared {@link SignerContext}.
 * @module
 */
import { show } from './args.js';
import { clearCookies } from './cookies.js';
import type { CryptoBackend } from './crypto/types.js';
import { CfsignError, unreadable } from './errors.js';
import { signWith } from './key-source.js';
import { createContext, defaultHash } from './sign/context.js';
import { signCookies } from './sign/cookies.js';
import { signPolicy } from './sign/policy.js';
import { finishUrl, policyBytes, prepareUrl } from './sign/url.js';
import type { Signer, SignerOptions } from './signer-types.js';

/** Builds a {@link Signer} on a crypto backend; `@cfsign/core` binds the right one for the runtime. */
export function createSignerWith(backend: CryptoBackend, options: SignerOptions): Signer {
  const ctx = createContext(backend, options);
  const signer: Signer = {
    get keyPairId() {
      return ctx.active.keyPairId;
    },
    get keyType() {
      return ctx.active.type;
    },
    get hashAlgorithm() {
      return defaultHash(ctx);
    },
    get canSignSync() {
      return ctx.active.handle.signSync !== undefined;
    },
    signUrl(url, o) {
      // Not `async`: a local key signs synchronously, so the result is settled without extra hops.
      try {
        const p = prepareUrl(ctx, url, o);
        if (typeof p === 'string') return Promise.resolve(p);
        const key = ctx.active;
        if (key.handle.signSync)
          return Promise.resolve(
            finishUrl(ctx, p, key.handle.signSync(policyBytes(p, true), p.hash), key.keyPairId),
          );
        return signWith(key, policyBytes(p, false), p.hash, ctx.timeoutMs).then((sig) =>
          finishUrl(ctx, p, sig, key.keyPairId),
        );
      } catch (err) {
        return Promise.reject(unreadable(err, 'signUrl'));
      }
    },
    signUrlSync(url, o) {
      const signSync = ctx.active.handle.signSync;
      if (!signSync)
        throw new CfsignError(
          'ERR_SYNC_UNAVAILABLE',
          'Synchronous signing needs a local key on Node (`@cfsign/core/node`); use `await signer.signUrl()`.',
        );
      try {
        const p = prepareUrl(ctx, url, o);
        return typeof p === 'string'
          ? p
          : finishUrl(ctx, p, signSync(policyBytes(p, true), p.hash), ctx.active.keyPairId);
      } catch (err) {
        throw unreadable(err, 'signUrlSync');
      }
    },
    signPolicy: (o) => signPolicy(ctx, o).catch((err) => Promise.reject(unreadable(err, 'signPolicy'))),
    signCookies: (resource, o) =>
      signCookies(ctx, resource, o).catch((err) => Promise.reject(unreadable(err, 'signCookies'))),
    clearCookies(attributes) {
      try {
        return clearCookies(attributes);
      } catch (err) {
        throw unreadable(err, 'clearCookies');
      }
    },
    cacheStats: () =>
      ctx.cache
        ? {
            size: ctx.cache.size,
            maxEntries: ctx.cache.maxEntries,
            hits: ctx.cache.hits,
            misses: ctx.cache.misses,
          }
        : null,
    useKey(keyPairId) {
      const next = typeof keyPairId === 'string' ? ctx.keys.get(keyPairId) : undefined;
      if (!next)
        throw new CfsignError(
          'ERR_UNKNOWN_KEY_PAIR_ID',
          `Key ${show(keyPairId)} is not in the keyring; add it to "keyring.keys" first.`,
        );
      ctx.active = next;
      ctx.cache?.clear();
    },
  };
  const describe = () =>
    `Signer { keyPairId: '${ctx.active.keyPairId}', keyType: '${ctx.active.type ?? 'external'}', hashAlgorithm: '${defaultHash(ctx)}', backend: '${backend.name}' }`;
  Object.defineProperty(signer, Symbol.for('nodejs.util.inspect.custom'), { value: describe });
  Object.defineProperty(signer, 'toJSON', {
    value: () => ({
      keyPairId: ctx.active.keyPairId,
      keyType: ctx.active.type,
      hashAlgorithm: defaultHash(ctx),
    }),
  });
  Object.defineProperty(signer, 'toString', { value: describe });
  return Object.freeze(signer);
}
