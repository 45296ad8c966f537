/**
 * `cfsign explain`: decode a signed URL and, given the public key, say why CloudFront would
 * answer 403, in its terms and in plain words.
 * @module
 */

import { createPublicKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  cfBase64Decode,
  paramsFromUrl,
  parsePolicy,
  stripSigningParams,
  type Verdict,
  verifyRequest,
} from '@cfsign/core';
import { readFlagFile } from '../files.js';
import { type CliIo, EXIT, InputError, UsageError } from '../io.js';
import { dateFlag } from './sign.js';

export const explainHelp = `cfsign explain URL [--public-key file://PUB --key-pair-id ID] [--client-ip IP] [--cookie HEADER] [--now T] [--json]

Decodes a signed URL (policy, times in UTC and relative, resource vs URL, key id, algorithm,
length). Given the public key, checks it as the CloudFront edge does and says valid, or exactly
why not. Exit code 0 when valid (or only decoded), 1 when CloudFront would refuse it, 3 when the
URL or the public key cannot be read. A policy with an IP range is checked against --client-ip; without
it the IP condition is reported as not checked (everything else is still checked).

Examples:
  cfsign explain 'https://d111111abcdef8.cloudfront.net/a.jpg?Expires=...&Signature=...&Key-Pair-Id=K2JCJMDEHXQW5F'
  cfsign explain "$URL" --public-key file://public_key.pem --key-pair-id K2JCJMDEHXQW5F --client-ip 192.0.2.10`;

/** Plain-words advice for each refusal reason. */
export const ADVICE: Record<string, string> = {
  'missing-key-pair-id':
    'The request carries no Key-Pair-Id: the URL was not signed, or a redirect, proxy or app dropped the query string.',
  'unknown-key':
    'The key ID is not in a key group trusted by the cache behavior that matched this path. Use the public key ID (K...), not the key group ID, and attach the key group to this behavior.',
  'malformed-policy':
    'The Policy value is damaged: it must be CloudFront base64 of one JSON statement. Do not URL-encode it again (~ must stay ~).',
  'bad-encoding':
    'A signing value is not in CloudFront base64, or Expires/Hash-Algorithm is malformed: something re-encoded the URL after signing.',
  'missing-signature': 'No Signature was sent; the URL was cut or the parameter renamed.',
  'missing-expires': 'Neither Expires nor Policy was sent.',
  'bad-signature':
    'The signature does not match. Usual causes: the URL changed after signing (re-encoding such as ~ vs %7E, a space as + or %20, reordered or added query params, upper/lower case), the private key does not belong to this key ID, or the hash algorithm differs (Hash-Algorithm=SHA256).',
  expired: 'The URL has expired. Sign with a longer lifetime, or check the signing server clock.',
  'not-yet-valid':
    'The start time has not come yet. Check the clock of the signing server (back-date starts by a minute for skew).',
  'ip-mismatch':
    'The viewer IP is outside the policy IP range. Viewers on IPv6 never match; behind a proxy, sign with the client address the edge will see.',
  'resource-mismatch':
    'The URL does not match the policy Resource. Note that /v/* does not match /v, and a resource without a trailing * does not match an added query string.',
  'url-too-long': 'The URL is over 8,192 bytes. Use an ECDSA key, a canned policy or signed cookies.',
  'wrong-hash-algorithm':
    'The signature is valid for the other hash algorithm: a SHA-256 signature needs Hash-Algorithm=SHA256 (CloudFront-Hash-Algorithm=SHA256 for cookies), a SHA-1 one must not carry it. Something dropped or added that parameter.',
};

/** When the signature fails, checks whether it verifies with the other hash (a dropped or added Hash-Algorithm). */
async function otherHashVerifies(
  url: string,
  keys: Record<string, string>,
  nowMs: number,
  clientIp?: string,
): Promise<boolean> {
  const swapped = /[?&]Hash-Algorithm=SHA256/.test(url)
    ? url.replace(/([?&])Hash-Algorithm=SHA256(&|$)/, (_m, a: string, b: string) => (b ? a : ''))
    : `${url}&Hash-Algorithm=SHA256`;
  const v = await verifyRequest(swapped, undefined, { keys, now: nowMs, ...(clientIp ? { clientIp } : {}) });
  return v.reason !== 'bad-signature' && v.reason !== 'bad-encoding';
}

function rel(seconds: number, now: number): string {
  const d = seconds - now;
  const abs = Math.abs(d);
  const text =
    abs >= 86400
      ? `${(abs / 86400).toFixed(1)} d`
      : abs >= 3600
        ? `${(abs / 3600).toFixed(1)} h`
        : abs >= 60
          ? `${Math.round(abs / 60)} min`
          : `${abs} s`;
  return d >= 0 ? `in ${text}` : `${text} ago`;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

export async function explain(argv: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'public-key': { type: 'string' },
      'key-pair-id': { type: 'string' },
      'client-ip': { type: 'string' },
      cookie: { type: 'string' },
      now: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const url = positionals[0];
  if (!url || positionals.length > 1)
    throw new UsageError('Pass exactly one URL (quote it in the shell: it contains &).');
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw new InputError(
      `${JSON.stringify(url)} is not a URL: pass the whole signed URL, such as 'https://d111111abcdef8.cloudfront.net/a.jpg?Expires=...&Signature=...&Key-Pair-Id=...' (quoted).`,
    );
  }
  if (scheme !== 'https:' && scheme !== 'http:')
    throw new InputError(
      `${JSON.stringify(url)} is not an http(s) URL; CloudFront signs only http and https URLs.`,
    );
  const nowMs = v.now ? toMs(dateFlag('now', v.now)) : io.now();
  const now = Math.floor(nowMs / 1000);
  const params = paramsFromUrl(url);
  const resource = stripSigningParams(url);
  const decoded: Record<string, unknown> = {
    url,
    length: url.length,
    resource,
    source: params ? 'url' : v.cookie ? 'cookie' : 'none',
  };
  if (params) {
    decoded.keyPairId = params.keyPairId;
    decoded.hashAlgorithm = params.hashAlgorithm ?? 'SHA1';
    const sig = params.signature ? cfBase64Decode(params.signature) : null;
    decoded.signatureBytes = sig?.length ?? null;
    decoded.keyType = sig ? (sig.length === 256 ? 'rsa' : sig[0] === 0x30 ? 'ecdsa' : 'unknown') : null;
    if (params.policy) {
      const bytes = cfBase64Decode(params.policy);
      const text = bytes ? new TextDecoder().decode(bytes) : null;
      decoded.policyKind = 'custom';
      decoded.policy = text;
      const parsed = text ? parsePolicy(text) : null;
      if (parsed?.ok) decoded.conditions = parsed.conditions;
    } else if (params.expires) {
      decoded.policyKind = 'canned';
      decoded.conditions = { resource, dateLessThan: Number(params.expires) };
    }
  }
  let verdict: Verdict | null = null;
  if (v['public-key']) {
    const keyId = v['key-pair-id'] ?? (params?.keyPairId || undefined);
    if (!keyId) throw new UsageError('--key-pair-id is required when the URL carries none.');
    const pub = publicKeyFlag(readFlagFile('public-key', v['public-key'], io.cwd));
    const keys = { [keyId]: pub };
    // Without --client-ip, an IP range cannot be judged: check everything else with an address inside it.
    const range = (decoded.conditions as { ipAddress?: string } | undefined)?.ipAddress;
    const clientIp = v['client-ip'] ?? (range ? firstAddress(range) : undefined);
    if (range && !v['client-ip']) decoded.ipChecked = false;
    verdict = await verifyRequest(url, v.cookie, {
      keys,
      now: nowMs,
      ...(clientIp ? { clientIp } : {}),
    });
    if (
      verdict.reason === 'bad-signature' &&
      verdict.source === 'url' &&
      (await otherHashVerifies(url, keys, nowMs, clientIp))
    )
      verdict = {
        ...verdict,
        reason: 'wrong-hash-algorithm' as never,
        detail: `${verdict.detail} It verifies with the other hash algorithm.`,
      };
  }
  if (v.json) {
    io.out(
      JSON.stringify(
        {
          ...decoded,
          verdict: verdict && { ...verdict, advice: verdict.reason ? ADVICE[verdict.reason] : undefined },
        },
        null,
        2,
      ),
    );
  } else {
    const c = decoded.conditions as
      | { resource?: string; dateLessThan?: number; dateGreaterThan?: number; ipAddress?: string }
      | undefined;
    const lines = [
      `URL            ${url.length} bytes${url.length > 8192 ? ' (over the 8,192 limit!)' : ''}`,
      `Resource       ${resource}`,
    ];
    if (!params) lines.push('Signing params none in the URL (CloudFront would then look at cookies)');
    else {
      lines.push(`Key-Pair-Id    ${params.keyPairId ?? '(missing)'}`);
      lines.push(
        `Algorithm      ${decoded.keyType === 'ecdsa' ? 'ECDSA' : decoded.keyType === 'rsa' ? 'RSA' : '?'} with ${decoded.hashAlgorithm} (signature ${decoded.signatureBytes ?? '?'} bytes)`,
      );
      lines.push(
        `Policy         ${decoded.policyKind ?? '(none)'}${decoded.policy ? `: ${decoded.policy}` : ''}`,
      );
      if (c?.resource && decoded.policyKind === 'custom') lines.push(`Policy resource ${c.resource}`);
      if (c?.dateLessThan !== undefined)
        lines.push(`Expires        ${iso(c.dateLessThan)} (${rel(c.dateLessThan, now)})`);
      if (c?.dateGreaterThan !== undefined)
        lines.push(`Starts         ${iso(c.dateGreaterThan)} (${rel(c.dateGreaterThan, now)})`);
      if (c?.ipAddress) lines.push(`IP range       ${c.ipAddress}`);
    }
    if (verdict) {
      lines.push('');
      const unchecked = decoded.ipChecked === false;
      lines.push(
        verdict.ok
          ? unchecked
            ? `Verdict        VALID for viewers in ${(c as { ipAddress: string }).ipAddress}: the IP condition was not checked (pass --client-ip with the viewer's IPv4 address to check it).`
            : 'Verdict        VALID: CloudFront would serve this request (200).'
          : `Verdict        403 ${verdict.error}: "${verdict.message}" (${verdict.reason})`,
      );
      if (!verdict.ok && unchecked)
        lines.push(
          `IP             not checked (pass --client-ip to check the range ${(c as { ipAddress: string }).ipAddress})`,
        );
      if (!verdict.ok) {
        lines.push(`Why            ${verdict.detail}`);
        lines.push(`What to do     ${ADVICE[verdict.reason!] ?? ''}`);
      }
    } else
      lines.push('', 'Pass --public-key file://public_key.pem to check the signature as the edge would.');
    io.out(lines.join('\n'));
  }
  return verdict && !verdict.ok ? EXIT.refused : EXIT.ok;
}

/** The PEM text of `--public-key`, checked to be a public key (a private key or garbage is bad input). */
function publicKeyFlag(pem: string): string {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw new InputError(
      '--public-key holds a private key: pass the public key (public_key.pem from cfsign keygen, or the key uploaded to CloudFront).',
    );
  try {
    createPublicKey(pem);
  } catch {
    throw new InputError(
      '--public-key is not a PEM public key ("-----BEGIN PUBLIC KEY-----"): pass public_key.pem from cfsign keygen, or the key uploaded to CloudFront.',
    );
  }
  return pem;
}

/** The network address of an IPv4 CIDR such as `192.0.2.0/24` (an address inside the range). */
function firstAddress(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr);
  if (!m) return undefined;
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  const ip = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const net = bits === 0 ? 0 : (ip & (~0 << (32 - bits))) >>> 0;
  return [24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.');
}

function toMs(d: ReturnType<typeof dateFlag>): number {
  if (typeof d === 'number') return d; // DateInput numbers are milliseconds (issue 12); dateFlag never returns one
  return typeof d === 'string' ? Date.parse(d) : 'seconds' in d ? d.seconds * 1000 : Date.now();
}
