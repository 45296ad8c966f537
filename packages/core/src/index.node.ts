/**
 * `@cfsign/core` on Node: the `node:crypto` backend (encrypted keys, `KeyObject`, sync signing).
 * Also the `node` export condition of `@cfsign/core`.
 * @module
 */
import { bindBackend } from './backend-api.js';
import { nodeBackend } from './crypto/node.js';

export * from './backend-neutral.js';
export { nodeBackend };

const api = bindBackend(nodeBackend);
export const {
  createSigner,
  getSignedUrl,
  getSignedCookies,
  createKeyGroup,
  verifyRequest,
  verifySignedUrl,
  verifySignedCookies,
} = api;
/** The name of the crypto backend this entry uses. */
export const backendName = 'node' as const;
