import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const fromCf = (s: string) =>
  Buffer.from(s.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
const param = (url: string, name: string) => new URLSearchParams(url.split('?')[1]).get(name) ?? undefined;

let dir: string;
/** A URL signed by the CLI with the RSA test key, with `extra` flags. */
const sign = async (extra: string[] = []) =>
  (
    await run([
      'sign',
      'url',
      '--url',
      'https://cdn.example.com/a.jpg',
      '--key-pair-id',
      'K2JCJMDEHXQW5F',
      '--private-key',
      join(dir, 'rsa', 'private_key.pem'),
      ...extra,
    ])
  ).stdout.trim();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cfsign-cli-'));
  expect((await run(['keygen', '--type', 'rsa', '--out', join(dir, 'rsa')])).code).toBe(0);
  expect((await run(['keygen', '--out', join(dir, 'ec')])).code).toBe(0);
});

describe('cfsign keygen', () => {
  test('writes a 0600 private key and prints the public key with next steps', async () => {
    expect(statSync(join(dir, 'rsa', 'private_key.pem')).mode & 0o777).toBe(0o600);
    const r = await run(['keygen', '--out', join(dir, 'rsa')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--force/);
    const json = JSON.parse((await run(['keygen', '--out', join(dir, 'k3'), '--json'])).stdout);
    expect(json.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(JSON.stringify(json)).not.toMatch(/PRIVATE KEY-----/);
  });
});

describe('cfsign sign url (aws cloudfront sign flags)', () => {
  test('canned RSA URL, canonicalized, signature checked with node:crypto', async () => {
    const r = await run([
      'sign',
      'url',
      '--url',
      'https://d111111abcdef8.cloudfront.net/a b.pdf',
      '--key-pair-id',
      'K2JCJMDEHXQW5F',
      '--private-key',
      `file://${join(dir, 'rsa', 'private_key.pem')}`,
      '--date-less-than',
      '2030-01-01T00:00:00Z',
    ]);
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    expect(url).toMatch(
      /^https:\/\/d111111abcdef8\.cloudfront\.net\/a%20b\.pdf\?Expires=1893456000&Signature=[\w~-]+&Key-Pair-Id=K2JCJMDEHXQW5F$/,
    );
    const policy =
      '{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/a%20b.pdf","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}';
    const pub = createPublicKey(readFileSync(join(dir, 'rsa', 'public_key.pem')));
    expect(verify('sha1', Buffer.from(policy), pub, fromCf(url.split('Signature=')[1]!.split('&')[0]!))).toBe(
      true,
    );
  });

  test('custom policy via --policy-resource, epoch seconds, --json', async () => {
    const r = await run([
      'sign',
      'url',
      '--url',
      'https://cdn.example.com/v/1/index.m3u8',
      '--policy-resource',
      'https://cdn.example.com/v/1/*',
      '--key-pair-id',
      'K2JCJMDEHXQW5F',
      '--private-key',
      join(dir, 'ec', 'private_key.pem'),
      '--date-less-than',
      '1893456000',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ keyType: 'ec', hashAlgorithm: 'SHA256' });
    expect(fromCf(param(out.url, 'Policy')!).toString()).toContain(
      '"Resource":"https://cdn.example.com/v/1/*"',
    );
  });

  test('errors carry the code and the fix; usage errors exit 2, input errors 3', async () => {
    const missing = await run(['sign', 'url', '--url', 'https://h/a']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--key-pair-id is required/);
    const bad = await run([
      'sign',
      'url',
      '--url',
      'https://h/a',
      '--key-pair-id',
      'K1',
      '--private-key',
      join(dir, 'rsa', 'private_key.pem'),
      '--expires-in',
      '1h',
      '--ip-address',
      '2001:db8::1',
    ]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/ERR_INVALID_IP_RANGE.*IPv4 only/);
    const pub = await run([
      'sign',
      'url',
      '--url',
      'https://h/a',
      '--key-pair-id',
      'K1',
      '--private-key',
      join(dir, 'rsa', 'public_key.pem'),
      '--expires-in',
      '1h',
    ]);
    expect(pub.code).toBe(3);
    expect(pub.stderr).toMatch(/ERR_UNSUPPORTED_KEY_FORMAT/);
    expect(pub.stderr + bad.stderr).not.toMatch(/-----BEGIN/);
  });
});

describe('cfsign sign cookies', () => {
  test('prints Set-Cookie lines with the attributes', async () => {
    const r = await run([
      'sign',
      'cookies',
      '--url',
      'https://cdn.example.com/private/*',
      '--domain',
      'example.com',
      '--key-pair-id',
      'K2JCJMDEHXQW5F',
      '--private-key',
      join(dir, 'rsa', 'private_key.pem'),
      '--expires-in',
      '12h',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^Set-Cookie: CloudFront-Policy=[\w~-]+; Domain=example\.com; Path=\/private\/; Secure; HttpOnly; SameSite=Lax$/,
    );
    expect(lines.some((l) => l.startsWith('Set-Cookie: CloudFront-Expires=; '))).toBe(true);
  });
});

describe('cfsign explain', () => {
  test('valid: exit 0, decoded policy and verdict', async () => {
    const url = await sign(['--expires-in', '1h']);
    const r = await run(['explain', url, '--public-key', `file://${join(dir, 'rsa', 'public_key.pem')}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Policy\s+canned/);
    expect(r.stdout).toMatch(/Verdict\s+VALID/);
  });

  test.each([
    ['tampered', (u: string) => u.replace('a.jpg', 'b.jpg'), 'bad-signature', /URL changed after signing/],
    ['wrong key id', (u: string) => u.replace('K2JCJMDEHXQW5F', 'KOTHER'), 'unknown-key', /key group/],
  ])('%s: exit 1 with the reason and what to do', async (_t, mutate, reason, advice) => {
    const url = mutate(await sign(['--expires-in', '1h']));
    const r = await run([
      'explain',
      url,
      '--public-key',
      join(dir, 'rsa', 'public_key.pem'),
      '--key-pair-id',
      'K2JCJMDEHXQW5F',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.verdict.reason).toBe(reason);
    expect(out.verdict.advice).toMatch(advice);
  });

  test.each([
    [
      'not yet valid',
      ['--date-greater-than', '2029-01-01T00:00:00Z', '--date-less-than', '2030-01-01T00:00:00Z'],
      (u: string) => u,
      'not-yet-valid',
      /clock/,
    ],
    [
      'resource mismatch',
      ['--policy-resource', 'https://cdn.example.com/a.jpg', '--expires-in', '1h'],
      (u: string) => u.replace('a.jpg?', 'a.jpg?x=1&'),
      'resource-mismatch',
      /trailing \*/,
    ],
    [
      'malformed policy',
      ['--policy-resource', 'https://cdn.example.com/*', '--expires-in', '1h'],
      (u: string) => u.replace('Policy=', 'Policy=x'),
      'malformed-policy',
      /CloudFront base64/,
    ],
    [
      'wrong hash algorithm',
      ['--expires-in', '1h', '--hash-algorithm', 'SHA256'],
      (u: string) => u.replace('&Hash-Algorithm=SHA256', ''),
      'wrong-hash-algorithm',
      /Hash-Algorithm=SHA256/,
    ],
  ])('%s is named, with the fix', async (_t, flags, mutate, reason, advice) => {
    const url = mutate(await sign(flags));
    const r = await run(['explain', url, '--public-key', join(dir, 'rsa', 'public_key.pem'), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.verdict.reason).toBe(reason);
    expect(out.verdict.advice).toMatch(advice);
  });

  test('expired and IP: judged at --now and --client-ip', async () => {
    const url = await sign(['--date-less-than', '2030-01-01T00:00:00Z', '--ip-address', '192.0.2.0/24']);
    const pubFlag = ['--public-key', join(dir, 'rsa', 'public_key.pem')];
    const later = await run([
      'explain',
      url,
      ...pubFlag,
      '--client-ip',
      '192.0.2.9',
      '--now',
      '2031-01-01T00:00:00Z',
    ]);
    expect(later.code).toBe(1);
    expect(later.stdout).toMatch(/\(expired\)/);
    const elsewhere = await run(['explain', url, ...pubFlag, '--client-ip', '198.51.100.1']);
    expect(elsewhere.stdout).toMatch(/\(ip-mismatch\)/);
    const ok = await run(['explain', url, ...pubFlag, '--client-ip', '192.0.2.9']);
    expect(ok.code).toBe(0);
  });
});

describe('exit codes as documented: 2 usage, 3 bad input', () => {
  const key = () => join(dir, 'rsa', 'private_key.pem');
  const signUrl = ['sign', 'url', '--url', 'https://cdn.example.com/a.jpg', '--key-pair-id', 'K1'];
  const rewriteFlags = (rules: string) => [
    '--page-url',
    'https://www.example.com/',
    '--key-pair-id',
    'K1',
    '--private-key',
    'KEY',
    '--rules',
    rules,
  ];

  test.each([
    [
      'a missing key file',
      [...signUrl, '--private-key', 'file:///nonexistent/key.pem', '--expires-in', '1h'],
      /cannot read/,
    ],
    [
      'a date that is not one',
      [...signUrl, '--private-key', 'KEY', '--date-less-than', 'tomorrow'],
      /not a date/,
    ],
    ['explain of something that is not a URL', ['explain', 'not a url'], /is not a URL/],
    ['explain of a non-http URL', ['explain', 'ftp://cdn.example.com/a.jpg'], /not an http\(s\) URL/],
    [
      'rewrite of a file that does not exist',
      ['rewrite', '/nonexistent/page.html', ...rewriteFlags('RULES')],
      /cannot read/,
    ],
    [
      'rewrite with rules that are not JSON',
      ['rewrite', 'PAGE', ...rewriteFlags('BADRULES')],
      /not valid JSON/,
    ],
    [
      'serve with an origin that is not http(s): the CfsignError as code: message',
      ['serve', '--origin', 'ftp://origin.example', '--key-pair-id', 'K1', '--public-key', 'PUB'],
      /^cfsign serve: ERR_INVALID_URL: emulator: an http origin needs an http: or https: URL/,
    ],
    [
      'serve with a path pattern CloudFront refuses: the CfsignError as code: message',
      ['serve', '--dir', 'DIR', '--path-pattern', '/a b/*', '--key-pair-id', 'K1', '--public-key', 'PUB'],
      /^cfsign serve: ERR_INVALID_DISTRIBUTION: emulator: invalid path pattern "\/a b\/\*"/,
    ],
  ])('%s: exit 3, one clear line', async (_t, args, message) => {
    writeFileSync(
      join(dir, 'rules.json'),
      JSON.stringify({ cdn: 'https://cdn.example.com', rules: [{ match: '/m/**' }] }),
    );
    writeFileSync(join(dir, 'bad-rules.json'), '{ not json');
    writeFileSync(join(dir, 'page.html'), '<img src="/m/a.jpg">');
    const files: Record<string, string> = {
      KEY: key(),
      RULES: join(dir, 'rules.json'),
      BADRULES: join(dir, 'bad-rules.json'),
      PAGE: join(dir, 'page.html'),
      PUB: join(dir, 'ec', 'public_key.pem'),
      DIR: dir,
    };
    const r = await run(args.map((a) => files[a] ?? a));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('explain with a public key file that is garbage, or a private key: exit 3, not a verdict', async () => {
    const url = await sign(['--expires-in', '1h']);
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, '-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n');
    const g = await run(['explain', url, '--public-key', garbage]);
    expect(g.code).toBe(3);
    expect(g.stderr).toMatch(/not a PEM public key/);
    expect(g.stdout).not.toMatch(/unknown-key/);
    const p = await run(['explain', url, '--public-key', key()]);
    expect(p.code).toBe(3);
    expect(p.stderr).toMatch(/holds a private key/);
    expect(p.stderr + p.stdout).not.toMatch(/-----BEGIN/);
  });

  test('a missing flag stays a usage error: exit 2', async () => {
    const r = await run([...signUrl, '--expires-in', '1h']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--private-key is required/);
  });

  test('explain of an IP-restricted URL without --client-ip: the IP is reported unchecked, the rest is checked', async () => {
    const url = await sign(['--expires-in', '1h', '--ip-address', '192.0.2.0/24']);
    const pub = ['--public-key', join(dir, 'rsa', 'public_key.pem')];
    const r = await run(['explain', url, ...pub]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/IP condition was not checked \(pass --client-ip/);
    expect(r.stdout).not.toMatch(/ip-mismatch/);
    const json = JSON.parse((await run(['explain', url, ...pub, '--json'])).stdout);
    expect(json.ipChecked).toBe(false);
    expect(json.verdict.ok).toBe(true);
    // everything else is still checked: a damaged signature is refused without --client-ip too
    const damaged = url.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === 'A' ? 'B' : 'A'}`);
    const bad = await run(['explain', damaged, ...pub]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/\(bad-signature\)/);
    expect(bad.stdout).toMatch(/IP +not checked/);
    // and with --client-ip the range is judged
    expect((await run(['explain', url, ...pub, '--client-ip', '198.51.100.7'])).stdout).toMatch(
      /\(ip-mismatch\)/,
    );
  });
});

describe('help', () => {
  test.each(['keygen', 'sign', 'explain'])('cfsign %s --help has examples', async (cmd) => {
    const r = await run([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples?:/);
  });
  test('no command: usage, exit 2; unknown command: exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['frobnicate'])).stderr).toMatch(/unknown command/);
    for (const name of ['constructor', 'toString', '__proto__']) {
      const r = await run([name]);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(/unknown command/);
    }
  });
});
