import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

const CDN = 'https://d111111abcdef8.cloudfront.net';
const KEY_ID = 'K2JCJMDEHXQW5F';
let dir: string;
const privateKey = (type: 'rsa' | 'ec') => join(dir, type, 'private_key.pem');
const publicKey = (type: 'rsa' | 'ec') => ['--public-key', `file://${join(dir, type, 'public_key.pem')}`];

/** A URL signed by the CLI with the `type` test key and `extra` flags. */
const signUrl = async (type: 'rsa' | 'ec', url: string, extra: string[]) =>
  (
    await run([
      'sign',
      'url',
      '--url',
      url,
      '--key-pair-id',
      KEY_ID,
      '--private-key',
      privateKey(type),
      ...extra,
    ])
  ).stdout.trim();

/** A Cookie header holding the signed cookies the CLI sets for `CDN/*`, with `extra` flags. */
const signCookies = async (type: 'rsa' | 'ec', extra: string[]) => {
  const r = await run([
    'sign',
    'cookies',
    '--url',
    `${CDN}/*`,
    '--key-pair-id',
    KEY_ID,
    '--private-key',
    privateKey(type),
    '--json',
    ...extra,
  ]);
  const { cookies } = JSON.parse(r.stdout) as { cookies: Record<string, string> };
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
};

/** No stack trace and no key text on either stream. */
const clean = (r: { stdout: string; stderr: string }) => {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout + r.stderr).not.toMatch(/-----BEGIN/);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cfsign-explain-'));
  expect((await run(['keygen', '--type', 'rsa', '--out', join(dir, 'rsa')])).code).toBe(0);
  expect((await run(['keygen', '--out', join(dir, 'ec')])).code).toBe(0);
});

describe('explain: an Expires that is not a whole number is diagnosed, not a crash', () => {
  test.each([
    ['letters', 'Expires=abc&Signature=AAAA&Key-Pair-Id=K1'],
    ['a query encoded twice', 'Expires=1893456000%26Signature%3DAAAA&Key-Pair-Id=K1'],
    ['more digits than a time has', 'Expires=99999999999999999&Signature=AAAA&Key-Pair-Id=K1'],
  ])('%s: bad-encoding from the URL alone, exit 1', async (_t, query) => {
    const r = await run(['explain', `${CDN}/a.jpg?${query}`]);
    clean(r);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Verdict +403 AccessDenied: "Access denied" \(bad-encoding\)/);
    expect(r.stdout).toMatch(/Why +Expires is not a whole number of seconds/);
    expect(r.stdout).toMatch(/Expires +".+" is not a whole number of seconds/);
    expect(r.stdout).toMatch(/Signature +not checked \(pass --public-key/);
  });

  test('a query encoded twice: the hint says & arrived as %26, also with the key and in --json', async () => {
    const url = `${CDN}/a.jpg?Expires=1893456000%26Signature%3DAAAA&Key-Pair-Id=K1`;
    const text = await run(['explain', url]);
    expect(text.stdout).toMatch(/Hint +The query was encoded twice: "&" arrived as "%26"/);
    const r = await run(['explain', url, ...publicKey('rsa'), '--json']);
    clean(r);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toMatchObject({ reason: 'bad-encoding', detail: expect.stringMatching(/Expires/) });
    expect(out.expires).toBe('1893456000%26Signature%3DAAAA');
    expect(out.hint).toMatch(/encoded twice/);
  });

  test('a custom policy time no Date can hold is shown as a number', async () => {
    const policy = `{"Statement":[{"Resource":"${CDN}/*","Condition":{"DateLessThan":{"AWS:EpochTime":100000000000000000000}}}]}`;
    const encoded = Buffer.from(policy).toString('base64').replace(/\+/g, '-').replace(/=/g, '_');
    const r = await run([
      'explain',
      `${CDN}/a.jpg?Policy=${encoded.replace(/\//g, '~')}&Signature=AAAA&Key-Pair-Id=K1`,
    ]);
    clean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Expires +100000000000000000000 \(epoch seconds\)/);
  });
});

describe('explain: MissingKey is a diagnosis, and the key ID comes from the cookies', () => {
  test('an unsigned URL with --public-key: 403 MissingKey (missing-key-pair-id), exit 1', async () => {
    const r = await run(['explain', `${CDN}/a.jpg`, ...publicKey('rsa')]);
    clean(r);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Verdict +403 MissingKey: .*\(missing-key-pair-id\)/);
    expect(r.stdout).toMatch(/What to do +The request carries no Key-Pair-Id/);
  });

  test('signed cookies without --key-pair-id: checked with the cookie key ID', async () => {
    const cookie = await signCookies('rsa', ['--expires-in', '1h']);
    const r = await run(['explain', `${CDN}/a.jpg`, ...publicKey('rsa'), '--cookie', cookie, '--json']);
    clean(r);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ source: 'cookie', keyPairId: KEY_ID, policyKind: 'custom' });
    expect(out.verdict).toMatchObject({ ok: true, keyPairId: KEY_ID });
  });
});

describe('explain --cookie: an IP range without --client-ip is reported unchecked, as for URLs', () => {
  test('valid except for the unchecked IP: exit 0; --client-ip then judges it', async () => {
    const cookie = await signCookies('rsa', ['--expires-in', '1h', '--ip-address', '192.0.2.0/24']);
    const args = [
      'explain',
      `${CDN}/a.jpg`,
      ...publicKey('rsa'),
      '--key-pair-id',
      KEY_ID,
      '--cookie',
      cookie,
    ];
    const r = await run(args);
    clean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/VALID for viewers in 192\.0\.2\.0\/24: the IP condition was not checked/);
    expect(r.stdout).not.toMatch(/ip-mismatch/);
    expect(JSON.parse((await run([...args, '--json'])).stdout)).toMatchObject({
      ipChecked: false,
      verdict: { ok: true },
    });
    expect((await run([...args, '--client-ip', '198.51.100.7'])).stdout).toMatch(/\(ip-mismatch\)/);
    expect((await run([...args, '--client-ip', '192.0.2.10'])).code).toBe(0);
  });
});

describe('explain: a dropped or added hash marker is named', () => {
  test('an ECDSA/SHA-256 URL with a #fragment whose Hash-Algorithm=SHA256 was dropped', async () => {
    const url = await signUrl('ec', `${CDN}/a.pdf#page=2`, ['--expires-in', '1h']);
    expect(url).toMatch(/&Hash-Algorithm=SHA256#page=2$/);
    const r = await run(['explain', url.replace('&Hash-Algorithm=SHA256', ''), ...publicKey('ec'), '--json']);
    clean(r);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.verdict.reason).toBe('wrong-hash-algorithm');
    expect(out.verdict.detail).toMatch(/Hash-Algorithm=SHA256 parameter is missing/);
  });

  test('ECDSA/SHA-256 cookies without CloudFront-Hash-Algorithm', async () => {
    const cookie = await signCookies('ec', ['--expires-in', '1h']);
    expect(cookie).toMatch(/CloudFront-Hash-Algorithm=SHA256/);
    const dropped = cookie.replace(
      /; CloudFront-Hash-Algorithm=SHA256|CloudFront-Hash-Algorithm=SHA256; /,
      '',
    );
    const r = await run(['explain', `${CDN}/a.jpg`, ...publicKey('ec'), '--cookie', dropped]);
    clean(r);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\(wrong-hash-algorithm\)/);
    expect(r.stdout).toMatch(/CloudFront-Hash-Algorithm=SHA256 cookie is missing/);
  });

  test('RSA/SHA-1 cookies with an added CloudFront-Hash-Algorithm=SHA256', async () => {
    const cookie = await signCookies('rsa', ['--expires-in', '1h']);
    const added = `${cookie}; CloudFront-Hash-Algorithm=SHA256`;
    const r = await run(['explain', `${CDN}/a.jpg`, ...publicKey('rsa'), '--cookie', added, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.verdict.reason).toBe('wrong-hash-algorithm');
    expect(out.verdict.detail).toMatch(
      /verifies with SHA1: the CloudFront-Hash-Algorithm=SHA256 cookie should not be there/,
    );
  });
});

describe('explain --client-ip must be an IP address', () => {
  test('anything else is bad input (exit 3, naming the flag and an example); IPv6 is still judged', async () => {
    const url = await signUrl('rsa', `${CDN}/a.jpg`, ['--expires-in', '1h', '--ip-address', '192.0.2.0/24']);
    for (const ip of ['banana', '192.0.2.0/24', '']) {
      const r = await run(['explain', url, ...publicKey('rsa'), '--client-ip', ip]);
      clean(r);
      expect(r.code, ip).toBe(3);
      expect(r.stderr).toMatch(
        /^cfsign explain: --client-ip ".*" is not an IP address: .*--client-ip 192\.0\.2\.10/,
      );
      expect(r.stdout).toBe('');
    }
    // an IPv6 viewer is an address: judged, and never matches an IP policy
    const v6 = await run(['explain', url, ...publicKey('rsa'), '--client-ip', '2001:db8::1']);
    expect(v6.code).toBe(1);
    expect(v6.stdout).toMatch(/\(ip-mismatch\)/);
    expect(v6.stdout).toMatch(/IPv6 viewers never match/);
  });
});
