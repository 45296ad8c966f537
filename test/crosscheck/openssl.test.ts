/**
 * The `openssl` CLI as an independent signer and verifier: our signatures verify with
 * `openssl dgst -verify`; `openssl dgst -sign` over our policy bytes gives our RSA signatures byte for
 * byte; the docs/signing.md §13 worked examples verify with the fixture public keys through openssl and through
 * both of our verifiers. Fails under CI when openssl is missing, skips otherwise.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ours from '@cfsign/core/node';
import * as web from '@cfsign/core/web';
import { afterAll, describe, expect, test } from 'vitest';
import specVectors from '../conformance/vectors/spec-examples.json' with { type: 'json' };
import { E, KID, keyPath, NOW, param, readKey, splitSigned, unCf64 } from './helpers.js';

let problem: string | null = null;
try {
  execFileSync('openssl', ['version'], { stdio: 'pipe' });
} catch {
  problem = 'the openssl CLI is not on PATH';
}
if (problem && process.env.CI)
  throw new Error(`${problem}: CI must install it (apt-get install -y openssl).`);
if (problem) console.warn(`[openssl cross-check] SKIPPED: ${problem}.`);

const dir = problem ? '' : mkdtempSync(join(tmpdir(), 'cfsign-openssl-'));
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
let n = 0;
const tmp = (data: string | Uint8Array) => {
  const f = join(dir, `f${n++}`);
  writeFileSync(f, data);
  return f;
};

/** `openssl dgst -<hash> -verify pub -signature sig policy` → true on "Verified OK". */
function opensslVerify(
  publicKeyFile: string,
  policy: string,
  signature: Uint8Array,
  hash: 'SHA1' | 'SHA256',
): boolean {
  try {
    const out = execFileSync(
      'openssl',
      ['dgst', `-${hash.toLowerCase()}`, '-verify', publicKeyFile, '-signature', tmp(signature), tmp(policy)],
      { stdio: 'pipe' },
    );
    return out.toString().trim() === 'Verified OK';
  } catch {
    return false; // exit status 1: "Verification failure"
  }
}
const opensslSign = (privateKeyFile: string, policy: string, hash: 'SHA1' | 'SHA256') =>
  execFileSync('openssl', ['dgst', `-${hash.toLowerCase()}`, '-sign', privateKeyFile], {
    input: Buffer.from(policy, 'utf8'),
  });

const at = (s: number) => ({ seconds: s });
const policyOf = (url: string, resource: string, expires = E) => {
  const p = param(url, 'Policy');
  return p
    ? unCf64(p).toString('utf8')
    : `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
};

describe.skipIf(problem !== null)('openssl CLI', () => {
  const apis = [
    ['node', ours],
    ['web', web],
  ] as const;
  const signCases: [string, string, 'SHA1' | 'SHA256', Record<string, unknown>][] = [
    ['rsa-pkcs1.pem', 'rsa-public.pem', 'SHA1', {}],
    ['rsa-pkcs8.pem', 'rsa-public.pem', 'SHA256', {}],
    [
      'rsa-pkcs8.pem',
      'rsa-public.pem',
      'SHA1',
      { resource: 'https://cdn.example.com/o/*', ipAddress: '192.0.2.0/24', dateGreaterThan: at(E - 3600) },
    ],
    ['rsa2-pkcs8.pem', 'rsa2-public.pem', 'SHA256', { ipAddress: '198.51.100.7' }],
    ['ec-sec1.pem', 'ec-public.pem', 'SHA256', {}],
    ['ec-sec1-params.pem', 'ec-public.pem', 'SHA256', { resource: 'https://cdn.example.com/o/*' }],
    ['ec-pkcs8.pem', 'ec-public.pem', 'SHA256', { dateGreaterThan: at(E - 3600) }],
  ];
  for (const [name, api] of apis) {
    for (const [priv, pub, hash, extra] of signCases) {
      test(`${name}: ${priv} ${hash} ${Object.keys(extra).join('+') || 'canned'} verifies with openssl dgst -verify`, async () => {
        const signer = api.createSigner({
          keyPairId: KID,
          privateKey: readKey(priv),
          hashAlgorithm: hash,
          cache: false,
        });
        const url = await signer.signUrl("https://cdn.example.com/o/it's a file.jpg?x=1&n=it's", {
          dateLessThan: at(E),
          now: NOW,
          ...extra,
        });
        const resource = splitSigned(url).resource;
        expect(resource).toBe("https://cdn.example.com/o/it's%20a%20file.jpg?x=1&n=it%27s");
        const policy = policyOf(url, resource);
        const sig = unCf64(param(url, 'Signature')!);
        expect(opensslVerify(keyPath(pub), policy, sig, hash)).toBe(true);
        // the check can fail: other bytes, the other hash, the other key
        expect(opensslVerify(keyPath(pub), policy.replace(String(E), String(E + 1)), sig, hash)).toBe(false);
        expect(opensslVerify(keyPath(pub), policy, sig, hash === 'SHA1' ? 'SHA256' : 'SHA1')).toBe(false);
        expect(
          opensslVerify(
            keyPath(
              pub.startsWith('rsa2')
                ? 'rsa-public.pem'
                : pub.startsWith('rsa')
                  ? 'rsa2-public.pem'
                  : 'rsa-public.pem',
            ),
            policy,
            sig,
            hash,
          ),
        ).toBe(false);
        if (priv.startsWith('rsa')) {
          // RSA PKCS#1 v1.5 is deterministic: openssl over our exact policy bytes gives our signature
          expect(opensslSign(keyPath(priv), policy, hash).equals(sig)).toBe(true);
        }
      });
    }
  }

  test('openssl-made ECDSA (DER) signatures verify with both of our verifiers', async () => {
    const resource = 'https://cdn.example.com/made-by-openssl.jpg';
    const policy = policyOf('', resource);
    const sig = opensslSign(keyPath('ec-sec1.pem'), policy, 'SHA256');
    const cf = sig.toString('base64').replaceAll('+', '-').replaceAll('=', '_').replaceAll('/', '~');
    const url = `${resource}?Expires=${E}&Signature=${cf}&Key-Pair-Id=${KID}&Hash-Algorithm=SHA256`;
    for (const api of [ours, web]) {
      expect(
        (await api.verifySignedUrl(url, { keys: { [KID]: readKey('ec-public.pem') }, now: NOW })).ok,
      ).toBe(true);
      expect(
        (
          await api.verifySignedUrl(url.replace('made-by', 'made-for'), {
            keys: { [KID]: readKey('ec-public.pem') },
            now: NOW,
          })
        ).reason,
      ).toBe('bad-signature');
    }
  });

  describe('docs/signing.md §13 worked examples with the fixture public keys', () => {
    for (const v of specVectors) {
      const i = v.input as {
        publicKey: string;
        keyPairId: string;
        url: string;
        now: string;
        clientIp?: string;
      };
      const x = v.expected as {
        hashAlgorithm: 'SHA1' | 'SHA256';
        policy: string;
        resource: string;
        policyBase64?: string;
      };
      test(`${v.title}: openssl and both verifiers accept; a changed byte is refused`, async () => {
        expect(new Date(i.now).getTime()).toBeLessThan(Date.UTC(2030, 0, 1));
        const pub = tmp(i.publicKey);
        const sig = unCf64(param(i.url, 'Signature')!);
        if (x.policyBase64) {
          expect(param(i.url, 'Policy')).toBe(x.policyBase64);
          expect(unCf64(x.policyBase64).toString('utf8')).toBe(x.policy);
        }
        expect(opensslVerify(pub, x.policy, sig, x.hashAlgorithm)).toBe(true);
        expect(opensslVerify(pub, x.policy.replace('1893456000', '1893456001'), sig, x.hashAlgorithm)).toBe(
          false,
        );
        for (const api of [ours, web]) {
          const opts = {
            keys: { [i.keyPairId]: i.publicKey },
            now: new Date(i.now),
            ...(i.clientIp ? { clientIp: i.clientIp } : {}),
          };
          const verdict = await api.verifySignedUrl(i.url, opts);
          expect(verdict.ok, `${verdict.reason} ${verdict.detail}`).toBe(true);
          expect(verdict.resource).toBe(x.resource);
          expect(verdict.hashAlgorithm).toBe(x.hashAlgorithm);
          const tampered = i.url.replace(
            x.resource,
            x.resource.replace('.cloudfront.net/images/', '.cloudfront.net/imagez/'),
          );
          expect((await api.verifySignedUrl(tampered, opts)).ok).toBe(false);
        }
      });
    }
    test('example A: our canned policy for its resource is the published 154 bytes', async () => {
      const a = specVectors[0]!;
      const url = await ours.getSignedUrl({
        url: 'https://d111111abcdef8.cloudfront.net/images/photo.jpg?size=large',
        keyPairId: 'K2JCJMDEHXQW5F',
        privateKey: readKey('rsa-pkcs8.pem'),
        dateLessThan: new Date('2030-01-01T00:00:00Z'),
        now: NOW,
      });
      expect(policyOf(url, splitSigned(url).resource)).toBe(a.expected.policy);
      expect(Buffer.byteLength(a.expected.policy as string)).toBe(154);
      expect(a.input.url.length).toBe(466);
      // and our URL has the published shape, differing only in the signature (other private key)
      expect(url.replace(/Signature=[^&]+/, 'Signature=S')).toBe(
        a.input.url.replace(/Signature=[^&]+/, 'Signature=S'),
      );
    });
  });
});

// keep the fixture path helper honest: the keys folder the tests read is the core's fixtures
test('fixtures come from packages/core/test/fixtures/keys', () => {
  expect(fileURLToPath(new URL('../../packages/core/test/fixtures/keys/README.md', import.meta.url))).toMatch(
    /packages[\\/]core[\\/]test[\\/]fixtures[\\/]keys[\\/]README\.md$/,
  );
});
