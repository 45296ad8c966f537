/**
 * Everything of `@cfsign/core` that does not depend on the crypto backend: the building blocks,
 * the error class, and the types. `index.node.ts` and `index.web.ts` re-export it all.
 * @module
 */

export type { GetSignedOptions } from './backend-api.js';
export {
  appendSignedQuery,
  type CanonicalizeOptions,
  type CanonicalUrl,
  canonicalizeUrl,
  SIGNING_PARAMS,
} from './canonical-url.js';
export {
  COOKIE_NAMES,
  type Cookie,
  type CookieAttributes,
  clearCookies,
  cookiePathFor,
  serializeCookie,
} from './cookies.js';
export { derToRaw, rawToDer } from './crypto/ecdsa-der.js';
export type {
  CryptoBackend,
  HashAlgorithm,
  KeyType,
  PrivateKeyHandle,
  PublicKeyHandle,
} from './crypto/types.js';
export { cfBase64Decode, cfBase64Encode } from './encoding.js';
export { CfsignError, type CfsignErrorCode, isCfsignError } from './errors.js';
export { ipInRange, normalizeIpRange } from './ip.js';
export type { Keyring, PrivateKeyInput, SignCallback } from './key-source.js';
export {
  checkOriginSecret,
  createOriginSecretCheck,
  type OriginGuardHeaders,
  type OriginSecretCheck,
  type OriginSecretOptions,
} from './origin-guard.js';
export { cannedPolicy, customPolicy, type PolicyConditions, parsePolicy } from './policy.js';
export type {
  SignCookiesOptions,
  SignedCookies,
  SignedPolicy,
  Signer,
  SignerOptions,
  SignPolicyOptions,
  SignUrlOptions,
} from './signer-types.js';
export { type DateInput, type Duration, parseDuration, toEpochSeconds } from './time.js';
export type { KeyGroup, PublicKeyInput } from './verify/key-group.js';
export { paramsFromCookies, paramsFromUrl, stripSigningParams } from './verify/read-params.js';
export type { SignedParams } from './verify/signed-params.js';
export type { DenyReason, EdgeError, Verdict, VerifyOptions } from './verify/verify.js';
export { matchWildcard } from './wildcard.js';
