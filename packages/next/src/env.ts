/**
 * Reads the signing configuration from environment variables, at request time (never at build time).
 * @module
 */
import { CfsignError } from '@cfsign/core';
import type { RuleConfig } from '@cfsign/rewriter';

/** The settings `@cfsign/next` can take from the environment. */
export interface EnvSettings {
  keyPairId?: string;
  privateKey?: string;
  cdn?: string;
  rules?: RuleConfig[];
  origins?: string[];
}

/** The environment variable names read by {@link signingSettingsFromEnv}. */
export const ENV_NAMES = {
  keyPairId: 'CLOUDFRONT_KEY_PAIR_ID',
  privateKey: 'CLOUDFRONT_PRIVATE_KEY',
  cdn: 'CLOUDFRONT_DOMAIN',
  rules: 'CLOUDFRONT_RULES',
  origins: 'CLOUDFRONT_SITE_ORIGINS',
} as const;

/**
 * Reads `process.env` through a computed name, so no bundler can inline a value at build time.
 */
function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[name];
  return v === undefined || v.trim() === '' ? undefined : v;
}

/**
 * Accepts a PEM as stored in a `.env` file or a secret store: real newlines, `\n`-escaped
 * newlines, surrounding quotes, or the whole PEM base64-encoded once.
 *
 * @example
 * ```ts
 * // CLOUDFRONT_PRIVATE_KEY="<the PEM with its newlines written as \\n>" in .env.local
 * const pem = normalizePem(process.env.CLOUDFRONT_PRIVATE_KEY!); // the PEM with real newlines
 * ```
 */
export function normalizePem(value: string): string {
  let v = value.trim();
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
  if (!v.includes('-----BEGIN') && /^[A-Za-z0-9+/=\s]+$/.test(v)) {
    try {
      const decoded = atob(v.replace(/\s+/g, ''));
      if (decoded.includes('-----BEGIN')) v = decoded;
    } catch {
      // not base64: leave it to the key parser, which names the formats it accepts
    }
  }
  v = v.replace(/\\r\\n|\\n/g, '\n').replace(/\r\n/g, '\n');
  return v.endsWith('\n') ? v : `${v}\n`;
}

/**
 * Turns `d111111abcdef8.cloudfront.net`, `https://cdn.example.com` or `http://127.0.0.1:8080`
 * into an origin (bare host names get `https://`).
 *
 * @example
 * ```ts
 * cdnOrigin('d111111abcdef8.cloudfront.net'); // 'https://d111111abcdef8.cloudfront.net'
 * ```
 */
export function cdnOrigin(value: string): string {
  const v = value.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CfsignError(
      'ERR_INVALID_URL',
      `${ENV_NAMES.cdn} must be a host name such as d111111abcdef8.cloudfront.net or an origin such as https://cdn.example.com.`,
    );
  }
  return url.origin;
}

function parseRules(text: string): RuleConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CfsignError(
      'ERR_INVALID_RULE',
      `${ENV_NAMES.rules} must be JSON: an array of rules such as [{"match":"/media/**","expiresIn":"10m"}].`,
    );
  }
  const rules = Array.isArray(parsed) ? parsed : (parsed as { rules?: unknown })?.rules;
  if (!Array.isArray(rules))
    throw new CfsignError(
      'ERR_INVALID_RULE',
      `${ENV_NAMES.rules} must be a JSON array of rules (or { "rules": [...] }).`,
    );
  return rules as RuleConfig[];
}

/**
 * The settings found in the environment: `CLOUDFRONT_KEY_PAIR_ID`, `CLOUDFRONT_PRIVATE_KEY` (PEM;
 * `\n`-escaped or base64 accepted), `CLOUDFRONT_DOMAIN`, and the optional `CLOUDFRONT_RULES` (JSON)
 * and `CLOUDFRONT_SITE_ORIGINS` (comma-separated origins of the site itself).
 *
 * @example
 * ```ts
 * const { keyPairId, cdn } = signingSettingsFromEnv();
 * ```
 */
export function signingSettingsFromEnv(): EnvSettings {
  const out: EnvSettings = {};
  const keyPairId = readEnv(ENV_NAMES.keyPairId);
  if (keyPairId !== undefined) out.keyPairId = keyPairId.trim();
  const privateKey = readEnv(ENV_NAMES.privateKey);
  if (privateKey !== undefined) out.privateKey = normalizePem(privateKey);
  const cdn = readEnv(ENV_NAMES.cdn);
  if (cdn !== undefined) out.cdn = cdnOrigin(cdn);
  const rules = readEnv(ENV_NAMES.rules);
  if (rules !== undefined) out.rules = parseRules(rules);
  const origins = readEnv(ENV_NAMES.origins);
  if (origins !== undefined)
    out.origins = origins
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  return out;
}
