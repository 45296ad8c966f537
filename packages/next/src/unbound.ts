/**
 * `@cfsign/next`'s own helpers, for apps configured by the environment alone (no config module).
 * They read `CLOUDFRONT_RULES` and the rest of the environment, nothing else: they never sign with
 * defaults, and never with another module's configuration.
 * @module
 */
import 'server-only';
import { CfsignError } from '@cfsign/core';
import { bindHelpers, type CfsignHelpers, configuredInCode } from './cfsign.js';
import { type ResolvedSigning, signingResolver } from './config.js';

const fromEnv = signingResolver({});

function envOnly(): Promise<ResolvedSigning> {
  if (configuredInCode())
    return Promise.reject(
      new CfsignError(
        'ERR_NOT_CONFIGURED',
        "This app is configured with cfsign({...}), but this helper was imported from '@cfsign/next' itself, which knows only the environment: import signUrl, SignedImage, mediaRedirect, withSignedLinks... from your config module (e.g. '@/lib/cfsign'), so that its rules and authorize apply.",
      ),
    );
  return fromEnv();
}

/**
 * The helpers configured by the environment only: `CLOUDFRONT_RULES` (required), the key, the CDN,
 * the site origins. Used before any configuration (no `CLOUDFRONT_RULES`), or in an app whose
 * config module called `cfsign({...})`, every one of them throws `CfsignError` `ERR_NOT_CONFIGURED`.
 *
 * @example
 * ```ts
 * // CLOUDFRONT_RULES='[{"match":"/media/**","expiresIn":"10m"}]' in the environment
 * import { signUrl } from '@cfsign/next';
 * const href = await signUrl('/media/report.pdf');
 * ```
 */
export const envHelpers: CfsignHelpers = bindHelpers(envOnly);
