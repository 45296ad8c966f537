import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner } from '@cfsign/core';
import {
  createEmulator,
  type EmulatorConfig,
  type EmulatorLogEntry,
  type RunningEmulator,
} from '../src/index.js';

/** A fresh key pair in PEM, as a CloudFront key group would hold the public half. */
export function makeKey(type: 'rsa' | 'ec') {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export const RSA = makeKey('rsa');
export const EC = makeKey('ec');
export const OTHER = makeKey('rsa');
export const RSA_ID = 'K2JCJMDEHXQW5F';
export const EC_ID = 'K3ECDSAP256TEST';
export const OTHER_ID = 'KUNTRUSTED0001';

export const rsaSigner = createSigner({ keyPairId: RSA_ID, privateKey: RSA.privatePem, cache: false });
export const rsa256Signer = createSigner({
  keyPairId: RSA_ID,
  privateKey: RSA.privatePem,
  hashAlgorithm: 'SHA256',
  cache: false,
});
export const ecSigner = createSigner({ keyPairId: EC_ID, privateKey: EC.privatePem, cache: false });
export const untrustedSigner = createSigner({
  keyPairId: OTHER_ID,
  privateKey: OTHER.privatePem,
  cache: false,
});

/** A temporary bucket folder with a few files; `cleanup()` removes it. */
export function makeBucket(files: Record<string, string | Buffer>) {
  const root = mkdtempSync(join(tmpdir(), 'cfsign-emulator-'));
  for (const [name, body] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, body);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Start an emulator with a log collector. */
export async function startEmulator(config: Omit<EmulatorConfig, 'logger'>) {
  const logs: EmulatorLogEntry[] = [];
  const running: RunningEmulator = await createEmulator({ ...config, logger: (e) => logs.push(e) }).listen();
  return { ...running, logs };
}

/** Wait until the log holds `count` entries (entries are written when the response closes). */
export async function waitForLogs(logs: unknown[], count: number): Promise<void> {
  await waitUntil(() => logs.length >= count);
}

/** Polls `done` until it holds, or fails after a generous deadline (a busy machine is slow, not wrong). */
export async function waitUntil(done: () => boolean, what = 'the condition', ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A request with a raw request-target, byte for byte (fetch would normalize `..` and escapes). */
export function rawRequest(
  base: string,
  target: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      path: target,
      method: options.method ?? 'GET',
      headers: options.headers,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.end();
  });
}
