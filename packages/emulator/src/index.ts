/**
 * `@cfsign/emulator`: a local CloudFront distribution for development and CI.
 * Exported from `'@cfsign/emulator'`.
 * @module
 */
export { type CheckOptions, checkDistribution } from './check/check-distribution.js';
export type { CheckResult, Finding, FindingCode } from './check/finding.js';
export { createEmulator, type Emulator, type RunningEmulator } from './create-emulator.js';
export {
  type LoadDistributionOptions,
  loadDistribution,
} from './distribution/load-distribution.js';
export { MANAGED_CACHE_POLICIES } from './distribution/managed-cache-policies.js';
export type {
  CacheKeyItems,
  Distribution,
  DistributionBehavior,
  DistributionCachePolicy,
  DistributionKeyGroup,
  DistributionOrigin,
  DistributionPublicKey,
} from './distribution/model.js';
export { parseDocument } from './distribution/parse-document.js';
export { readDistributionFiles } from './distribution/read-files.js';
export {
  type DistributionEmulatorOptions,
  emulatorConfigFromDistribution,
  type LocalOrigin,
} from './distribution/to-emulator-config.js';
export { createRequestHandler, type RequestHandler } from './handle-request.js';
export type {
  BehaviorConfig,
  Decision,
  DefaultBehaviorConfig,
  DirectoryOriginConfig,
  EmulatorConfig,
  EmulatorLogEntry,
  HttpOriginConfig,
  OriginConfig,
  TrustedKeyGroup,
} from './types.js';
