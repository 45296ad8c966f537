/**
 * `@cfsign/next`: CloudFront signed media for the Next.js App Router, in server components, route
 * handlers and server actions, on the Node and the edge runtime. Server-only: importing it from a
 * client component fails the build. Configure once with `cfsign({...})` in a config module and
 * import the helpers it returns; the helpers exported here read the environment only.
 * @module
 */
import 'server-only';
import { envHelpers } from './unbound.js';

export { untrustedHtml } from '@cfsign/response';
export { type CfsignHelpers, cfsign } from './cfsign.js';
export type { ResolvedSigning, SigningConfig } from './config.js';
export { ensureDynamic } from './dynamic.js';
export { cdnOrigin, ENV_NAMES, type EnvSettings, normalizePem, signingSettingsFromEnv } from './env.js';
export { type SignedImageProps, widthParamLoader } from './image-props.js';
export type { MediaRedirectOptions } from './media-redirect.js';
export { signJsonLinks } from './rewrite-json.js';
export { type LinkSkipResponseReason, type SignLinksDecision, shouldSignLinks } from './should-sign-links.js';
export type { SignOptions } from './sign-url.js';
export type { SignedCookieOptions } from './signed-cookies.js';
export type { SignedSourceProps, SignedVideoProps } from './signed-video.js';
export type { WithSignedLinksOptions } from './with-signed-links.js';

/** Env-only helpers (see `cfsign` for the config-module way): they need `CLOUDFRONT_RULES`. */
export const {
  signUrl,
  getSignedImageProps,
  SignedImage,
  SignedVideo,
  SignedSource,
  mediaRedirect,
  withSignedLinks,
  setSignedCookies,
  signedCookieHeaders,
  getSigning,
} = envHelpers;
