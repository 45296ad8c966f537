/**
 * `configureSigning`: the one place the key, the CDN and the rules are set. Resolved lazily on the
 * first signature, so `next build` needs no key.
 * @module
 */
import 'server-only';
import { CfsignError, createSigner, type Signer, type SignerOptions } from '@cfsign/core';
import { type CompiledRules, compileRules, type RuleConfig, type RulesConfig } from '@cfsign/rewriter';
import { cdnOrigin, ENV_NAMES, signingSettingsFromEnv } from './env.js';

/** Options of {@link configureSigning}. Anything left out is read from the environment. */
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
  /** The site's own origins, so absolute links to it are signed too (default: `CLOUDFRONT_SITE_ORIGINS`). */
  origins?: string[];
  /**
   * Path rules (default: `CLOUDFRONT_RULES`, else `[{ match: '/**', expiresIn: '10m' }]`: every path
   * passed to the helpers is signed for ten minutes).
   */
  rules?: RuleConfig[];
  /** Entitlement per link; `false` leaves the link unsigned (or see `onDeny`). */
  authorize?: RulesConfig['authorize'];
  onDeny?: RulesConfig['onDeny'];
  /** Extra HTML attributes holding URLs, for {@link withSignedLinks}. */
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

interface Store {
  config: SigningConfig;
  resolved: Promise<ResolvedSigning> | null;
}

/** Shared by every bundle chunk of one server process that loads this module. */
const KEY = Symbol.for('@cfsign/next.signing');
const DEFAULT_RULES: RuleConfig[] = [{ match: '/**', expiresIn: '10m' }];

function store(): Store {
  const g = globalThis as unknown as Record<symbol, Store | undefined>;
  let s = g[KEY];
  if (s === undefined) g[KEY] = s = { config: {}, resolved: null };
  return s;
}

/**
 * Sets the signing configuration for this server process. Call it once in a module your pages and
 * route handlers import (for example `lib/signing.ts`); settings left out come from the environment.
 * Nothing is read or parsed until the first signature.
 *
 * @example
 * ```ts
 * // lib/signing.ts
 * import { configureSigning } from '@cfsign/next';
 * configureSigning({
 *   rules: [
 *     { match: '/media/**', expiresIn: '10m' },
 *     { match: '/video/:id/**', mode: 'wildcard', resource: '/video/:id/*', expiresIn: '1h' },
 *   ],
 *   // who may watch which video (per-entity rules need it, or their own authorize: 'any-viewer')
 *   authorize: async (request, url, match) => match.params.id === undefined || (await canWatch(request, match.params.id)),
 * });
 * export * from '@cfsign/next';
 * ```
 */
export function configureSigning(config: SigningConfig): void {
  if (typeof config !== 'object' || config === null)
    throw new TypeError('configureSigning needs an options object such as { rules: [...] }.');
  const s = store();
  s.config = { ...config };
  s.resolved = null;
}

async function resolve(config: SigningConfig): Promise<ResolvedSigning> {
  const env = signingSettingsFromEnv();
  const cdnValue = config.cdn ?? env.cdn;
  if (cdnValue === undefined)
    throw new CfsignError(
      'ERR_INVALID_URL',
      `No CloudFront domain: set ${ENV_NAMES.cdn} (e.g. d111111abcdef8.cloudfront.net) or pass { cdn } to configureSigning.`,
    );
  const cdn = cdnOrigin(cdnValue);
  let signer = config.signer;
  if (signer === undefined) {
    const keyPairId = config.keyPairId ?? env.keyPairId;
    const privateKey = config.privateKey ?? env.privateKey;
    if (keyPairId === undefined || privateKey === undefined)
      throw new CfsignError(
        'ERR_INVALID_KEY_PAIR_ID',
        `No signing key: set ${ENV_NAMES.keyPairId} and ${ENV_NAMES.privateKey} (PEM, \\n-escaped accepted) or pass { keyPairId, privateKey } to configureSigning.`,
      );
    signer = createSigner({ ...config.signerOptions, keyPairId, privateKey });
  }
  const rulesConfig = (rules: RuleConfig[]): RulesConfig => ({
    cdn,
    origins: config.origins ?? env.origins ?? [],
    rules,
    ...(config.authorize !== undefined && { authorize: config.authorize }),
    ...(config.onDeny !== undefined && { onDeny: config.onDeny }),
    ...(config.attributes !== undefined && { attributes: config.attributes }),
  });
  const baseRules = config.rules ?? env.rules ?? DEFAULT_RULES;
  const rules = compileRules(rulesConfig(baseRules));
  const byLifetime = new Map<number, CompiledRules>();
  return {
    signer,
    cdn,
    rules,
    rulesWithLifetime(seconds) {
      let r = byLifetime.get(seconds);
      if (r === undefined) {
        if (byLifetime.size > 32) byLifetime.clear();
        r = compileRules(rulesConfig(baseRules.map((rule) => ({ ...rule, expiresIn: seconds }))));
        byLifetime.set(seconds, r);
      }
      return r;
    },
  };
}

/**
 * The resolved configuration (signer, CDN origin, compiled rules), built on first use from
 * {@link configureSigning} and the environment.
 *
 * @example
 * ```ts
 * const { cdn, signer } = await getSigning();
 * const url = await signer.signUrl(`${cdn}/reports/q3.pdf`, { expiresIn: '5m' });
 * ```
 */
export function getSigning(): Promise<ResolvedSigning> {
  const s = store();
  if (s.resolved === null) {
    const pending = resolve(s.config);
    s.resolved = pending;
    // A failed resolution (missing env var) is retried on the next call, not cached.
    pending.catch(() => {
      if (s.resolved === pending) s.resolved = null;
    });
  }
  return s.resolved;
}
