import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSigner, verifySignedUrl } from '@cfsign/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

let dir: string;
const KID = 'K2JCJMDEHXQW5F';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cfsign-cli-rw-'));
  expect((await run(['keygen', '--out', join(dir, 'keys')])).code).toBe(0);
  writeFileSync(
    join(dir, 'rules.json'),
    JSON.stringify({
      cdn: 'https://d111111abcdef8.cloudfront.net',
      origins: ['https://www.example.com'],
      rules: [{ match: '/media/**', expiresIn: '10m' }],
    }),
  );
});

describe('cfsign rewrite', () => {
  test('signs matching links only, leaves scripts and other links byte-identical', async () => {
    const page =
      '<p><img src="/media/a.jpg" alt=x> <a href="/about">x</a><script>var u="/media/b.jpg"</script><!-- /media/c.jpg --></p>';
    writeFileSync(join(dir, 'page.html'), page);
    const r = await run([
      'rewrite',
      join(dir, 'page.html'),
      '--rules',
      join(dir, 'rules.json'),
      '--key-pair-id',
      KID,
      '--private-key',
      `file://${join(dir, 'keys', 'private_key.pem')}`,
      '--page-url',
      'https://www.example.com/',
      '--out',
      join(dir, 'out.html'),
    ]);
    expect(r.code).toBe(0);
    const out = readFileSync(join(dir, 'out.html'), 'utf8');
    const m = /src="([^"]+)"/.exec(out)!;
    const signed = m[1]!.replaceAll('&amp;', '&');
    expect(signed.startsWith('https://d111111abcdef8.cloudfront.net/media/a.jpg?Expires=')).toBe(true);
    expect(out.replace(m[1]!, '/media/a.jpg')).toBe(page);
    const verdict = await verifySignedUrl(signed, {
      keys: { [KID]: readFileSync(join(dir, 'keys', 'public_key.pem'), 'utf8') },
    });
    expect(verdict.ok).toBe(true);
  });

  test('bad rules: usage error naming the problem', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"cdn": 1}');
    const r = await run([
      'rewrite',
      join(dir, 'page.html'),
      '--rules',
      join(dir, 'bad.json'),
      '--key-pair-id',
      KID,
      '--private-key',
      join(dir, 'keys', 'private_key.pem'),
      '--page-url',
      'https://www.example.com/',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ERR_INVALID_RULE/);
  });
});

describe('cfsign serve', () => {
  let child: ReturnType<typeof spawn>;
  let base = '';
  const logs: string[] = [];
  beforeAll(async () => {
    mkdirSync(join(dir, 'bucket', 'private'), { recursive: true });
    writeFileSync(join(dir, 'bucket', 'private', 'a.txt'), 'secret bytes');
    writeFileSync(join(dir, 'bucket', 'hello.txt'), 'public bytes');
    child = spawn(process.execPath, [
      bin,
      'serve',
      '--dir',
      join(dir, 'bucket'),
      '--path-pattern',
      '/private/*',
      '--public-key',
      join(dir, 'keys', 'public_key.pem'),
      '--key-pair-id',
      KID,
      '--port',
      '0',
    ]);
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('serve did not start')), 10_000);
      child.stdout!.on('data', (d: Buffer) => {
        logs.push(d.toString());
        const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(d.toString());
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
  });
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  test('serves signed requests, refuses the rest with 403 XML, logs the reason', async () => {
    const signer = createSigner({
      keyPairId: KID,
      privateKey: readFileSync(join(dir, 'keys', 'private_key.pem'), 'utf8'),
    });
    const ok = await fetch(await signer.signUrl(`${base}/private/a.txt`, { expiresIn: '5m' }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('secret bytes');
    const denied = await fetch(`${base}/private/a.txt`);
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain('<Code>MissingKey</Code>');
    expect((await fetch(`${base}/hello.txt`)).status).toBe(200);
    const logged = /403 denied \(missing-key-pair-id\) GET \/private\/a\.txt/;
    for (const deadline = Date.now() + 20_000; !logged.test(logs.join('')) && Date.now() < deadline; )
      await new Promise((r) => setTimeout(r, 10));
    const text = logs.join('');
    expect(text).toMatch(/403 denied \(missing-key-pair-id\) GET \/private\/a\.txt/);
    expect(text).not.toMatch(/Signature=/);
  });
});
