/**
 * `cfsign sign url|cookies`: flags compatible with `aws cloudfront sign`, plus `--expires-in`.
 * @module
 */

import { parseArgs } from 'node:util';
import type { DateInput, HashAlgorithm, SignUrlOptions } from '@cfsign/core';
import { type CliIo, EXIT, InputError, UsageError } from '../io.js';
import { requireKeyPairId, signerFromFlags } from '../signer-flags.js';

export const signHelp = `cfsign sign url|cookies --key-pair-id ID --private-key file://KEY (--expires-in D | --date-less-than T) [options]

Signs a URL (or a signed-cookie set). Flags match \`aws cloudfront sign\`.

  --url                 the URL (sign url), or the resource with wildcards (sign cookies)
  --key-pair-id         ID of the public key in the CloudFront key group (K...)
  --private-key         file://path to the PEM private key (PKCS#8, PKCS#1 or SEC1); a passphrase
                        for an encrypted key is read from the CFSIGN_PASSPHRASE environment variable
  --expires-in          lifetime such as 90s, 10m, 1h, 7d
  --date-less-than      expiry: ISO 8601 (2030-01-01T00:00:00Z) or epoch seconds
  --date-greater-than   start: ISO 8601 or epoch seconds (makes the policy custom)
  --ip-address          IPv4 address or CIDR (makes the policy custom)
  --policy-resource     custom-policy resource with * and ? wildcards (sign url)
  --hash-algorithm      SHA1 (RSA default) or SHA256 (ECDSA default)
  --domain, --path, --same-site Strict|Lax|None, --max-age SECONDS, --canned   (sign cookies)
  --json                machine-readable output

Examples:
  cfsign sign url --url https://d111111abcdef8.cloudfront.net/a.pdf --key-pair-id K2JCJMDEHXQW5F \\
    --private-key file://private_key.pem --expires-in 1h
  cfsign sign url --url https://cdn.example.com/v/1/index.m3u8 --policy-resource 'https://cdn.example.com/v/1/*' \\
    --key-pair-id K2JCJMDEHXQW5F --private-key file://private_key.pem --date-less-than 2030-01-01T00:00:00Z
  cfsign sign cookies --url 'https://cdn.example.com/private/*' --domain example.com \\
    --key-pair-id K2JCJMDEHXQW5F --private-key file://private_key.pem --expires-in 12h`;

const options = {
  url: { type: 'string' },
  'key-pair-id': { type: 'string' },
  'private-key': { type: 'string' },
  'expires-in': { type: 'string' },
  'date-less-than': { type: 'string' },
  'date-greater-than': { type: 'string' },
  'ip-address': { type: 'string' },
  'policy-resource': { type: 'string' },
  'hash-algorithm': { type: 'string' },
  domain: { type: 'string' },
  path: { type: 'string' },
  'same-site': { type: 'string' },
  'max-age': { type: 'string' },
  canned: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** Flags that only one of the two subcommands reads: given to the other, they would be ignored. */
const ONLY: Record<'url' | 'cookies', readonly string[]> = {
  url: ['policy-resource'],
  cookies: ['domain', 'path', 'same-site', 'max-age', 'canned'],
};

/** Epoch seconds before 2001: a year or a short number, not a time anybody means as an expiry. */
const FEW_SECONDS = 1e9;

/** ISO 8601, or digits meaning epoch seconds (as the AWS CLI accepts). */
export function dateFlag(flag: string, value: string): DateInput {
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    if (seconds < FEW_SECONDS)
      throw new InputError(
        `--${flag} ${value} reads as epoch second ${value} (${new Date(seconds * 1000).toISOString()}); write a date such as ${value.length === 4 ? `${value}-01-01T00:00:00Z` : '2030-01-01T00:00:00Z'}, or the epoch seconds of one (10 digits).`,
      );
    return { seconds };
  }
  if (Number.isNaN(Date.parse(value)))
    throw new InputError(
      `--${flag} ${JSON.stringify(value)} is not a date; use ISO 8601 such as 2030-01-01T00:00:00Z, or epoch seconds.`,
    );
  return value;
}

export async function sign(argv: string[], io: CliIo): Promise<number> {
  const [what, ...rest] = argv;
  if (what !== 'url' && what !== 'cookies')
    throw new UsageError('Say what to sign: `cfsign sign url ...` or `cfsign sign cookies ...`.');
  const { values: v } = parseArgs({ args: rest, options, strict: true });
  if (!v.url) throw new UsageError('--url is required.');
  const other = what === 'url' ? 'cookies' : 'url';
  const foreign = ONLY[other].filter((flag) => v[flag as keyof typeof v] !== undefined);
  if (foreign.length > 0)
    throw new UsageError(
      `${foreign.map((f) => `--${f}`).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} for \`cfsign sign ${other}\`, not \`sign ${what}\`.`,
    );
  if (v.canned && (v['ip-address'] || v['date-greater-than']))
    throw new UsageError(
      '--canned cookies hold an expiry only; drop --canned to restrict the IP or the start.',
    );
  requireKeyPairId(v['key-pair-id']);
  if (v['hash-algorithm'] && v['hash-algorithm'] !== 'SHA1' && v['hash-algorithm'] !== 'SHA256')
    throw new UsageError('--hash-algorithm must be SHA1 or SHA256.');
  if (!v['expires-in'] && !v['date-less-than'])
    throw new UsageError('Pass --expires-in (such as 1h) or --date-less-than.');
  if (v['expires-in'] && v['date-less-than'])
    throw new UsageError('Pass either --expires-in or --date-less-than, not both.');
  const signer = signerFromFlags(v['key-pair-id'], v['private-key'], io.cwd);
  const o: SignUrlOptions = { now: io.now() };
  if (v['expires-in']) o.expiresIn = v['expires-in'];
  if (v['date-less-than']) o.dateLessThan = dateFlag('date-less-than', v['date-less-than']);
  if (v['date-greater-than']) o.dateGreaterThan = dateFlag('date-greater-than', v['date-greater-than']);
  if (v['ip-address']) o.ipAddress = v['ip-address'];
  if (v['hash-algorithm']) o.hashAlgorithm = v['hash-algorithm'] as HashAlgorithm;
  if (what === 'url') {
    if (v['policy-resource']) o.resource = v['policy-resource'];
    const url = await signer.signUrl(v.url, o);
    io.out(
      v.json
        ? JSON.stringify({
            url,
            keyPairId: signer.keyPairId,
            keyType: signer.keyType,
            hashAlgorithm: o.hashAlgorithm ?? signer.hashAlgorithm,
          })
        : url,
    );
    return EXIT.ok;
  }
  const sameSite = v['same-site'];
  if (sameSite && !['Strict', 'Lax', 'None'].includes(sameSite))
    throw new UsageError('--same-site must be Strict, Lax or None.');
  const set = await signer.signCookies(v.url, {
    ...o,
    ...(v.domain ? { domain: v.domain } : {}),
    ...(v.path ? { path: v.path } : {}),
    ...(sameSite ? { sameSite: sameSite as 'Lax' } : {}),
    ...(v['max-age'] ? { maxAge: Number(v['max-age']) } : {}),
    canned: v.canned === true,
  });
  if (v.json) io.out(JSON.stringify({ cookies: set.values, setCookie: set.setCookie, expires: set.expires }));
  else io.out(set.setCookie.map((c) => `Set-Cookie: ${c}`).join('\n'));
  return EXIT.ok;
}
