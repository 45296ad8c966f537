/**
 * Mistakes a user makes with the CLI's flags, found by an independent probe: each gets a message in
 * the CLI's terms and the documented exit code (2 usage, 3 bad input), never a stack trace nor any
 * private key text.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, ...env }, timeout: 20_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
/** No stack trace, no unhandled rejection: one line of message. */
const clean = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at |Unhandled|node:internal/);
};

let dir: string;
let key: string;
let pem: string;
const URL_ = 'https://d111111abcdef8.cloudfront.net/private/a.jpg';
const signAt = (url: string, extra: string[]) =>
  run(['sign', 'url', '--url', url, '--key-pair-id', 'K2JCJMDEHXQW5F', '--private-key', key, ...extra]);
const signUrl = (extra: string[]) => signAt(URL_, extra);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cfsign-cli-input-'));
  expect((await run(['keygen', '--type', 'rsa', '--out', join(dir, 'k')])).code).toBe(0);
  key = join(dir, 'k', 'private_key.pem');
  pem = readFileSync(key, 'utf8');
});

describe('key text never shows', () => {
  test('the key itself passed where its file path goes is not quoted back', async () => {
    const r = await signUrl(['--expires-in', '1h', `--private-key=${pem}`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--private-key: cannot read the value given \(\d+ characters, not shown/);
    for (const line of pem.split('\n').filter((l) => l.length > 20)) expect(r.stderr).not.toContain(line);
    expect(r.stderr).not.toContain('PRIVATE KEY');
  });
});

describe('cfsign keygen', () => {
  test('--force over a key file readable by others leaves a 0600 private key', async () => {
    const out = join(dir, 'force');
    expect((await run(['keygen', '--out', out])).code).toBe(0);
    chmodSync(join(out, 'private_key.pem'), 0o644);
    const before = readFileSync(join(out, 'private_key.pem'), 'utf8');
    expect((await run(['keygen', '--out', out, '--force'])).code).toBe(0);
    expect(statSync(join(out, 'private_key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'private_key.pem'), 'utf8')).not.toBe(before);
  });

  test('an --out that is a file is bad input, told in one line', async () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    const r = await run(['keygen', '--out', join(dir, 'plain-file')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^cfsign keygen: .*(EEXIST|ENOTDIR).*choose another path\)\n$/);
    clean(r.stderr);
  });
});

describe('cfsign sign', () => {
  test('flags of the other subcommand are refused, not ignored', async () => {
    const cookies = await run([
      'sign',
      'cookies',
      '--url',
      URL_,
      '--policy-resource',
      'https://d111111abcdef8.cloudfront.net/private/*',
      '--key-pair-id',
      'K2JCJMDEHXQW5F',
      '--private-key',
      key,
      '--expires-in',
      '1h',
    ]);
    expect(cookies.code).toBe(2);
    expect(cookies.stderr).toMatch(/--policy-resource is for `cfsign sign url`/);
    const url = await signUrl(['--expires-in', '1h', '--canned', '--domain', 'example.com']);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/--domain, --canned are for `cfsign sign cookies`/);
  });

  test('--expires-in with --date-less-than is a usage error; a year as epoch seconds is named', async () => {
    const both = await signUrl(['--expires-in', '1h', '--date-less-than', '2030-01-01T00:00:00Z']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --expires-in or --date-less-than/);
    const year = await signUrl(['--date-less-than', '2030']);
    expect(year.code).toBe(3);
    expect(year.stderr).toMatch(
      /epoch second 2030 \(1970-01-01T00:33:50\.000Z\); write a date such as 2030-01-01T00:00:00Z/,
    );
  });

  test('an encrypted key is opened with CFSIGN_PASSPHRASE, and its absence is told in those terms', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const encrypted = createPrivateKey(pem).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'test-secret',
    }) as string;
    writeFileSync(join(dir, 'enc.pem'), encrypted);
    const args = ['--expires-in', '1h', '--private-key', join(dir, 'enc.pem')];
    const none = await signUrl(args);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/set its passphrase in the CFSIGN_PASSPHRASE environment variable/);
    const wrong = await run(['sign', 'url', '--url', URL_, '--key-pair-id', 'K2JCJMDEHXQW5F', ...args], {
      CFSIGN_PASSPHRASE: 'nope',
    });
    expect(wrong.stderr).toMatch(/CFSIGN_PASSPHRASE does not open it/);
    const ok = await run(['sign', 'url', '--url', URL_, '--key-pair-id', 'K2JCJMDEHXQW5F', ...args], {
      CFSIGN_PASSPHRASE: 'test-secret',
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Signature=/);
  });

  test('library options the CLI does not have are not offered', async () => {
    const r = await signAt(`${URL_}?Expires=1`, ['--expires-in', '1h']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/rename it, or remove it from the URL/);
    expect(r.stderr).not.toMatch(/reservedParams/);
  });
});

describe('cfsign rewrite', () => {
  const rules = (extra: Record<string, unknown> = {}) => {
    const file = join(dir, `rules-${Object.keys(extra).join('-') || 'plain'}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        cdn: 'https://d111111abcdef8.cloudfront.net',
        origins: ['https://www.example.com'],
        rules: [{ match: '/private/**', expiresIn: '10m', ...extra }],
      }),
    );
    return file;
  };
  const rewrite = (
    page: string,
    rulesFile: string,
    extra: string[] = [],
    env: Record<string, string> = {},
  ) => {
    writeFileSync(join(dir, 'page.html'), page);
    return run(
      [
        'rewrite',
        join(dir, 'page.html'),
        '--rules',
        rulesFile,
        '--key-pair-id',
        'K2JCJMDEHXQW5F',
        '--private-key',
        key,
        '--page-url',
        'https://www.example.com/',
        ...extra,
      ],
      env,
    );
  };

  test('a link the signer refuses is bad input in one line, not a crash', async () => {
    const r = await rewrite('<img src="/private/a.jpg?Expires=1">', rules());
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^cfsign rewrite: ERR_RESERVED_QUERY_PARAM: /);
    clean(r.stderr);
  });

  test('a rule for the viewer address needs --client-ip', async () => {
    const r = await rewrite('<img src="/private/a.jpg">', rules({ ipAddress: 'client' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--client-ip is required/);
    const ok = await rewrite('<img src="/private/a.jpg">', rules({ ipAddress: 'client' }), [
      '--client-ip',
      '192.0.2.7',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Policy=/);
  });

  test('an --out in a missing directory is bad input in one line', async () => {
    const r = await rewrite('<img src="/private/a.jpg">', rules(), [
      '--out',
      join(dir, 'no-such-dir', 'out.html'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ENOENT.*create it, or choose another path/);
    clean(r.stderr);
  });
});

describe('cfsign serve', () => {
  const serve = (extra: string[]) =>
    run([
      'serve',
      '--public-key',
      join(dir, 'k', 'public_key.pem'),
      '--key-pair-id',
      'K2JCJMDEHXQW5F',
      ...extra,
    ]);

  test('a --dir that does not exist is refused at start-up', async () => {
    const r = await serve(['--dir', join(dir, 'no-such-bucket')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--dir ".*no-such-bucket" is not a directory/);
  });

  test('a port in use and a host that does not resolve are bad input in one line', async () => {
    mkdirSync(join(dir, 'bucket'), { recursive: true });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as { port: number }).port);
    try {
      const inUse = await serve(['--dir', join(dir, 'bucket'), '--port', port]);
      expect(inUse.code).toBe(3);
      expect(inUse.stderr).toMatch(/EADDRINUSE.*pass --port with a free port/);
      clean(inUse.stderr);
    } finally {
      taken.close();
    }
    const host = await serve(['--dir', join(dir, 'bucket'), '--port', '0', '--host', 'no-such-host.invalid']);
    expect(host.code).toBe(3);
    expect(host.stderr).toMatch(/ENOTFOUND|EAI_AGAIN/);
    clean(host.stderr);
  });
});
