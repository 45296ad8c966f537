// Fault injection on core and the rewriter: keys missing, malformed or of the wrong type (both
// backends), signers that throw, reject, hang or return junk, clocks that jump, origins that fail
// and clients that leave mid-stream. For every case: a clear coded error, no truncated page
// delivered as complete, no URL signed more broadly than its rule, and no key material in console
// output, error messages, stacks, `util.inspect(error)` or bodies.
import { createPrivateKey, sign as cryptoSign, generateKeyPairSync } from 'node:crypto';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as nodeApi from '@cfsign/core';
import { isCfsignError, type Signer } from '@cfsign/core';
import * as webApi from '@cfsign/core/web';
import { compileRules, createLinkSigner, createRewriter } from '@cfsign/rewriter';
import { createNodeRewriteStream } from '@cfsign/rewriter/node';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { generatePage } from '../../bench/page/generate.mjs';
import { CF_ORIGIN } from '../../bench/page/spec.mjs';
import { captureConsole, caught, errorTexts, leakDetector, testKey } from './helpers.js';

const NOW = Date.UTC(2027, 2, 1, 12, 0, 0);
const rsa = testKey('rsa', 'KROTOLD');
const rsa2 = testKey('rsa', 'KROTNEW');
const ec = testKey('ec');
const pem = (k: { privateKey: { export(o: object): string | Buffer } }) =>
  k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const p384 = pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }));
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const rsa1024Pem = pem(rsa1024);
const rsa1024Pkcs1 = rsa1024.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const ed25519 = pem(generateKeyPairSync('ed25519'));
const encrypted = createPrivateKey(rsa.privatePem).export({
  type: 'pkcs8',
  format: 'pem',
  cipher: 'aes-256-cbc',
  passphrase: 'correct horse',
}) as string;
const ALL_PRIVATE = [
  rsa.privatePem,
  rsa2.privatePem,
  ec.privatePem,
  p384,
  rsa1024Pem,
  rsa1024Pkcs1,
  ed25519,
  encrypted,
];
const leaks = leakDetector(ALL_PRIVATE);

const lines = rsa.privatePem.trim().split('\n');
const truncatedWithEnd = [...lines.slice(0, Math.floor(lines.length * 0.6)), lines.at(-1)].join('\n');
const truncatedNoEnd = lines.slice(0, Math.floor(lines.length * 0.6)).join('\n');
const junkInBody = rsa.privatePem.replace(
  lines[5]!,
  `${lines[5]!.slice(0, 20)}!!junk**${lines[5]!.slice(28)}`,
);

let console_: ReturnType<typeof captureConsole>;
beforeEach(() => {
  console_ = captureConsole();
});
afterEach(() => {
  const text = console_.text();
  console_.restore();
  expect(leaks(text), 'key material in console output').toBeNull();
});

/** Asserts a clear error: a CfsignError with one of `codes` (or a TypeError for API misuse), no leak. */
function expectCodedError(err: unknown, codes: readonly string[], typeErrorOk = false): void {
  expect(err, 'an error was thrown').toBeInstanceOf(Error);
  const ok = (isCfsignError(err) && codes.includes(err.code)) || (typeErrorOk && err instanceof TypeError);
  expect(ok, `${(err as Error).name} ${(err as { code?: string }).code}: ${(err as Error).message}`).toBe(
    true,
  );
  expect((err as Error).message.length).toBeGreaterThan(20);
  for (const t of errorTexts(err)) expect(leaks(t), 'key material in the error').toBeNull();
}

const KEY_FORMAT = ['ERR_UNSUPPORTED_KEY_FORMAT', 'ERR_UNSUPPORTED_KEY_TYPE'];
const keyCases: [string, Record<string, unknown>, string[], boolean?][] = [
  ['missing private key', { keyPairId: 'KTEST' }, ['ERR_INVALID_ARGUMENT']],
  ['empty PEM string', { keyPairId: 'KTEST', privateKey: '' }, KEY_FORMAT, true],
  ['RSA public key given as the private key', { keyPairId: 'KTEST', privateKey: rsa.publicPem }, KEY_FORMAT],
  ['EC public key given as the private key', { keyPairId: 'KTEST', privateKey: ec.publicPem }, KEY_FORMAT],
  ['P-384 key', { keyPairId: 'KTEST', privateKey: p384 }, ['ERR_UNSUPPORTED_KEY_TYPE']],
  ['RSA-1024 key (PKCS#8)', { keyPairId: 'KTEST', privateKey: rsa1024Pem }, ['ERR_UNSUPPORTED_KEY_TYPE']],
  ['RSA-1024 key (PKCS#1)', { keyPairId: 'KTEST', privateKey: rsa1024Pkcs1 }, ['ERR_UNSUPPORTED_KEY_TYPE']],
  ['Ed25519 key', { keyPairId: 'KTEST', privateKey: ed25519 }, KEY_FORMAT],
  ['truncated PEM (END line kept)', { keyPairId: 'KTEST', privateKey: truncatedWithEnd }, KEY_FORMAT],
  ['truncated PEM (no END line)', { keyPairId: 'KTEST', privateKey: truncatedNoEnd }, KEY_FORMAT],
  ['PEM with junk in its body', { keyPairId: 'KTEST', privateKey: junkInBody }, KEY_FORMAT],
  ['random bytes', { keyPairId: 'KTEST', privateKey: new Uint8Array(64).fill(7) }, KEY_FORMAT, true],
  [
    'encrypted PKCS#8 without passphrase',
    { keyPairId: 'KTEST', privateKey: encrypted },
    ['ERR_KEY_PASSPHRASE', ...KEY_FORMAT],
  ],
  [
    'encrypted PKCS#8, wrong passphrase',
    { keyPairId: 'KTEST', privateKey: encrypted, passphrase: 'wrong' },
    ['ERR_KEY_PASSPHRASE', ...KEY_FORMAT],
  ],
  [
    'keyring with one malformed key',
    { keyring: { active: 'KA', keys: { KA: rsa.privatePem, KB: truncatedWithEnd } } },
    KEY_FORMAT,
  ],
  [
    'keyring whose active key is absent',
    { keyring: { active: 'KX', keys: { KA: rsa.privatePem } } },
    ['ERR_UNKNOWN_KEY_PAIR_ID'],
  ],
  [
    'key pair id with a PEM in it',
    { keyPairId: rsa.privatePem, privateKey: rsa.privatePem },
    ['ERR_INVALID_KEY_PAIR_ID'],
    true,
  ],
];

describe.each([
  ['node:crypto', nodeApi],
  ['WebCrypto', webApi],
] as const)('keys missing, malformed or of the wrong type (%s)', (backend, api) => {
  test.each(keyCases)('%s', async (_name, options, codes, typeErrorOk) => {
    if (backend === 'WebCrypto' && 'passphrase' in options) {
      // Encrypted PEM is a Node-only feature: WebCrypto must say so with a coded error.
      codes = [...codes, 'ERR_UNSUPPORTED_KEY_FORMAT'];
    }
    const err = await caught(async () => {
      const s = api.createSigner(options as never);
      await s.signUrl('https://cdn.example.com/a.jpg', { expiresIn: '10m' });
    });
    expectCodedError(err, codes, typeErrorOk);
  });

  test('a private key in the verifier key group: refused, never echoed', async () => {
    const err = await caught(() => api.createKeyGroup({ KTEST: rsa.privatePem }));
    if (err !== undefined) expectCodedError(err, KEY_FORMAT, true);
    const verdict = await api.verifySignedUrl(
      'https://cdn.example.com/a.jpg?Expires=1&Signature=AA__&Key-Pair-Id=KTEST',
      {
        keys: { KTEST: truncatedWithEnd },
      },
    );
    expect(verdict.ok).toBe(false);
    expect(leaks(JSON.stringify(verdict))).toBeNull();
  });

  test('util.inspect / JSON of a signer never show the key', async () => {
    const s = api.createSigner({ keyPairId: 'KTEST', privateKey: rsa.privatePem });
    const { inspect } = await import('node:util');
    for (const t of [inspect(s, { depth: 8, showHidden: true }), JSON.stringify(s), String(s)])
      expect(leaks(t)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Signers that fail while a page is being rewritten

const page = generatePage() as { html: string; stats: { targets: number } };
const pageBytes = new TextEncoder().encode(page.html);
const rules = compileRules({
  cdn: CF_ORIGIN,
  origins: ['https://www.example.com'],
  rules: [{ match: '/private/**', expiresIn: '1h' }],
});
const request = { url: 'https://www.example.com/', clientIp: '198.51.100.7' };
const keyGroup = nodeApi.createKeyGroup({
  [rsa.id]: rsa.publicPem,
  [rsa2.id]: rsa2.publicPem,
  [ec.id]: ec.publicPem,
});
const rsaKey = createPrivateKey(rsa.privatePem);
const kms = (data: Uint8Array, hash: 'SHA1' | 'SHA256') =>
  cryptoSign(hash === 'SHA256' ? 'sha256' : 'sha1', data, rsaKey);

/** A KMS-style signer whose k-th call misbehaves. */
function faultySigner(k: number, fault: 'throw' | 'reject' | 'hang' | 'empty' | 'junk-type'): Signer {
  let n = 0;
  return nodeApi.createSigner({
    keyPairId: rsa.id,
    keyType: 'rsa',
    signTimeout: 0.3,
    cache: false,
    sign: (data, hash) => {
      if (++n !== k) return new Uint8Array(kms(data, hash));
      switch (fault) {
        case 'throw':
          throw new Error('KMS: throttled');
        case 'reject':
          return Promise.reject(new Error('KMS: AccessDeniedException'));
        case 'hang':
          return new Promise<Uint8Array>(() => {});
        case 'empty':
          return new Uint8Array(0);
        default:
          return 'not bytes' as unknown as Uint8Array;
      }
    },
  });
}

/** Reads a Web stream to the end; returns the bytes or the error it failed with. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: Uint8Array; error?: unknown }> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
  return { bytes: Buffer.concat(parts) };
}

/** Every signed link of a page, checked against the key group at `now`. */
async function verifyLinks(html: string, now = NOW): Promise<number> {
  const decoded = html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  const links = [...decoded.matchAll(/https:\/\/d111111abcdef8\.cloudfront\.net\/[^"'\s)<>,]+/g)].map(
    (m) => m[0],
  );
  let signed = 0;
  for (const link of links) {
    if (!link.includes('Signature=')) continue;
    const v = await nodeApi.verifySignedUrl(link, { keys: keyGroup, now: now + 1000 });
    expect(v.ok, `${v.reason}: ${link.slice(0, 120)}`).toBe(true);
    expect(v.policy?.canned, 'url rules sign canned policies for exactly one URL').toBe(true);
    signed++;
  }
  return signed;
}

describe('signer faults while rewriting a page (Web stream)', () => {
  const faults = ['throw', 'reject', 'hang', 'empty', 'junk-type'] as const;
  test.each(faults.flatMap((f) => [1, 37].map((k) => [f, k] as const)))(
    'signer %s on link %i: the stream errors (never a complete-looking page), coded error',
    async (fault, k) => {
      const rw = createRewriter({ rules, signer: faultySigner(k, fault), request, now: () => NOW });
      const out = await drain(new Blob([pageBytes]).stream().pipeThrough(rw.stream('html')));
      expect(out.error, 'the stream must error').toBeDefined();
      expectCodedError(out.error, ['ERR_SIGNER_FAILED']);
      expect(out.bytes.length).toBeLessThan(pageBytes.length);
      expect(leaks(Buffer.from(out.bytes).toString('latin1'))).toBeNull();
    },
  );

  test('onLinkError "skip": the page completes, failed links stay as written, the rest verify', async () => {
    const rw = createRewriter({
      rules,
      signer: faultySigner(5, 'reject'),
      request,
      onLinkError: 'skip',
      now: () => NOW,
    });
    const out = await drain(new Blob([pageBytes]).stream().pipeThrough(rw.stream('html')));
    expect(out.error).toBeUndefined();
    const html = Buffer.from(out.bytes).toString('utf8');
    expect(await verifyLinks(html)).toBeGreaterThan(200);
  });

  test('a slow KMS-style signer (async, 0-3 ms each): every link signed, page complete', async () => {
    let n = 0;
    const signer = nodeApi.createSigner({
      keyPairId: rsa.id,
      keyType: 'rsa',
      sign: (data, hash) => new Promise((r) => setTimeout(() => r(new Uint8Array(kms(data, hash))), n++ % 4)),
    });
    const rw = createRewriter({ rules, signer, request, now: () => NOW });
    const out = await drain(new Blob([pageBytes]).stream().pipeThrough(rw.stream('html')));
    expect(out.error).toBeUndefined();
    expect(await verifyLinks(Buffer.from(out.bytes).toString('utf8'))).toBeGreaterThanOrEqual(200);
  });

  test('authorize hook throws on the 10th link: the stream errors with that error', async () => {
    let n = 0;
    const r = compileRules({
      cdn: CF_ORIGIN,
      origins: ['https://www.example.com'],
      rules: [{ match: '/private/**', expiresIn: '1h' }],
      authorize: () => {
        if (++n === 10) throw new Error('entitlement service down');
        return true;
      },
    });
    const signer = nodeApi.createSigner({ keyPairId: rsa.id, privateKey: rsa.privatePem });
    const rw = createRewriter({ rules: r, signer, request, now: () => NOW });
    const out = await drain(new Blob([pageBytes]).stream().pipeThrough(rw.stream('html')));
    expect((out.error as Error)?.message).toBe('entitlement service down');
  });

  test('a client-IP rule without request.clientIp: coded error, stream errors', async () => {
    const r = compileRules({ cdn: CF_ORIGIN, rules: [{ match: '/private/**', ipAddress: 'client' }] });
    const signer = nodeApi.createSigner({ keyPairId: rsa.id, privateKey: rsa.privatePem });
    const rw = createRewriter({
      rules: r,
      signer,
      request: { url: 'https://www.example.com/' },
      now: () => NOW,
    });
    const out = await drain(new Blob([pageBytes]).stream().pipeThrough(rw.stream('html')));
    expectCodedError(out.error, ['ERR_INVALID_IP_RANGE']);
  });

  test('a rule lifetime inside the clock-skew margin: coded error at the first link', async () => {
    const r = compileRules({
      cdn: CF_ORIGIN,
      origins: ['https://www.example.com'],
      rules: [{ match: '/private/**', expiresIn: 30, bucket: 1 }],
    });
    const signer = nodeApi.createSigner({ keyPairId: rsa.id, privateKey: rsa.privatePem, cache: false });
    const rw = createRewriter({ rules: r, signer, request, now: () => NOW });
    const out = await drain(new Blob([pageBytes]).stream().pipeThrough(rw.stream('html')));
    expectCodedError(out.error, ['ERR_INVALID_EXPIRY']);
  });

  test('key rotation (useKey) in the middle of a page: every link verifies against {old, new}', async () => {
    const signer = nodeApi.createSigner({
      keyring: { active: rsa.id, keys: { [rsa.id]: rsa.privatePem, [rsa2.id]: rsa2.privatePem } },
    });
    let n = 0;
    const resolve = createLinkSigner({ rules, signer, request, now: () => NOW });
    const rw = createRewriter({ rules, signer, request, now: () => NOW });
    void rw;
    const { createRewriteStream } = await import('@cfsign/rewriter');
    const ts = createRewriteStream('html', {
      resolve: (v, c) => {
        if (++n === 100) signer.useKey(rsa2.id);
        return resolve(v, c);
      },
    });
    const out = await drain(new Blob([pageBytes]).stream().pipeThrough(ts));
    const html = Buffer.from(out.bytes).toString('utf8');
    expect(html).toContain(`Key-Pair-Id=${rsa.id}`);
    expect(html).toContain(`Key-Pair-Id=${rsa2.id}`);
    expect(await verifyLinks(html)).toBeGreaterThan(200);
  });
});

// ---------------------------------------------------------------------------------------------
// Clocks that jump

describe('the clock jumps between signing and verifying', () => {
  const signer = nodeApi.createSigner({ keyPairId: ec.id, privateKey: ec.privatePem });
  const url = 'https://cdn.example.com/media/a.mp4';
  const verify = (u: string, at: number) =>
    nodeApi.verifySignedUrl(u, { keys: keyGroup, now: at, clientIp: '198.51.100.7' });
  test.each([
    ['canned', {}],
    ['custom (startsIn 0)', { startsIn: 0 }],
    ['custom (IP)', { ipAddress: '198.51.100.0/24' }],
  ])(
    '%s: backwards within the skew margin passes; past expiry fails; far backwards fails only with a start',
    async (_n, extra) => {
      const u = await signer.signUrl(url, { expiresIn: '10m', now: NOW, ...extra });
      expect((await verify(u, NOW)).ok).toBe(true);
      expect((await verify(u, NOW - 30_000)).ok, '30 s backwards').toBe(true);
      expect((await verify(u, NOW + 9 * 60_000)).ok, '9 min forwards').toBe(true);
      expect((await verify(u, NOW + 3600_000)).reason, '1 h forwards').toBe('expired');
      const far = await verify(u, NOW - 2 * 3600_000);
      expect(far.ok ? 'ok' : far.reason).toBe('startsIn' in extra ? 'not-yet-valid' : 'ok');
    },
  );

  test('signer clock jumps forwards then backwards: the cache never serves a URL from another bucket', async () => {
    for (const at of [NOW, NOW + 2 * 3600_000, NOW - 2 * 3600_000, NOW + 5 * 86_400_000]) {
      const u = await signer.signUrl(url, { expiresIn: '10m', now: at });
      const v = await verify(u, at);
      expect(v.ok, `${new Date(at).toISOString()}: ${v.reason}`).toBe(true);
      expect(Number(new URL(u).searchParams.get('Expires'))).toBeLessThanOrEqual(Math.floor(at / 1000) + 660);
    }
  });

  test('wildcard-policy cache of the rewriter with a clock that jumps: links verify at the new time', async () => {
    const r = compileRules({
      cdn: CF_ORIGIN,
      origins: ['https://www.example.com'],
      rules: [
        {
          match: '/private/**',
          mode: 'wildcard',
          resource: '/private/*',
          expiresIn: '10m',
          authorize: 'any-viewer',
        },
      ],
    });
    let now = NOW;
    const resolve = createLinkSigner({ rules: r, signer, request, now: () => now });
    for (const at of [NOW, NOW + 2 * 3600_000, NOW - 2 * 3600_000, NOW + 30_000]) {
      now = at;
      const link = (await resolve('/private/a.jpg', { kind: 'html' }))!;
      const v = await nodeApi.verifySignedUrl(link, { keys: keyGroup, now: at + 1000 });
      expect(v.ok, `${new Date(at).toISOString()}: ${v.reason}`).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Origins that fail and clients that leave, over real HTTP (rewriter Node stream)

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** An origin body: the page in 4 KiB chunks, failing after `failAt` bytes if given. */
function origin(failAt?: number, onDestroy?: () => void): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (failAt !== undefined && at >= failAt) {
        this.destroy(new Error('origin: ECONNRESET'));
        return;
      }
      if (at >= pageBytes.length) {
        this.push(null);
        return;
      }
      this.push(pageBytes.subarray(at, at + 4096));
      at += 4096;
    },
    destroy(err, cb) {
      onDestroy?.();
      cb(err);
    },
  });
}

async function serve(
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** GETs a URL; resolves with the body and whether the response completed cleanly. */
function fetchRaw(port: number, path = '/'): Promise<{ status: number; body: Buffer; complete: boolean }> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, body: Buffer.concat(parts), complete: res.complete }),
      );
      res.on('error', () =>
        resolve({ status: res.statusCode!, body: Buffer.concat(parts), complete: false }),
      );
      res.on('aborted', () => undefined);
    });
    req.on('error', () => resolve({ status: 0, body: Buffer.alloc(0), complete: false }));
  });
}

describe('HTTP: origin errors and client disconnects mid-stream (rewriter Node stream on 127.0.0.1)', () => {
  const handler =
    (failAt: number | undefined, signer: Signer) =>
    (req: IncomingMessage, res: import('node:http').ServerResponse) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      const rw = createNodeRewriteStream({ format: 'html', rules, signer, request, now: () => NOW });
      pipeline(origin(failAt), rw, res).catch(() => undefined);
      void req;
    };

  test.each([8_192, 100_000, 240_000])(
    'origin fails after %i bytes: the client never sees a complete response',
    async (failAt) => {
      const port = await serve(
        handler(failAt, nodeApi.createSigner({ keyPairId: rsa.id, privateKey: rsa.privatePem })),
      );
      const r = await fetchRaw(port);
      expect(r.complete).toBe(false);
      expect(leaks(r.body.toString('latin1'))).toBeNull();
    },
  );

  test.each([1, 150])(
    'signer fails on link %i mid-stream: the client never sees a complete response',
    async (k) => {
      const port = await serve(handler(undefined, faultySigner(k, 'reject')));
      const r = await fetchRaw(port);
      expect(r.complete).toBe(false);
    },
  );

  test('healthy control: complete response, every link verifies', async () => {
    const port = await serve(
      handler(undefined, nodeApi.createSigner({ keyPairId: rsa.id, privateKey: rsa.privatePem })),
    );
    const r = await fetchRaw(port);
    expect(r.complete).toBe(true);
    expect(await verifyLinks(r.body.toString('utf8'))).toBeGreaterThan(200);
  });

  test('client disconnects after the first bytes: origin and rewriter are torn down, server keeps serving', async () => {
    let destroyed = 0;
    const signer = nodeApi.createSigner({ keyPairId: rsa.id, privateKey: rsa.privatePem });
    const port = await serve((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      const rw = createNodeRewriteStream({ format: 'html', rules, signer, request, now: () => NOW });
      // A slow origin, so that the client leaves mid-body.
      const slow = origin(undefined, () => destroyed++);
      const paced = Readable.from(
        (async function* () {
          for await (const c of slow) {
            await new Promise((r) => setTimeout(r, 2));
            yield c;
          }
        })(),
      );
      paced.on('close', () => slow.destroy());
      pipeline(paced, rw, res).catch(() => undefined);
    });
    await new Promise<void>((resolve) => {
      const req = get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
    });
    const deadline = Date.now() + 30_000;
    while (destroyed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(destroyed, 'the origin stream was destroyed').toBe(1);
    const again = await fetchRaw(port);
    expect(again.complete).toBe(true);
  });
});
