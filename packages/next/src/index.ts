/**
 * `@cfsign/next`: CloudFront signed media for the Next.js App Router, in server components, route
 * handlers and server actions, on the Node and the edge runtime. Server-only: importing it from a
 * client component fails the build.
 * @module
 */
import 'server-only';

export { untrustedHtml } from '@cfsign/response';
export { configureSigning, getSigning, type ResolvedSigning, type SigningConfig } from './config.js';
export { ensureDynamic } from './dynamic.js';
export { cdnOrigin, ENV_NAMES, type EnvSettings, normalizePem, signingSettingsFromEnv } from './env.js';
export { getSignedImageProps, type SignedImageProps, widthParamLoader } from './image-props.js';
export { createMediaRedirect, type MediaRedirectOptions } from './media-redirect.js';
export { signJsonLinks } from './rewrite-json.js';
export { type LinkSkipResponseReason, type SignLinksDecision, shouldSignLinks } from './should-sign-links.js';
export { type SignOptions, signUrl } from './sign-url.js';
export { type SignedCookieOptions, setSignedCookies, signedCookieHeaders } from './signed-cookies.js';
export { SignedImage } from './signed-image.js';
export { SignedSource, type SignedSourceProps, SignedVideo, type SignedVideoProps } from './signed-video.js';
export { type WithSignedLinksOptions, withSignedLinks } from './with-signed-links.js';
