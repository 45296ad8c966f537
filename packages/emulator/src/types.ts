/**
 * Configuration and log types of the emulator.
 * @module
 */

import type { PublicKeyInput } from '@cfsign/core';
import type { ViewerOptions } from './viewer.js';

/**
 * One trusted key group: key ID → public key (SPKI PEM text, a Node `KeyObject` or a `CryptoKey`),
 * as uploaded to CloudFront. At most 5 keys per group.
 */
export type TrustedKeyGroup = Readonly<Record<string, PublicKeyInput>>;

/** A cache behavior: which requests it takes, who may read them, and where they go. */
export interface BehaviorConfig {
  /** CloudFront path pattern (`*`, `?`; case-sensitive), e.g. `/private/*`. */
  pathPattern: string;
  /** Trusted key groups (at most 4), or `'public'` for a behavior without restricted viewer access. */
  trustedKeyGroups: readonly TrustedKeyGroup[] | 'public';
  /** Name of an entry in {@link EmulatorConfig.origins}. */
  origin: string;
  /**
   * CloudFront's viewer protocol policy. When set to `redirect-to-https` (301) or `https-only` (403),
   * plain-HTTP requests are answered as CloudFront would. Absent: any protocol is served.
   */
  viewerProtocolPolicy?: 'allow-all' | 'https-only' | 'redirect-to-https';
}

/** The default behavior (path pattern `*`). */
export type DefaultBehaviorConfig = Omit<BehaviorConfig, 'pathPattern'>;

/** A local folder standing in for the private S3 bucket. */
export interface DirectoryOriginConfig {
  type: 'directory';
  /** Folder served as the bucket root. */
  root: string;
}

/** A custom origin (your app) the emulator proxies to. */
export interface HttpOriginConfig {
  type: 'http';
  /** Base URL, e.g. `http://127.0.0.1:3000`; a path works like CloudFront's origin path. */
  url: string;
  /** Origin custom headers added to every origin request, e.g. `{ 'x-origin-secret': secret }`. */
  customHeaders?: Readonly<Record<string, string>>;
  /** Origin response timeout in milliseconds (504 after it). Default 30 000. */
  timeoutMs?: number;
}

/** An origin of the emulated distribution. */
export type OriginConfig = DirectoryOriginConfig | HttpOriginConfig;

/** What {@link createEmulator} takes: a distribution in miniature. */
export interface EmulatorConfig extends ViewerOptions {
  /** Ordered cache behaviors; the first whose path pattern matches wins. */
  behaviors?: readonly BehaviorConfig[];
  /** The behavior for everything else. */
  defaultBehavior: DefaultBehaviorConfig;
  /** Origins by name. */
  origins: Readonly<Record<string, OriginConfig>>;
  /** Receives one entry per request when its response is done (errors it throws are ignored). Entries never contain signatures, policies, keys or cookies. */
  logger?: (entry: EmulatorLogEntry) => void;
  /** Clock in milliseconds used for expiry checks (tests). Default `Date.now`. */
  now?: () => number;
}

/** How the edge decided about a request. */
export type Decision = 'public' | 'allowed' | 'denied';

/** One structured log entry per request. */
export interface EmulatorLogEntry {
  method: string;
  /** Path and query as requested, signing params removed. */
  path: string;
  status: number;
  /** Path pattern of the matched behavior (`*` for the default one); absent for malformed requests. */
  behavior?: string;
  decision: Decision;
  /** Verifier reason for a refusal (`expired`, `bad-signature`, ...), or `bad-request`. */
  reason?: string;
  /** The verifier's explanation of a refusal in plain words (no signatures, keys or cookies). */
  detail?: string;
  /** Key ID that signed the request (public information). */
  keyPairId?: string;
  /** Where the signing values came from. */
  source?: 'url' | 'cookie' | 'none';
  /** The `X-Amz-Cf-Id` the viewer got, to correlate with responses. */
  requestId: string;
}
