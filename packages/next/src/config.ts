/**
 * The signing configuration of one `cfsign({...})` call: validated when it is made, resolved (key
 * parsed, rules compiled) lazily on the first signature, so `next build` of dynamic pages needs no key.
 * @module
 */
import 'server-only';
import { CfsignError, createSigner, type Signer, type SignerOptions } from '@cfsign/core';
import {
  type CompiledRules,
  compileRules,
  type RewriteRequest,
  type RuleConfig,
  type RulesConfig,
} from '@cfsign/rewriter';
import { cdnOrigin, ENV_NAMES, signingSettingsFromEnv } from './env.js';

/** Options of `cfsign(...)`. Anything left out is read from the environment. */
export interface SigningConfig {
  /** ID of the public key in the CloudFront key group (default: `CLOUDFRONT_KEY_PAIR_ID`). */
  keyPairId?: string;
  /** PEM private key (default: `CLOUDFRONT_PRIVATE_KEY`). */
  privateKey?: string;
  /** A ready signer (keyring, KMS callback…) instead of `keyPairId` + `privateKey`. */
  signer?: Signer;
  /** Extra `createSigner` options (hash algorithm, cache, clock skew). */
  signerOptions?: Omit<SignerOptions, 'keyPairId' | 'privateKey'>;
  /** The distribution: a host name or an origin (default: `CLOUDFRONT_DOMAIN`). */
  cdn?: string;
  /**
   * The site's own origins, so absolute links to it are signed too and cookie domains are checked
   * against it (default: `CLOUDFRONT_SITE_ORIGINS`).
   */
  origins?: string[];
  /**
   * Path rules (default: `CLOUDFRONT_RULES`). Required, here or in the environment: nothing is signed
   * by default. Cookie-mode rules take `cookie: { domain, path, sameSite, secure, httpOnly }`.
   */
  rules?: RuleConfig[];
  /**
   * Entitlement per link, asked by every helper: `false` leaves the link unsigned (`signUrl` throws
   * `ERR_NO_MATCHING_RULE`, `mediaRedirect` answers 403). `request.req` is the route handler's
   * `Request` when there is one; in server components read `cookies()`/`headers()` of `next/headers`.
   */
  authorize?: (request: RewriteRequest, url: string) => boolean | Promise<boolean>;
  onDeny?: RulesConfig['onDeny'];
  /** Extra HTML attributes holding URLs, for `withSignedLinks`. */
  attributes?: string[];
}

/** The resolved configuration. */
export interface ResolvedSigning {
  readonly signer: Signer;
  readonly cdn: string;
  readonly rules: CompiledRules;
  /** Rules compiled with every lifetime replaced by `seconds` (cached per value). */
  rulesWithLifetime(seconds: number): CompiledRules;
}

const CONFIG_KEYS = [
  'keyPairId',
  'privateKey',
  'signer',
  'signerOptions',
  'cdn',
  'origins',
  'rules',
  'authorize',
  'onDeny',
  'attributes',
];

/**
 * Checks the shape of a config at once (at the `cfsign({...})` call, when the config module loads),
 * and compiles the rules when the CDN is known, so a bad rule or a cookie domain that cannot reach
 * the CDN fails at start-up, not on the first request.
 *
 * @example
 * ```ts
 * checkConfig({ rules: [{ match: '/media/**' }], cdn: 'cdn.example.com' }); // throws on a bad rule
 * ```
 */
export function checkConfig(config: SigningConfig): void {
  if (typeof config !== 'object' || config === null)
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      'cfsign(options) needs an options object such as { rules: [{ match: "/media/**" }] }.',
    );
  for (const k of Object.keys(config))
    if (!CONFIG_KEYS.includes(k))
      throw new CfsignError(
        'ERR_INVALID_RULE',
        `cfsign: unknown option "${k}"; known options: ${CONFIG_KEYS.join(', ')}.`,
      );
  if (config.authorize !== undefined && typeof config.authorize !== 'function')
    throw new CfsignError(
      'ERR_INVALID_OPTIONS',
      'cfsign: "authorize" must be a function (request, url) => boolean | Promise<boolean>, or left out.',
    );
  const env = signingSettingsFromEnv();
  const cdn = config.cdn ?? env.cdn;
  const rules = config.rules ?? env.rules;
  if (cdn !== undefined && rules !== undefined) compileRules(rulesConfig(config, cdnOrigin(cdn), rules));
}

function rulesConfig(config: SigningConfig, cdn: string, rules: readonly RuleConfig[]): RulesConfig {
  const origins = config.origins ?? signingSettingsFromEnv().origins ?? [];
  return {
    cdn,
    origins,
    rules,
    ...(config.authorize !== undefined && { authorize: config.authorize }),
    ...(config.onDeny !== undefined && { onDeny: config.onDeny }),
    ...(config.attributes !== undefined && { attributes: config.attributes }),
  };
}

async function resolve(config: SigningConfig): Promise<ResolvedSigning> {
  const env = signingSettingsFromEnv();
  const baseRules = config.rules ?? env.rules;
  if (baseRules === undefined)
    throw new CfsignError(
      'ERR_NOT_CONFIGURED',
      `No signing rules: nothing is signed by default. Pass { rules } to cfsign() in your config module (lib/cfsign.ts) and import the helpers from it, or set ${ENV_NAMES.rules} (JSON) for @cfsign/next's own exports.`,
    );
  const cdnValue = config.cdn ?? env.cdn;
  if (cdnValue === undefined)
    throw new CfsignError(
      'ERR_NOT_CONFIGURED',
      `No CloudFront domain: set ${ENV_NAMES.cdn} (e.g. d111111abcdef8.cloudfront.net) or pass { cdn } to cfsign(). A page prerendered at build time (revalidate, generateStaticParams) signs during next build and needs it there too.`,
    );
  const cdn = cdnOrigin(cdnValue);
  let signer = config.signer;
  if (signer === undefined) {
    const keyPairId = config.keyPairId ?? env.keyPairId;
    const privateKey = config.privateKey ?? env.privateKey;
    if (keyPairId === undefined || privateKey === undefined)
      throw new CfsignError(
        'ERR_NOT_CONFIGURED',
        `No signing key: set ${ENV_NAMES.keyPairId} and ${ENV_NAMES.privateKey} (PEM, \\n-escaped accepted) or pass { keyPairId, privateKey } to cfsign(). A page prerendered at build time (revalidate, generateStaticParams) signs during next build and needs them there too.`,
      );
    signer = createSigner({ ...config.signerOptions, keyPairId, privateKey });
  }
  const rules = compileRules(rulesConfig(config, cdn, baseRules));
  const byLifetime = new Map<number, CompiledRules>();
  return {
    signer,
    cdn,
    rules,
    rulesWithLifetime(seconds) {
      let r = byLifetime.get(seconds);
      if (r === undefined) {
        if (byLifetime.size > 32) byLifetime.clear();
        const withLifetime = baseRules.map((rule) => ({ ...rule, expiresIn: seconds }));
        r = compileRules(rulesConfig(config, cdn, withLifetime));
        byLifetime.set(seconds, r);
      }
      return r;
    },
  };
}

/**
 * The lazy resolver of one configuration: the first call reads the environment, parses the key and
 * compiles the rules; later calls share the result. A failed resolution (a missing variable) is not
 * cached: the next call tries again.
 *
 * @example
 * ```ts
 * const getSigning = signingResolver({ rules: [{ match: '/media/**' }] });
 * const { cdn, signer } = await getSigning();
 * ```
 */
export function signingResolver(config: SigningConfig): () => Promise<ResolvedSigning> {
  const frozen = { ...config };
  let resolved: Promise<ResolvedSigning> | null = null;
  return () => {
    if (resolved === null) {
      const pending = resolve(frozen);
      resolved = pending;
      pending.catch(() => {
        if (resolved === pending) resolved = null;
      });
    }
    return resolved;
  };
}

/** A configuration's resolver, as every helper factory takes it. */
export type GetSigning = () => Promise<ResolvedSigning>;
