/**
 * What `cfsign explain` prints: the decoded request and the verdict, as text or as JSON, with
 * plain-words advice for each refusal reason.
 * @module
 */
import type { PolicyConditions, SignedParams, Verdict } from '@cfsign/core';

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

type Conditions = Partial<PolicyConditions & { hasResource: boolean }>;

/** What the request carries, decoded (printed as is by --json). */
export interface Decoded {
  url: string;
  length: number;
  resource: string;
  source: 'url' | 'cookie' | 'none';
  keyPairId?: string | undefined;
  hashAlgorithm?: string;
  signatureBytes?: number | null;
  keyType?: 'rsa' | 'ecdsa' | 'unknown' | null;
  policyKind?: 'custom' | 'canned';
  policy?: string | null;
  /** The raw Expires value of a canned policy (shown as is when it is not a whole number). */
  expires?: string;
  conditions?: Conditions;
  /** False when the policy has an IP range and no --client-ip was given. */
  ipChecked?: boolean;
  /** False when the verdict was reached without the public key (the signature was not checked). */
  signatureChecked?: boolean;
  /** How the URL was damaged, when it shows (such as a query encoded twice). */
  hint?: string;
}

export function jsonReport(decoded: Decoded, verdict: Verdict | null): unknown {
  return {
    ...decoded,
    verdict: verdict && { ...verdict, advice: verdict.reason ? ADVICE[verdict.reason] : undefined },
  };
}

export function textReport(
  decoded: Decoded,
  signing: SignedParams | null,
  verdict: Verdict | null,
  now: number,
  cookieGiven: boolean,
): string {
  const lines = [
    `URL            ${decoded.length} bytes${decoded.length > 8192 ? ' (over the 8,192 limit!)' : ''}`,
    `Resource       ${decoded.resource}`,
  ];
  if (!signing)
    lines.push(
      cookieGiven
        ? 'Signing params none in the URL, nor in --cookie (no CloudFront-* cookie)'
        : 'Signing params none in the URL (CloudFront would then look at cookies)',
    );
  else {
    if (signing.source === 'cookie') lines.push('Signing params none in the URL; read from the cookies');
    lines.push(...signingLines(decoded, signing, now));
  }
  if (verdict) lines.push('', ...verdictLines(decoded, verdict));
  if (decoded.hint) lines.push(`Hint           ${decoded.hint}`);
  if (!verdict)
    lines.push('', 'Pass --public-key file://public_key.pem to check the signature as the edge would.');
  return lines.join('\n');
}

function signingLines(decoded: Decoded, signing: SignedParams, now: number): string[] {
  const c = decoded.conditions;
  const keyType = decoded.keyType === 'ecdsa' ? 'ECDSA' : decoded.keyType === 'rsa' ? 'RSA' : '?';
  const lines = [
    `Key-Pair-Id    ${signing.keyPairId ?? '(missing)'}`,
    `Algorithm      ${keyType} with ${decoded.hashAlgorithm} (signature ${decoded.signatureBytes ?? '?'} bytes)`,
    `Policy         ${decoded.policyKind ?? '(none)'}${decoded.policy ? `: ${decoded.policy}` : ''}`,
  ];
  if (c?.resource && decoded.policyKind === 'custom') lines.push(`Policy resource ${c.resource}`);
  if (c?.dateLessThan !== undefined)
    lines.push(`Expires        ${iso(c.dateLessThan)} (${rel(c.dateLessThan, now)})`);
  else if (decoded.expires !== undefined)
    lines.push(`Expires        ${JSON.stringify(clip(decoded.expires))} is not a whole number of seconds`);
  if (c?.dateGreaterThan !== undefined)
    lines.push(`Starts         ${iso(c.dateGreaterThan)} (${rel(c.dateGreaterThan, now)})`);
  if (c?.ipAddress) lines.push(`IP range       ${c.ipAddress}`);
  return lines;
}

function verdictLines(decoded: Decoded, verdict: Verdict): string[] {
  const range = decoded.conditions?.ipAddress;
  const unchecked = decoded.ipChecked === false;
  if (verdict.ok)
    return [
      unchecked
        ? `Verdict        VALID for viewers in ${range}: the IP condition was not checked (pass --client-ip with the viewer's IPv4 address to check it).`
        : 'Verdict        VALID: CloudFront would serve this request (200).',
    ];
  const lines = [`Verdict        403 ${verdict.error}: "${verdict.message}" (${verdict.reason})`];
  if (unchecked) lines.push(`IP             not checked (pass --client-ip to check the range ${range})`);
  if (decoded.signatureChecked === false)
    lines.push(
      'Signature      not checked (pass --public-key file://public_key.pem to check it as the edge would)',
    );
  lines.push(`Why            ${verdict.detail}`);
  lines.push(`What to do     ${ADVICE[verdict.reason!] ?? ''}`);
  return lines;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
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

/** A time in UTC; a number no `Date` can hold (a huge policy time) is shown as is. */
function iso(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? `${seconds} (epoch seconds)` : d.toISOString().replace('.000Z', 'Z');
}
