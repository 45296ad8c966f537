import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type CliIo, runCli } from '../src/index.js';

// The emulator's fixtures: a distribution written from the CloudFront API and CloudFormation references.
const fixtures = fileURLToPath(new URL('../../emulator/test/fixtures/', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const API_ARGS = [
  '--distribution',
  'distribution.json',
  '--key-groups',
  'key-group-main.json',
  '--key-groups',
  'key-group-partner.json',
  '--public-keys',
  'public-key-main.json',
  '--cache-policies',
  'cache-policy-signed-media.json',
];

async function cfsign(args: string[], cwd = fixtures) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), now: () => Date.now(), cwd };
  const code = await runCli(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('cfsign check', () => {
  test('a correct distribution (AWS CLI outputs) passes with no findings', async () => {
    const r = await cfsign([
      'check',
      ...API_ARGS,
      '--rules',
      'rules.json',
      '--key-pair-id',
      'K2JCJMDEHXQW5F',
    ]);
    expect(r).toEqual({ code: 0, stdout: 'cfsign check: no findings (6 behaviors, 4 rules).', stderr: '' });
  });

  test('a correct CloudFormation template (YAML) passes', async () => {
    const r = await cfsign([
      'check',
      '--distribution',
      'template.yaml',
      '--rules',
      'rules.json',
      '--key-pair-id',
      'site-2026',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cfsign check: no findings/);
  });

  test('errors exit 1 and name the behavior, the rule and the fix; --json gives the same findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfsign-check-'));
    const rules = JSON.parse(readFileSync(join(fixtures, 'rules.json'), 'utf8'));
    rules.rules.push({ match: '/reports/**' });
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
    const args = [
      'check',
      ...API_ARGS,
      '--rules',
      join(dir, 'rules.json'),
      '--key-pair-id',
      'K3PARTNER0KEY1',
    ];
    const r = await cfsign(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^cfsign check: 3 errors, 0 warnings/);
    expect(r.stdout).toContain(
      'ERROR private-path-public-behavior (behavior * (default), rule rules[4] /reports/**)',
    );
    expect(r.stdout).toContain(
      'ERROR signing-key-not-trusted (behavior /private/*, rule rules[0] /private/**)',
    );
    expect(r.stdout).toMatch(/Fix: CloudFront console → /);
    const json = await cfsign([...args, '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.ok).toBe(false);
    expect(parsed.findings.map((f: { code: string }) => f.code)).toEqual([
      'private-path-public-behavior',
      'signing-key-not-trusted',
      'signing-key-not-trusted',
    ]);
  });

  test('warns that the key was not checked without --key-pair-id', async () => {
    const r = await cfsign(['check', ...API_ARGS, '--rules', 'rules.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/signing key was not checked; pass --key-pair-id/);
  });

  test('usage and input errors exit 2 and 3 with a hint', async () => {
    expect((await cfsign(['check', '--rules', 'rules.json'])).code).toBe(2);
    expect((await cfsign(['check', '--distribution', 'distribution.json'])).code).toBe(2);
    const notADistribution = await cfsign(['check', '--distribution', 'rules.json', '--rules', 'rules.json']);
    expect(notADistribution.code).toBe(3);
    expect(notADistribution.stderr).toMatch(/rules\.json: not a shape cfsign reads/);
    const notJson = await cfsign([
      'check',
      '--distribution',
      'distribution.json',
      '--rules',
      'template.yaml',
    ]);
    expect(notJson.code).toBe(3);
    expect(notJson.stderr).toMatch(/--rules "template\.yaml" is not valid JSON/);
    const missingFile = await cfsign(['check', '--distribution', 'nope.json', '--rules', 'rules.json']);
    expect(missingFile.code).toBe(3);
    expect(missingFile.stderr).toMatch(/cannot read .*nope\.json/);
  });

  test('the installed binary exits 1 on errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfsign-check-bin-'));
    const rules = JSON.parse(readFileSync(join(fixtures, 'rules.json'), 'utf8'));
    rules.rules[0].ipAddress = 'client';
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [
          bin,
          'check',
          ...API_ARGS.map((a) => (a.endsWith('.json') ? join(fixtures, a) : a)),
          '--rules',
          join(dir, 'rules.json'),
          '--json',
        ],
        (err, out) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: out }),
      ),
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout).findings).toEqual([
      expect.objectContaining({ code: 'ip-restriction-with-ipv6', behavior: '/private/*' }),
    ]);
  });
});
