/**
 * `@cfsign/core` on Web-standard runtimes (Next.js edge, Workers, Deno, Bun, browsers): WebCrypto only.
 * @module
 */
import { bindBackend } from './backend-api.js';
import { webBackend } from './crypto/web.js';

export * from './backend-neutral.js';
export { webBackend };

const api = bindBackend(webBackend);
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
export const backendName = 'webcrypto' as const;
