/**
 * `cfsign({...})`: one configuration, and the helpers bound to it. Every route and component imports
 * the helpers from the app's config module, so using a helper implies its configuration: no import
 * order can leave the rules or `authorize` out.
 * @module
 */
import 'server-only';
import { checkConfig, type GetSigning, type SigningConfig, signingResolver } from './config.js';
import { createGetSignedImageProps, type GetSignedImageProps } from './image-props.js';
import { createMediaRedirect, type MediaRedirect } from './media-redirect.js';
import { createSignUrl, type SignUrl } from './sign-url.js';
import { createSignedCookies, type SignedCookieHelpers } from './signed-cookies.js';
import { createSignedImage, type SignedImageComponent } from './signed-image.js';
import { createSignedVideo, type SignedVideoComponents } from './signed-video.js';
import { createWithSignedLinks, type WithSignedLinks } from './with-signed-links.js';

/** The helpers of one configuration, as `cfsign({...})` returns them. */
export interface CfsignHelpers extends SignedVideoComponents, SignedCookieHelpers {
  /** Signs one link for the page being rendered (a path on the CDN, or a CDN URL). */
  signUrl: SignUrl;
  /** `next/image`'s `getImageProps` with every URL signed. */
  getSignedImageProps: GetSignedImageProps;
  /** A server component rendering an `<img>` with signed `src`/`srcSet`. */
  SignedImage: SignedImageComponent;
  /** `GET` handler factory of a stable media route: 307 to a fresh signature, 403, 404. */
  mediaRedirect: MediaRedirect;
  /** Wraps a route handler: the links of its body are signed. */
  withSignedLinks: WithSignedLinks;
  /** Resolves the configuration (reads the environment, parses the key, compiles the rules). */
  getSigning: GetSigning;
}

/** Marks, for the whole server process, that an app configured itself with `cfsign({...})`. */
const CONFIGURED = Symbol.for('@cfsign/next.configured');

/** True once some module of this process called `cfsign({...})` with settings of its own. */
export function configuredInCode(): boolean {
  return (globalThis as Record<symbol, unknown>)[CONFIGURED] === true;
}

/** The helpers bound to a resolver. */
export function bindHelpers(getSigning: GetSigning): CfsignHelpers {
  const getSignedImageProps = createGetSignedImageProps(getSigning);
  return {
    signUrl: createSignUrl(getSigning),
    getSignedImageProps,
    SignedImage: createSignedImage(getSignedImageProps),
    ...createSignedVideo(getSigning),
    mediaRedirect: createMediaRedirect(getSigning),
    withSignedLinks: createWithSignedLinks(getSigning),
    ...createSignedCookies(getSigning),
    getSigning,
  };
}

/**
 * Configures signing and returns the helpers bound to that configuration: the Auth.js pattern.
 * Call it once, in a config module every page, route handler and server action imports the
 * helpers from. Settings left out come from the environment (`CLOUDFRONT_KEY_PAIR_ID`,
 * `CLOUDFRONT_PRIVATE_KEY`, `CLOUDFRONT_DOMAIN`, `CLOUDFRONT_SITE_ORIGINS`, `CLOUDFRONT_RULES`);
 * the rules are required, here or there. The options are checked at once (a rule, or a cookie
 * domain that cannot reach the CDN, fails when the module loads, if the CDN is known by then); the
 * key is read and parsed on the first signature.
 *
 * @example
 * ```ts
 * // lib/cfsign.ts
 * import { cfsign } from '@cfsign/next';
 *
 * export const { signUrl, SignedImage, SignedVideo, SignedSource, mediaRedirect, withSignedLinks, setSignedCookies } =
 *   cfsign({
 *     rules: [
 *       { match: '/media/**', expiresIn: '10m' },
 *       { match: '/video/:id/**', mode: 'wildcard', resource: '/video/:id/*', expiresIn: '1h' },
 *     ],
 *     authorize: (_request, url) => !url.includes('/media/secret/'),
 *   });
 * ```
 */
export function cfsign(config: SigningConfig = {}): CfsignHelpers {
  checkConfig(config);
  if (Object.keys(config).length > 0) (globalThis as Record<symbol, unknown>)[CONFIGURED] = true;
  return bindHelpers(signingResolver(config));
}
