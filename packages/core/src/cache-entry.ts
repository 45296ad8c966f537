/**
 * What the signer's cache keeps per link: the signed URL and everything that shaped it.
 * @module
 */
import type { HashAlgorithm } from './crypto/types.js';

/** A cached signed URL (or policy signature) and everything that shaped it. */
export interface CacheEntry {
  out: string;
  keyPairId: string;
  hash: HashAlgorithm;
  expires: number;
  start?: number | undefined;
  ipAddress?: string | undefined;
  resource?: string | undefined;
  base?: string | undefined;
  verbatim?: boolean | undefined;
  reservedParams?: string | undefined;
  /** The link's bucket phase (see `bucketPhase`), kept so that a hit does not hash the URL again. */
  phase?: number | undefined;
}

/** True when two entries were made with the same key, hash, times, IP, resource and URL options. */
export function sameShape(a: CacheEntry, b: CacheEntry): boolean {
  return (
    a.expires === b.expires &&
    a.keyPairId === b.keyPairId &&
    a.hash === b.hash &&
    a.start === b.start &&
    a.ipAddress === b.ipAddress &&
    a.resource === b.resource &&
    a.base === b.base &&
    a.verbatim === b.verbatim &&
    a.reservedParams === b.reservedParams
  );
}
