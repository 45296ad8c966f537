/**
 * `cfsign explain`: decode a signed URL and, given the public key, say why CloudFront would
 * answer 403, in its terms and in plain words.
 * @module
 */

import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import {
  cfBase64Decode,
  paramsFromCookies,
  paramsFromUrl,
  parsePolicy,
  SIGNING_PARAMS,
  type SignedParams,
  stripSigningParams,
  type Verdict,
  verifyRequest,
} from '@cfsign/core';
import { readFlagFile } from '../files.js';
import { type CliIo, EXIT, InputError, UsageError } from '../io.js';
import { type Decoded, jsonReport, textReport } from './explain-report.js';
import { dateFlag } from './sign.js';

export const explainHelp = `cfsign explain URL [--public-key file://PUB --key-pair-id ID] [--client-ip IP] [--cookie HEADER] [--now T] [--json]

Decodes a signed URL, or the signed cookies of --cookie when the URL carries no signing params
(policy, times in UTC and relative, resource vs URL, key id, algorithm, length). Given the public
key, checks it as the CloudFront edge does and says valid, or exactly why not; the key ID is taken
from the URL or the cookies unless --key-pair-id is given. Without the key, damaged signing values
(such as an Expires that is not a number) are still named. Exit code 0 when valid (or only decoded),
1 when CloudFront would refuse it, 3 when the URL, the public key or --client-ip cannot be read.
A policy with an IP range is checked against --client-ip; without it the IP condition is reported
as not checked (everything else is still checked).

Examples:
  cfsign explain 'https://d111111abcdef8.cloudfront.net/a.jpg?Expires=...&Signature=...&Key-Pair-Id=K2JCJMDEHXQW5F'
  cfsign explain "$URL" --public-key file://public_key.pem --key-pair-id K2JCJMDEHXQW5F --client-ip 192.0.2.10
  cfsign explain https://cdn.example.com/private/a.jpg --public-key file://public_key.pem --cookie 'CloudFront-Policy=...; CloudFront-Signature=...; CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F'`;

/** The flags of `cfsign explain`. */
interface Flags {
  'public-key'?: string | undefined;
  'key-pair-id'?: string | undefined;
  'client-ip'?: string | undefined;
  cookie?: string | undefined;
  now?: string | undefined;
  json?: boolean | undefined;
}

/** Refusals the verifier reaches before it needs the key: found without --public-key too. */
const KEY_FREE_REASONS: ReadonlySet<string> = new Set([
  'url-too-long',
  'missing-key-pair-id',
  'bad-encoding',
  'malformed-policy',
  'missing-expires',
  'missing-signature',
]);

/** Expires as the verifier accepts it (docs/signing.md §9 check 5): a whole number of seconds. */
const WHOLE_SECONDS = /^\d{1,10}$/;

/** A signing param whose `&` (or `?`) and `=` were percent-encoded: the query was encoded twice. */
const ENCODED_TWICE = new RegExp(`%(26|3F)(${SIGNING_PARAMS.join('|')})%3D`, 'i');

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
  const url = urlArg(positionals);
  clientIpFlag(v['client-ip']);
  const nowMs = v.now ? toMs(dateFlag('now', v.now)) : io.now();
  // The edge reads the URL's signing params, or the cookies when the URL has none (§7.6).
  const signing = paramsFromUrl(url) ?? paramsFromCookies(v.cookie ?? null);
  const decoded = decode(url, signing);
  const verdict = v['public-key']
    ? await checkWithKey(url, signing, decoded, v, io, nowMs)
    : await checkWithoutKey(url, v.cookie, signing, decoded, nowMs);
  if (v.json) io.out(JSON.stringify(jsonReport(decoded, verdict), null, 2));
  else io.out(textReport(decoded, signing, verdict, Math.floor(nowMs / 1000), v.cookie !== undefined));
  return verdict && !verdict.ok ? EXIT.refused : EXIT.ok;
}

/** The one URL argument, checked to be an http(s) URL. */
function urlArg(positionals: string[]): string {
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
  return url;
}

/** `--client-ip`, checked to be an IP address (IPv6 is accepted: such viewers never match, as at the edge). */
function clientIpFlag(value: string | undefined): string | undefined {
  if (value === undefined || isIP(value) !== 0) return value;
  throw new InputError(
    `--client-ip ${JSON.stringify(value.slice(0, 60))} is not an IP address: pass the viewer's address as the edge sees it, such as --client-ip 192.0.2.10.`,
  );
}

/** Decodes the signing values the edge would read (from the URL, else the cookies). */
function decode(url: string, signing: SignedParams | null): Decoded {
  const resource = stripSigningParams(url);
  const decoded: Decoded = { url, length: url.length, resource, source: signing?.source ?? 'none' };
  if (signing) {
    decoded.keyPairId = signing.keyPairId;
    decoded.hashAlgorithm = signing.hashAlgorithm ?? 'SHA1';
    const sig = signing.signature ? cfBase64Decode(signing.signature) : null;
    decoded.signatureBytes = sig?.length ?? null;
    decoded.keyType = sig ? (sig.length === 256 ? 'rsa' : sig[0] === 0x30 ? 'ecdsa' : 'unknown') : null;
    if (signing.policy) decodePolicy(decoded, signing.policy);
    else if (signing.expires !== undefined) {
      decoded.policyKind = 'canned';
      decoded.expires = signing.expires;
      decoded.conditions = WHOLE_SECONDS.test(signing.expires)
        ? { resource, dateLessThan: Number(signing.expires) }
        : { resource };
    }
  }
  const hint = encodedTwiceHint(url);
  if (hint) decoded.hint = hint;
  return decoded;
}

function decodePolicy(decoded: Decoded, policy: string): void {
  const bytes = cfBase64Decode(policy);
  const text = bytes ? new TextDecoder().decode(bytes) : null;
  decoded.policyKind = 'custom';
  decoded.policy = text;
  const parsed = text ? parsePolicy(text) : null;
  if (parsed?.ok) decoded.conditions = parsed.conditions;
}

/** Says so when the query shows a signing param behind `%26` or `%3F`: it was URL-encoded a second time. */
function encodedTwiceHint(url: string): string | undefined {
  const hash = url.indexOf('#');
  const m = ENCODED_TWICE.exec(hash === -1 ? url : url.slice(0, hash));
  if (!m) return undefined;
  const sep = m[1] === '26' ? '&' : '?';
  return `The query was encoded twice: "${sep}" arrived as "%${m[1]!.toUpperCase()}" and "=" as "%3D" before ${m[2]}, so CloudFront sees no ${m[2]} parameter, only a longer value before it. Send the URL exactly as signed: find the step that URL-encodes it again (a redirect, a template filter, encodeURIComponent on a whole URL).`;
}

/** Checks the request as the edge does, with the public key of --public-key. */
async function checkWithKey(
  url: string,
  signing: SignedParams | null,
  decoded: Decoded,
  v: Flags,
  io: CliIo,
  nowMs: number,
): Promise<Verdict> {
  const pub = publicKeyFlag(readFlagFile('public-key', v['public-key']!, io.cwd));
  // No key ID anywhere: the verifier names that (MissingKey) before it looks at the keys.
  const keyId = v['key-pair-id'] ?? (signing?.keyPairId || undefined);
  const keys: Record<string, string> = keyId ? { [keyId]: pub } : {};
  // Without --client-ip, an IP range cannot be judged: check everything else with an address inside it.
  const range = decoded.conditions?.ipAddress;
  const clientIp = v['client-ip'] ?? (range ? firstAddress(range) : undefined);
  if (range && !v['client-ip']) decoded.ipChecked = false;
  const options = { keys, now: nowMs, ...(clientIp ? { clientIp } : {}) };
  const verdict = await verifyRequest(url, v.cookie, options);
  if (verdict.reason !== 'bad-signature' || !signing) return verdict;
  const other = withOtherHash(url, v.cookie, signing);
  const retry = await verifyRequest(other.url, other.cookie, options);
  if (retry.reason === 'bad-signature' || retry.reason === 'bad-encoding') return verdict;
  return {
    ...verdict,
    reason: 'wrong-hash-algorithm' as never,
    detail: `${verdict.detail} ${wrongHashDetail(signing)}`,
  };
}

/** The same request with the hash marker added (or removed): a param for URLs, a cookie for cookies. */
function withOtherHash(
  url: string,
  cookie: string | undefined,
  signing: SignedParams,
): { url: string; cookie: string | undefined } {
  const add = signing.hashAlgorithm === undefined;
  if (signing.source === 'cookie') return { url, cookie: toggleHashCookie(cookie ?? '', add) };
  return { url: toggleHashParam(url, add), cookie };
}

/** The URL without its fragment (never signed), with `Hash-Algorithm=SHA256` added or removed. */
function toggleHashParam(url: string, add: boolean): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  if (add) return `${base}&Hash-Algorithm=SHA256`;
  const q = base.indexOf('?');
  const pairs = base
    .slice(q + 1)
    .split('&')
    .filter((pair) => !pair.startsWith('Hash-Algorithm='));
  return `${base.slice(0, q)}?${pairs.join('&')}`;
}

/** The Cookie header with `CloudFront-Hash-Algorithm=SHA256` added or removed. */
function toggleHashCookie(cookie: string, add: boolean): string {
  const parts = cookie
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && part.split('=')[0]!.trim() !== 'CloudFront-Hash-Algorithm');
  if (add) parts.push('CloudFront-Hash-Algorithm=SHA256');
  return parts.join('; ');
}

function wrongHashDetail(signing: SignedParams): string {
  const marker =
    signing.source === 'cookie'
      ? 'the CloudFront-Hash-Algorithm=SHA256 cookie'
      : 'the Hash-Algorithm=SHA256 parameter';
  return signing.hashAlgorithm === undefined
    ? `It verifies with SHA256: ${marker} is missing.`
    : `It verifies with SHA1: ${marker} should not be there.`;
}

/**
 * Without the public key: the refusals the verifier reaches before it needs the key (missing key ID,
 * malformed Expires, Policy or Signature...). It runs with a stand-in key under the request's key ID,
 * and only those refusals are kept; anything else needs the real key.
 */
async function checkWithoutKey(
  url: string,
  cookie: string | undefined,
  signing: SignedParams | null,
  decoded: Decoded,
  nowMs: number,
): Promise<Verdict | null> {
  if (!signing) return null;
  const id = signing.keyPairId;
  if (id && !/^[A-Za-z0-9]+$/.test(id)) return null; // not a key ID the stand-in can be filed under
  const keys: Record<string, string> = id ? { [id]: standInKey() } : {};
  const verdict = await verifyRequest(url, cookie, { keys, now: nowMs });
  if (!verdict.reason || !KEY_FREE_REASONS.has(verdict.reason)) return null;
  decoded.signatureChecked = false;
  return verdict;
}

/** A throw-away public key: the key-independent checks need one under the request's key ID. */
function standInKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    type: 'spki',
    format: 'pem',
  }) as string;
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
