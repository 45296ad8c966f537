/**
 * The signer, public keys and rules the response-layer tests share: a key pair generated per run,
 * one distribution in front of the pages and the CDN (so host-only cookies of `/private/hls/**`
 * reach it), cookie mode for HLS and signed URLs for the rest of `/private/**`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSigner } from '@cfsign/core';

export const CDN = 'https://d111111abcdef8.cloudfront.net';

export const rules = {
  cdn: CDN,
  origins: ['https://www.example.com', CDN],
  rules: [
    { match: '/private/hls/**', mode: 'cookie' as const, authorize: 'any-viewer' as const },
    { match: '/private/**', expiresIn: '10m' },
  ],
};

/** A signer with a fresh key (`rsa`: deterministic signatures; `ec`: short ones) and its key group. */
export function keyPair(kind: 'rsa' | 'ec', keyPairId: string) {
  const pair =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = createSigner({
    keyPairId,
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  const keys = { [keyPairId]: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  return { signer, keys };
}
