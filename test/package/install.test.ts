/**
 * The packages as a user gets them: each `@cfsign/*` package is packed with `pnpm pack`, installed
 * with plain `npm i` into an empty project, and used from ESM, from CommonJS and from TypeScript
 * (ESM and CommonJS consumers). The Express snippet of the root README runs as written, from the
 * packed tarballs, against a real Express 5 on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnServer } from './spawn-server.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const packages = readdirSync(join(repo, 'packages'));
const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8'));
const versionOf = (name: string) => manifest('express').devDependencies[name] as string;

/** The code block that follows the README's "run as written" marker. */
export function readmeExpressSnippet(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const at = readme.indexOf('<!-- The block below is run as written by test/package/install.test.ts');
  expect(at, 'README marker').toBeGreaterThan(0);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(block, 'README js block').not.toBeNull();
  return block![1]!;
}

let dir: string;
let app: string;
const tarballs: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cfsign-install-'));
  const packs = join(dir, 'packs');
  mkdirSync(packs);
  for (const p of packages) {
    const { stdout } = await run('pnpm', ['pack', '--pack-destination', packs], {
      cwd: join(repo, 'packages', p),
    });
    tarballs[manifest(p).name] = stdout.trim().split('\n').pop()!;
  }
  app = join(dir, 'app');
  mkdirSync(join(app, 'public'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true }));
  // @cfsign/core and @cfsign/express, and the @cfsign packages they pull in (not on the registry yet)
  const byName = new Map(packages.map((p) => [manifest(p).name as string, manifest(p)]));
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of Object.keys(byName.get(name)?.dependencies ?? {})) if (byName.has(dep)) add(dep);
  };
  add('@cfsign/core');
  add('@cfsign/express');
  await run(
    'npm',
    [
      'i',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...[...wanted].map((n) => tarballs[n]!),
      `express@${versionOf('express')}`,
      `compression@${versionOf('compression')}`,
      `@types/express@${versionOf('@types/express')}`,
      `@types/node@${JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies['@types/node']}`,
    ],
    { cwd: app, timeout: 240_000 },
  );
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every package packs with its LICENSE, README, both builds and types', () => {
  test.each(packages)('@cfsign/%s', async (p) => {
    const { stdout } = await run('tar', ['tzf', tarballs[manifest(p).name]!]);
    const files = stdout.split('\n');
    for (const f of [
      'package/LICENSE',
      'package/README.md',
      'package/package.json',
      'package/dist/cjs/package.json',
    ])
      expect(files, f).toContain(f);
    expect(files.some((f) => /^package\/dist\/cjs\/.*\.d\.ts$/.test(f))).toBe(true);
    expect(readFileSync(join(repo, 'packages', p, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(repo, 'LICENSE'), 'utf8'),
    );
    const readme = readFileSync(join(repo, 'packages', p, 'README.md'), 'utf8');
    const install = readme
      .split('\n')
      .slice(0, 6)
      .find((l) => l.startsWith('npm i '));
    expect(install, 'README starts with its install line').toBeDefined();
    expect(install!.split(/\s+/)).toContain(manifest(p).name);
  });
});

describe('a fresh npm project with the packed @cfsign/core and @cfsign/express', () => {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const env = {
    ...process.env,
    CF_KEY_PAIR_ID: 'K2JCJMDEHXQW5F',
    CF_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    PORT: '0',
  };

  test("runs the root README's Express snippet as written and serves signed links", async () => {
    writeFileSync(join(app, 'server.mjs'), readmeExpressSnippet());
    writeFileSync(join(app, 'public', 'index.html'), '<img src="/media/cat.jpg"><a href="/about">about</a>');
    const server = await spawnServer(process.execPath, ['server.mjs'], { cwd: app, env });
    try {
      const res = await fetch(`${server.url}index.html`);
      const html = await res.text();
      expect(html).toMatch(
        /<img src="https:\/\/cdn\.example\.com\/media\/cat\.jpg\?Expires=\d+&amp;Signature=[A-Za-z0-9~_-]+&amp;Key-Pair-Id=K2JCJMDEHXQW5F&amp;Hash-Algorithm=SHA256">/,
      );
      expect(html).toContain('<a href="/about">about</a>');
    } finally {
      await server.stop();
    }
  });

  test('works from require(), with the same exports as from import', async () => {
    const script = `
      const assert = require('node:assert');
      const core = require('@cfsign/core');
      const { cloudfrontSigner } = require('@cfsign/express');
      const signer = core.createSigner({ keyPairId: process.env.CF_KEY_PAIR_ID, privateKey: process.env.CF_PRIVATE_KEY });
      assert.equal(typeof cloudfrontSigner, 'function');
      assert.equal(core.backendName, 'node');
      const url = signer.signUrlSync('https://cdn.example.com/a.jpg', { expiresIn: '5m' });
      assert.match(url, /^https:\\/\\/cdn\\.example\\.com\\/a\\.jpg\\?Expires=\\d+&Signature=.+&Key-Pair-Id=K2JCJMDEHXQW5F&Hash-Algorithm=SHA256$/);
      import('@cfsign/core').then((esm) => {
        assert.deepEqual(Object.keys(core).filter((k) => k !== 'default').sort(), Object.keys(esm).filter((k) => k !== 'default').sort());
        console.log('cjs ok');
      });`;
    writeFileSync(join(app, 'check.cjs'), script);
    const { stdout } = await run(process.execPath, ['check.cjs'], { cwd: app, env });
    expect(stdout).toContain('cjs ok');
  });

  test('type-checks from TypeScript ESM and CommonJS consumers', async () => {
    const body = (imp: string) => `${imp}
const signer = createSigner({ keyPairId: 'K2JCJMDEHXQW5F', privateKey: process.env.CF_PRIVATE_KEY ?? '' });
const handler = cloudfrontSigner({ signer, rules: { cdn: 'https://cdn.example.com', rules: [{ match: '/media/**' }] } });
const app = express();
app.use(handler);
const url: Promise<string> = signer.signUrl('https://cdn.example.com/a.jpg', { expiresIn: '5m' });
// @ts-expect-error expiresIn is a duration, not a boolean
signer.signUrl('https://cdn.example.com/a.jpg', { expiresIn: true });
void url;
`;
    writeFileSync(
      join(app, 'esm.mts'),
      body(
        "import express from 'express';\nimport { createSigner } from '@cfsign/core';\nimport { cloudfrontSigner } from '@cfsign/express';",
      ),
    );
    writeFileSync(
      join(app, 'cjs.cts'),
      body(
        "import express = require('express');\nimport { createSigner } from '@cfsign/core';\nimport { cloudfrontSigner } from '@cfsign/express';",
      ),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          strict: true,
          noEmit: true,
          types: ['node'],
          skipLibCheck: false,
        },
        files: ['esm.mts', 'cjs.cts'],
      }),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).catch((e) => e);
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
  });
});
