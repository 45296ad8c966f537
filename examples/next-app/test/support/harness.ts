/**
 * Test set-up for the example: a throw-away key pair, a private bucket of generated media, the
 * emulator in front of it, then `next build` and `next start` with the key passed by environment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '@cfsign/emulator';
import { gradientPng } from './png.js';

export const appDir = fileURLToPath(new URL('../..', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
export const nextBin = join(appDir, 'node_modules/next/dist/bin/next');
export const KEY_PAIR_ID = 'K2JCJMDEHXQW5F';
export const PHOTOS = ['aurora', 'dune', 'fern', 'lagoon', 'ember', 'slate'];

export interface Keys {
  privatePem: string;
  publicPem: string;
  /** The private key as one env-var line (`\n`-escaped), as many secret stores hold it. */
  envValue: string;
}

/** A fresh RSA-2048 key pair; written nowhere but a temp dir and the child processes' env. */
export function makeKeys(): Keys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privatePem, publicPem, envValue: privatePem.trim().replace(/\n/g, '\\n') };
}

/** Writes the private bucket: photos, a video (playlist, segments, poster), members-only files. */
export function makeBucket(root: string): void {
  const palette: [number, number, number][] = [
    [255, 94, 58],
    [214, 170, 92],
    [46, 160, 67],
    [0, 150, 199],
    [190, 60, 30],
    [90, 100, 120],
  ];
  mkdirSync(join(root, 'media/gallery'), { recursive: true });
  mkdirSync(join(root, 'media/forbidden'), { recursive: true });
  PHOTOS.forEach((name, i) => {
    const from = palette[i]!;
    const to: [number, number, number] = [255 - from[0], 255 - from[1], 255 - from[2]];
    writeFileSync(join(root, `media/gallery/${name}.png`), gradientPng(640, 427, from, to));
  });
  writeFileSync(join(root, 'media/forbidden/secret.png'), gradientPng(16, 16, [0, 0, 0], [255, 255, 255]));
  mkdirSync(join(root, 'video/1'), { recursive: true });
  const playlist = ['#EXTM3U', '#EXT-X-TARGETDURATION:4'];
  for (let i = 0; i < 3; i++) {
    playlist.push('#EXTINF:4.0,', `seg${i}.ts`);
    writeFileSync(join(root, `video/1/seg${i}.ts`), Buffer.alloc(188 * 4, 0x47));
  }
  playlist.push('#EXT-X-ENDLIST', '');
  writeFileSync(join(root, 'video/1/index.m3u8'), playlist.join('\n'));
  writeFileSync(join(root, 'video/1/poster.png'), gradientPng(320, 180, [20, 20, 60], [200, 200, 255]));
  mkdirSync(join(root, 'members'), { recursive: true });
  writeFileSync(join(root, 'members/welcome.txt'), 'members only\n');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; resolves with its exit code and combined output. */
export function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The environment of the Next processes: no telemetry, the key by env var only. */
export function nextEnv(keys: Keys, cdn: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    CLOUDFRONT_KEY_PAIR_ID: KEY_PAIR_ID,
    CLOUDFRONT_PRIVATE_KEY: keys.envValue,
    CLOUDFRONT_DOMAIN: cdn,
  };
}

/** Where an app's sources are and which Next runs them (default: this example with its Next 16). */
export interface NextTarget {
  appDir: string;
  nextBin: string;
}

/**
 * Starts `next start` on 127.0.0.1 and waits until it answers. The port is picked free and then
 * handed to Next, so another process may take it in between: that start is retried on a new port.
 */
export async function startNext(
  env: NodeJS.ProcessEnv,
  target: NextTarget = { appDir, nextBin },
  firstPath = '/',
): Promise<RunningNext> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNextOnce(env, target, await freePort(), firstPath);
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('EADDRINUSE')) throw err;
    }
  }
}

/** A running `next start`, and its answer to the very first request it served. */
export interface RunningNext {
  url: string;
  stop: () => Promise<void>;
  logs: () => string;
  first: { path: string; status: number; location: string | null };
}

async function startNextOnce(
  env: NodeJS.ProcessEnv,
  target: NextTarget,
  port: number,
  firstPath: string,
): Promise<RunningNext> {
  const child: ChildProcess = spawn(
    process.execPath,
    [target.nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: target.appDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  let first: RunningNext['first'];
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${logs}`);
    try {
      // The first request the server answers is `firstPath` (no page has rendered before it).
      const res = await fetch(`${url}${firstPath}`, { redirect: 'manual' });
      await res.arrayBuffer();
      first = { path: firstPath, status: res.status, location: res.headers.get('location') };
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`next start did not answer in 120 s:\n${logs}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return { url, stop, logs: () => logs, first };
}

export interface World {
  keys: Keys;
  dir: string;
  cdn: { url: string; close(): Promise<void> };
}

/** Keys, bucket and emulator (trusted key group on /media/*, /video/*, /members/*). */
export async function makeWorld(): Promise<World> {
  const keys = makeKeys();
  const dir = mkdtempSync(join(tmpdir(), 'cfsign-next-'));
  const bucket = join(dir, 'bucket');
  makeBucket(bucket);
  const trusted = [{ [KEY_PAIR_ID]: keys.publicPem }];
  const cdn = await createEmulator({
    behaviors: ['/media/*', '/video/*', '/members/*'].map((pathPattern) => ({
      pathPattern,
      trustedKeyGroups: trusted,
      origin: 'bucket',
    })),
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'bucket' },
    origins: { bucket: { type: 'directory', root: bucket } },
  }).listen(0);
  return { keys, dir, cdn };
}

export async function disposeWorld(w: World | undefined): Promise<void> {
  if (!w) return;
  await w.cdn.close();
  rmSync(w.dir, { recursive: true, force: true });
}
