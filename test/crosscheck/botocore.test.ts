/**
 * Cross-check with Debian's python3-botocore (docs/signing.md §14): canned and custom policies and RSA
 * signatures byte-identical (botocore's CloudFrontSigner + build_policy + generate_presigned_url fed
 * our canonical resource); ECDSA compared by verification, both ways.
 * Needs `/usr/bin/python3` with the apt packages python3-botocore and python3-cryptography: fails
 * when missing under CI, skips with a message otherwise. All cases run in one python process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ours from '@cfsign/core/node';
import * as web from '@cfsign/core/web';
import { beforeAll, describe, expect, test } from 'vitest';
import { E, KID, keyPath, NOW, param, readKey, splitSigned, unCf64 } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./botocore_sign.py', import.meta.url));

function pythonProblem(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  try {
    execFileSync(PYTHON, ['-c', 'import botocore, cryptography'], { stdio: 'pipe' });
    return null;
  } catch {
    return `${PYTHON} cannot import botocore and cryptography`;
  }
}
const problem = pythonProblem();
if (problem && process.env.CI)
  throw new Error(
    `${problem}: CI must install them (apt-get install -y python3-botocore python3-cryptography).`,
  );
if (problem)
  console.warn(
    `[botocore cross-check] SKIPPED: ${problem}. Install with: apt-get install -y python3-botocore python3-cryptography`,
  );

type PyCase = Record<string, unknown> & { op: string };
type PyResult = { url?: string; policy?: string; ok?: boolean; error?: string; botocore?: string };

/** Queue cases while the tests are collected, run them all in one python process in beforeAll. */
const queue: PyCase[] = [];
let results: PyResult[] = [];
const enqueue = (c: PyCase): (() => PyResult) => {
  const i = queue.push(c) - 1;
  return () => {
    const r = results[i];
    if (!r) throw new Error('python did not answer this case');
    if (r.error) throw new Error(`botocore: ${r.error}`);
    return r;
  };
};

const rsaPkcs1 = readKey('rsa-pkcs1.pem');
const rsaPkcs8 = readKey('rsa-pkcs8.pem');
const ecSec1 = readKey('ec-sec1.pem');
const rsaKeys = { [KID]: readKey('rsa-public.pem') };
const ecKeys = { [KID]: readKey('ec-public.pem') };
const at = (s: number) => ({ seconds: s });

const CANNED_INPUTS = [
  'https://d111111abcdef8.cloudfront.net/images/photo.jpg?size=large',
  "HTTPS://CDN.Example.com:443/a/./b/../Photo 1.jpg?x=it's#top",
  'https://cdn.example.com/café/文.png?q=é',
  'https://cdn.example.com/%7Euser/%2e%2e/x',
  'https://bücher.example/x.jpg',
  'https://cdn.example.com/p?a=b+c&d=%7e',
  'https://cdn.example.com/p?x=a\\b',
  'https://cdn.example.com/a:b@c;d=e,f$g&h+i.jpg?path=/a/b:c@d&flag&&q={x}|^`',
  'http://cdn.example.com:8080/v/seg-001.ts',
  'https://cdn.example.com/',
];

const version = problem ? null : enqueue({ op: 'version' });

describe.skipIf(problem !== null)('botocore (Debian python3-botocore)', () => {
  beforeAll(() => {
    const out = execFileSync(PYTHON, [script], {
      input: JSON.stringify({ cases: queue }),
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    results = (JSON.parse(out.toString('utf8')) as { results: PyResult[] }).results;
    expect(results).toHaveLength(queue.length);
  });

  test('botocore is the Debian 1.29.x', () => {
    expect(version!().botocore).toMatch(/^1\.29\./);
  });

  describe('canned, RSA: byte-identical URLs', () => {
    for (const [keyName, pem] of [
      ['rsa-pkcs1.pem', rsaPkcs1],
      ['rsa-pkcs8.pem', rsaPkcs8],
    ] as const) {
      for (const hash of ['SHA1', 'SHA256'] as const) {
        for (const input of CANNED_INPUTS) {
          const { resource, fragment } = ours.canonicalizeUrl(input);
          const theirs = enqueue({
            op: 'canned',
            key: keyPath(keyName),
            keyPairId: KID,
            url: resource,
            expires: E,
            hash,
          });
          test(`${keyName} ${hash} ${input}`, async () => {
            const signer = ours.createSigner({
              keyPairId: KID,
              privateKey: pem,
              hashAlgorithm: hash,
              cache: false,
            });
            const mine = await signer.signUrl(input, { dateLessThan: at(E), now: NOW });
            expect(mine.slice(0, mine.length - fragment.length)).toBe(theirs().url);
            expect(mine.endsWith(fragment)).toBe(true);
          });
        }
      }
    }
    // botocore truncates fractional epochs, we floor: identical for positive times
    const frac = enqueue({
      op: 'canned',
      key: keyPath('rsa-pkcs1.pem'),
      keyPairId: KID,
      url: 'https://cdn.example.com/frac.jpg',
      expires: E + 0.999,
      hash: 'SHA1',
    });
    test('fractional expiry: botocore truncation == our floor', async () => {
      const mine = await ours.getSignedUrl({
        url: 'https://cdn.example.com/frac.jpg',
        keyPairId: KID,
        privateKey: rsaPkcs1,
        dateLessThan: { milliseconds: E * 1000 + 999 },
        now: NOW,
      });
      expect(param(frac().url!, 'Expires')).toBe(String(E));
      expect(mine).toBe(frac().url);
    });
  });

  describe('custom, RSA: byte-identical policies and URLs', () => {
    const shapes: [string, string, string, string | undefined, number | undefined][] = [
      [
        'wildcard + start + IP (docs/signing.md §13 C)',
        'https://d111111abcdef8.cloudfront.net/images/cat.png',
        'https://d111111abcdef8.cloudfront.net/images/*',
        '192.0.2.0/24',
        1893452400,
      ],
      ['bare IP', 'https://cdn.example.com/a.pdf', 'https://cdn.example.com/a.pdf', '203.0.113.7', undefined],
      [
        'start only',
        'https://cdn.example.com/live/m.m3u8?v=2',
        'https://cdn.example.com/live/*',
        undefined,
        1893400000,
      ],
      [
        'expiry only, ? wildcard',
        'https://cdn.example.com/v/seg-7.ts',
        'https://cdn.example.com/v/seg-?.ts',
        undefined,
        undefined,
      ],
      [
        'host wildcard + query',
        'https://a1.cdn.example.com/x/y.jpg?w=100',
        'https://*.cdn.example.com/x/*',
        '10.0.0.0/8',
        1,
      ],
    ];
    for (const hash of ['SHA1', 'SHA256'] as const) {
      for (const [title, url, resource, ip, start] of shapes) {
        const theirs = enqueue({
          op: 'custom',
          key: keyPath('rsa-pkcs8.pem'),
          keyPairId: KID,
          url,
          resource,
          expires: E,
          start,
          ip,
          hash,
        });
        test(`${hash} ${title}`, async () => {
          const signer = ours.createSigner({
            keyPairId: KID,
            privateKey: rsaPkcs1,
            hashAlgorithm: hash,
            cache: false,
          });
          const opts = {
            resource,
            dateLessThan: at(E),
            now: NOW,
            ...(ip ? { ipAddress: ip } : {}),
            ...(start ? { dateGreaterThan: at(start) } : {}),
          };
          const policy = await signer.signPolicy(opts);
          expect(policy.policy).toBe(theirs().policy);
          expect(await signer.signUrl(url, opts)).toBe(theirs().url);
          // explicit-policy path and the web backend agree too
          expect(
            await ours.getSignedUrl({
              url,
              keyPairId: KID,
              privateKey: rsaPkcs8,
              policy: theirs().policy!,
              hashAlgorithm: hash,
            }),
          ).toBe(theirs().url);
          expect(
            await web
              .createSigner({ keyPairId: KID, privateKey: rsaPkcs8, hashAlgorithm: hash, cache: false })
              .signUrl(url, opts),
          ).toBe(theirs().url);
          // cookies carry the same policy and signature
          const cookies = await signer.signCookies(resource, opts);
          expect(cookies.values['CloudFront-Policy']).toBe(param(theirs().url!, 'Policy'));
          expect(cookies.values['CloudFront-Signature']).toBe(param(theirs().url!, 'Signature'));
        });
      }
    }
  });

  describe('ECDSA P-256: by verification, both ways', () => {
    const py = [
      [
        'canned',
        enqueue({
          op: 'canned',
          key: keyPath('ec-sec1.pem'),
          keyPairId: KID,
          url: 'https://cdn.example.com/e/1.jpg?x=1',
          expires: E,
          hash: 'SHA256',
        }),
      ],
      [
        'custom',
        enqueue({
          op: 'custom',
          key: keyPath('ec-pkcs8.pem'),
          keyPairId: KID,
          url: 'https://cdn.example.com/e/2.jpg',
          resource: 'https://cdn.example.com/e/*',
          expires: E,
          ip: '192.0.2.0/24',
          start: 1893400000,
          hash: 'SHA256',
        }),
      ],
    ] as const;
    for (const [kind, theirs] of py) {
      test(`botocore-signed ${kind} URL verifies with our node and web verifiers`, async () => {
        const url = theirs().url!;
        expect(url.endsWith('&Hash-Algorithm=SHA256')).toBe(true);
        for (const api of [ours, web]) {
          const v = await api.verifySignedUrl(url, { keys: ecKeys, now: NOW, clientIp: '192.0.2.4' });
          expect(v.ok, `${v.reason} ${v.detail}`).toBe(true);
          expect(v.hashAlgorithm).toBe('SHA256');
          const bad = url.replace('/e/', '/f/');
          expect((await api.verifySignedUrl(bad, { keys: ecKeys, now: NOW, clientIp: '192.0.2.4' })).ok).toBe(
            false,
          );
        }
      });
    }

    // our signatures, verified by python-cryptography (ECDSA and, for good measure, RSA)
    const ourSigs: {
      title: string;
      make: () => Promise<{ policy: string; signature: string; hash: string }>;
      pub: string;
      expectOk: boolean;
    }[] = [];
    const add = (
      title: string,
      pub: string,
      expectOk: boolean,
      make: () => Promise<{ policy: string; signature: string; hash: string }>,
    ) => {
      ourSigs.push({ title, make, pub, expectOk });
    };
    for (const [api, name] of [
      [ours, 'node'],
      [web, 'web'],
    ] as const) {
      for (const f of ['ec-sec1.pem', 'ec-sec1-params.pem', 'ec-pkcs8.pem']) {
        add(`${name} ECDSA ${f} SHA256`, 'ec-public.pem', true, async () => {
          const s = api.createSigner({ keyPairId: KID, privateKey: readKey(f), cache: false });
          const p = await s.signPolicy({
            resource: 'https://cdn.example.com/ours/*',
            dateLessThan: at(E),
            now: NOW,
          });
          return { policy: p.policy, signature: p.signature, hash: 'SHA256' };
        });
      }
      add(`${name} ECDSA SHA1 (opt-in)`, 'ec-public.pem', true, async () => {
        const s = api.createSigner({
          keyPairId: KID,
          privateKey: ecSec1,
          hashAlgorithm: 'SHA1',
          cache: false,
        });
        const url = await s.signUrl('https://cdn.example.com/ours/sha1.jpg', {
          dateLessThan: at(E),
          now: NOW,
        });
        return {
          policy: `{"Statement":[{"Resource":"https://cdn.example.com/ours/sha1.jpg","Condition":{"DateLessThan":{"AWS:EpochTime":${E}}}}]}`,
          signature: param(url, 'Signature')!,
          hash: 'SHA1',
        };
      });
      add(`${name} RSA SHA256 custom`, 'rsa-public.pem', true, async () => {
        const s = api.createSigner({
          keyPairId: KID,
          privateKey: rsaPkcs8,
          hashAlgorithm: 'SHA256',
          cache: false,
        });
        const url = await s.signUrl('https://cdn.example.com/ours/r.jpg', {
          dateLessThan: at(E),
          now: NOW,
          ipAddress: '192.0.2.1',
        });
        return {
          policy: unCf64(param(url, 'Policy')!).toString('utf8'),
          signature: param(url, 'Signature')!,
          hash: 'SHA256',
        };
      });
      // negative control: python must refuse a signature over other bytes
      add(`${name} ECDSA over other bytes is refused`, 'ec-public.pem', false, async () => {
        const s = api.createSigner({ keyPairId: KID, privateKey: ecSec1, cache: false });
        const p = await s.signPolicy({
          resource: 'https://cdn.example.com/ours/*',
          dateLessThan: at(E),
          now: NOW,
        });
        return { policy: p.policy.replace('ours', 'ourz'), signature: p.signature, hash: 'SHA256' };
      });
    }
    test('our signatures verify with python-cryptography', async () => {
      const cases: PyCase[] = [];
      for (const s of ourSigs) {
        const m = await s.make();
        cases.push({
          op: 'verify',
          publicKey: keyPath(s.pub),
          policy: m.policy,
          signature: m.signature,
          hash: m.hash,
        });
      }
      const out = execFileSync(PYTHON, [script], { input: JSON.stringify({ cases }), timeout: 60_000 });
      const res = (JSON.parse(out.toString('utf8')) as { results: PyResult[] }).results;
      expect(res.map((r, i) => `${ourSigs[i]!.title}: ${r.error ?? r.ok}`)).toEqual(
        ourSigs.map((s) => `${s.title}: ${s.expectOk}`),
      );
    });
  });

  describe('differences from botocore (pinned)', () => {
    const raw = 'https://CDN.Example.com:443/a/../b c.jpg';
    const theirs = enqueue({
      op: 'canned',
      key: keyPath('rsa-pkcs1.pem'),
      keyPairId: KID,
      url: raw,
      expires: E,
      hash: 'SHA1',
    });
    test('B1 botocore signs the URL string as given (no canonicalization): not what a browser sends', async () => {
      const url = theirs().url!;
      expect(splitSigned(url).resource).toBe(raw);
      expect((await ours.verifySignedUrl(new URL(url).href, { keys: rsaKeys, now: NOW })).reason).toBe(
        'bad-signature',
      );
      const mine = await ours.getSignedUrl({
        url: raw,
        keyPairId: KID,
        privateKey: rsaPkcs1,
        dateLessThan: at(E),
        now: NOW,
      });
      expect(splitSigned(mine).resource).toBe('https://cdn.example.com/b%20c.jpg');
      expect((await ours.verifySignedUrl(mine, { keys: rsaKeys, now: NOW })).ok).toBe(true);
    });
    const nonAscii = enqueue({
      op: 'custom',
      key: keyPath('rsa-pkcs1.pem'),
      keyPairId: KID,
      url: 'https://cdn.example.com/é/1.jpg',
      resource: 'https://cdn.example.com/é/*',
      expires: E,
      hash: 'SHA1',
    });
    test('B2 botocore JSON-escapes a non-ASCII resource (\\u00e9); we refuse non-canonical resources', async () => {
      expect(nonAscii().policy).toContain('https://cdn.example.com/\\u00e9/*');
      await expect(
        ours.getSignedUrl({
          url: 'https://cdn.example.com/é/1.jpg',
          policyResource: 'https://cdn.example.com/é/*',
          keyPairId: KID,
          privateKey: rsaPkcs1,
          dateLessThan: at(E),
          now: NOW,
        }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_RESOURCE' });
    });
  });
});
