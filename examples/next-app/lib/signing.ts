/**
 * The app's signing set-up: key pair id, private key and CDN domain come from the environment
 * (CLOUDFRONT_KEY_PAIR_ID, CLOUDFRONT_PRIVATE_KEY, CLOUDFRONT_DOMAIN); the rules live here.
 * Pages and route handlers import the helpers from this module, so the rules are always set.
 */
import { configureSigning } from '@cfsign/next';

configureSigning({
  rules: [
    { match: '/media/**', expiresIn: '10m' },
    // One custom policy per video: the playlist, the poster and every segment share it. The demo
    // videos are for every visitor; a per-user catalogue would pass authorize instead (SECURITY.md).
    {
      match: '/video/:id/**',
      mode: 'wildcard',
      resource: '/video/:id/*',
      expiresIn: '1h',
      authorize: 'any-viewer',
    },
  ],
});

export * from '@cfsign/next';
