/**
 * The app's one signing configuration. Key pair id, private key and CDN domain come from the
 * environment (CLOUDFRONT_KEY_PAIR_ID, CLOUDFRONT_PRIVATE_KEY, CLOUDFRONT_DOMAIN); the rules and the
 * entitlement check live here. Pages, route handlers and server actions import the helpers from
 * this module, so using a helper implies this configuration, whichever route is hit first.
 */
import { cfsign } from '@cfsign/next';

export const {
  signUrl,
  SignedImage,
  SignedVideo,
  SignedSource,
  mediaRedirect,
  withSignedLinks,
  setSignedCookies,
  getSigning,
} = cfsign({
  rules: [
    { match: '/media/**', expiresIn: '10m' },
    // One custom policy per video: the playlist, the poster and every segment share it.
    { match: '/video/:id/**', mode: 'wildcard', resource: '/video/:id/*', expiresIn: '1h' },
    // Signed cookies for the members area. Without cookie.domain they are host-only, which works here
    // (the site and the emulator share 127.0.0.1). In production add cookie: { domain: 'example.com' }
    // (the parent of www.example.com and the CDN's alternate domain name cdn.example.com); with
    // CLOUDFRONT_SITE_ORIGINS listing www.example.com, start-up refuses the rule without it.
    { match: '/members/**', mode: 'cookie', expiresIn: '1h' },
  ],
  // A real app checks the session here (cookies() or headers() of next/headers, your auth library).
  authorize: (_request, url) => !new URL(url).pathname.startsWith('/media/forbidden/'),
});

export { widthParamLoader } from '@cfsign/next';
