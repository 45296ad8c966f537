/**
 * `@cfsign/emulator`: a local CloudFront distribution for development and CI.
 * Exported from `'@cfsign/emulator'`.
 * @module
 */
export { createEmulator, type Emulator, type RunningEmulator } from './create-emulator.js';
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
