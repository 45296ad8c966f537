/**
 * An independent CloudFront verifier for tests: written from the spec with `node:crypto` and plain
 * string handling, sharing no code with `src/`. It checks what the edge checks (signature over the
 * exact policy bytes, one statement, integer times in range and ordered, IPv4 CIDR, the resource
 * matched by the spec's reference regex) and reports the grant it found.
 */
import { createPublicKey, verify } from 'node:crypto';

const MAX_EPOCH = 2 ** 31 - 1;
const PARAMS = ['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm'];

export interface Grant {
  resource: string;
  dateLessThan: number;
  dateGreaterThan?: number;
  ipAddress?: string;
  canned: boolean;
  hash: 'SHA1' | 'SHA256';
  keyPairId: string;
}

/** Standard base64 from CloudFront's variant; throws on characters outside its alphabet. */
export function cfDecode(s: string): Buffer {
  if (!/^[A-Za-z0-9~-]*_{0,2}$/.test(s) || s.length % 4 !== 0) throw new Error(`not CF-base64: ${s}`);
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
}

/** The docs/signing.md §8 reference matcher: every char literal except `*` → `.*`, `?` → `.`; full, dot-all. */
export function referenceMatch(pattern: string, url: string): boolean {
  const re = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`, 's').test(url);
}

function checkPolicy(json: string): Omit<Grant, 'canned' | 'hash' | 'keyPairId'> {
  const doc = JSON.parse(json);
  if (Object.keys(doc).join() !== 'Statement') throw new Error(`policy keys ${Object.keys(doc)}`);
  if (!Array.isArray(doc.Statement) || doc.Statement.length !== 1) throw new Error('not one statement');
  const st = doc.Statement[0];
  if (typeof st.Resource !== 'string') throw new Error('no Resource');
  if (!/^[\x21-\x7e]+$/.test(st.Resource) || /["\\]/.test(st.Resource)) throw new Error('bad Resource');
  const c = st.Condition;
  for (const k of Object.keys(c))
    if (!['DateLessThan', 'DateGreaterThan', 'IpAddress'].includes(k)) throw new Error(`condition ${k}`);
  const time = (v: unknown) => {
    const t = (v as Record<string, unknown>)['AWS:EpochTime'];
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > MAX_EPOCH)
      throw new Error(`bad time ${t}`);
    return t;
  };
  const out: Omit<Grant, 'canned' | 'hash' | 'keyPairId'> = {
    resource: st.Resource,
    dateLessThan: time(c.DateLessThan),
  };
  if (c.DateGreaterThan !== undefined) {
    out.dateGreaterThan = time(c.DateGreaterThan);
    if (out.dateGreaterThan >= out.dateLessThan) throw new Error('start not before end');
  }
  if (c.IpAddress !== undefined) {
    const ip = c.IpAddress['AWS:SourceIp'];
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(ip);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32)
      throw new Error(`bad IP ${ip}`);
    out.ipAddress = ip;
  }
  return out;
}

function verifySignature(policy: string, sig: string, hash: 'SHA1' | 'SHA256', publicPem: string): void {
  const ok = verify(
    hash === 'SHA256' ? 'sha256' : 'sha1',
    Buffer.from(policy, 'utf8'),
    createPublicKey(publicPem),
    cfDecode(sig),
  );
  if (!ok) throw new Error('signature does not verify');
}

/**
 * Verifies a signed URL as CloudFront would at `nowSec`; throws on anything the edge would refuse,
 * else returns the grant it carries.
 */
export function verifyUrlIndependently(
  url: string,
  publicKeys: Record<string, string>,
  nowSec: number,
): Grant {
  if (url.length > 8192) throw new Error('URL over 8,192 bytes');
  const noFragment = url.split('#')[0]!;
  const q = noFragment.indexOf('?');
  if (q === -1) throw new Error('no query');
  const kept: string[] = [];
  const found: Record<string, string> = {};
  for (const pair of noFragment.slice(q + 1).split('&')) {
    const name = pair.split('=')[0]!;
    if (PARAMS.includes(name)) {
      if (name in found) throw new Error(`duplicate ${name}`);
      found[name] = pair.slice(name.length + 1);
    } else kept.push(pair);
  }
  const resource = noFragment.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '');
  return checkValues(found, resource, publicKeys, nowSec);
}

/** Verifies a name → value cookie set for a request URL (no signing params in it). */
export function verifyCookiesIndependently(
  values: Record<string, string>,
  requestUrl: string,
  publicKeys: Record<string, string>,
  nowSec: number,
): Grant {
  const found: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (!k.startsWith('CloudFront-')) throw new Error(`cookie ${k}`);
    found[k.slice('CloudFront-'.length)] = v;
  }
  return checkValues(found, requestUrl, publicKeys, nowSec);
}

function checkValues(
  found: Record<string, string>,
  resource: string,
  publicKeys: Record<string, string>,
  nowSec: number,
): Grant {
  const keyPairId = found['Key-Pair-Id'];
  if (!keyPairId || !publicKeys[keyPairId]) throw new Error(`unknown key ${keyPairId}`);
  if (found['Hash-Algorithm'] !== undefined && found['Hash-Algorithm'] !== 'SHA256')
    throw new Error(`Hash-Algorithm ${found['Hash-Algorithm']}`);
  const hash = found['Hash-Algorithm'] === 'SHA256' ? 'SHA256' : 'SHA1';
  if ((found.Policy === undefined) === (found.Expires === undefined)) throw new Error('Policy xor Expires');
  const sig = found.Signature;
  if (!sig) throw new Error('no Signature');
  let grant: Grant;
  if (found.Expires !== undefined) {
    if (!/^\d{1,10}$/.test(found.Expires)) throw new Error('bad Expires');
    const policy = `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${found.Expires}}}}]}`;
    verifySignature(policy, sig, hash, publicKeys[keyPairId]!);
    grant = { ...checkPolicy(policy), canned: true, hash, keyPairId };
  } else {
    const policy = cfDecode(found.Policy!).toString('utf8');
    verifySignature(policy, sig, hash, publicKeys[keyPairId]!);
    grant = { ...checkPolicy(policy), canned: false, hash, keyPairId };
    if (!referenceMatch(grant.resource, resource)) throw new Error(`${resource} outside ${grant.resource}`);
  }
  if (grant.dateLessThan <= nowSec) throw new Error('expired');
  return grant;
}
