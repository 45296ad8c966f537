import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EC,
  EC_ID,
  ecSigner,
  makeBucket,
  RSA,
  RSA_ID,
  rsa256Signer,
  rsaSigner,
  startEmulator,
  untrustedSigner,
  waitForLogs,
} from './helpers.js';

const SECRET_TEXT = 'top secret frames\n';
const bucket = makeBucket({
  'private/movie.txt': SECRET_TEXT,
  'private/deep/a b.txt': 'spaced',
  'public/hello.txt': 'hello world\n',
});
let cdn: Awaited<ReturnType<typeof startEmulator>>;
const xml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

beforeAll(async () => {
  cdn = await startEmulator({
    behaviors: [
      {
        pathPattern: '/private/*',
        trustedKeyGroups: [{ [RSA_ID]: RSA.publicPem }, { [EC_ID]: EC.publicPem }],
        origin: 'bucket',
      },
    ],
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'bucket' },
    origins: { bucket: { type: 'directory', root: bucket.root } },
  });
});
afterAll(async () => {
  await cdn.close();
  bucket.cleanup();
});

/** The `Cookie` header a browser sends back for the signed cookies. */
const cookieOf = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');

async function expectRefusal(res: Response, code: string, message: string) {
  expect(res.status).toBe(403);
  expect(res.headers.get('content-type')).toBe('text/xml');
  expect(res.headers.get('x-cache')).toBe('Error from cloudfront');
  expect(await res.text()).toBe(xml(code, message));
}

describe('signed URLs', () => {
  it.each([
    ['RSA SHA-1', rsaSigner],
    ['RSA SHA-256', rsa256Signer],
    ['ECDSA P-256', ecSigner],
  ])('serves the right bytes for a valid canned URL (%s)', async (_name, signer) => {
    const url = await signer.signUrl(`${cdn.url}/private/movie.txt`, { expiresIn: 600 });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(res.headers.get('via')).toMatch(/\(CloudFront\)$/);
    expect(await res.text()).toBe(SECRET_TEXT);
  });

  it('serves a custom-policy wildcard URL, IP-restricted to the loopback viewer', async () => {
    const url = await rsaSigner.signUrl(`${cdn.url}/private/deep/a%20b.txt?v=2`, {
      expiresIn: 600,
      resource: `${cdn.url}/private/*`,
      ipAddress: '127.0.0.0/8',
    });
    expect(url).toContain('Policy=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('spaced');
  });

  it('serves public behaviors without a signature', async () => {
    const res = await fetch(`${cdn.url}/public/hello.txt`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello world\n');
  });

  it('answers MissingKey when nothing is signed', async () => {
    await expectRefusal(
      await fetch(`${cdn.url}/private/movie.txt`),
      'MissingKey',
      'Missing Key-Pair-Id query parameter or cookie value',
    );
  });

  it('answers UnknownKey for a key outside the behavior key groups', async () => {
    const url = await untrustedSigner.signUrl(`${cdn.url}/private/movie.txt`, { expiresIn: 600 });
    await expectRefusal(await fetch(url), 'UnknownKey', 'Unknown Key');
  });

  it('answers MalformedPolicy for an undecodable policy', async () => {
    const url = `${cdn.url}/private/movie.txt?Policy=%%%not-base64&Signature=AAAA&Key-Pair-Id=${RSA_ID}`;
    await expectRefusal(await fetch(url), 'MalformedPolicy', 'Malformed Policy');
  });

  it('answers AccessDenied for a bad signature, expiry, wrong IP and another resource', async () => {
    const good = await rsaSigner.signUrl(`${cdn.url}/private/movie.txt`, { expiresIn: 600 });
    const sig = /Signature=([^&]+)/.exec(good)![1]!;
    const flipped = good.replace(sig, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
    const expired = await rsaSigner.signUrl(`${cdn.url}/private/movie.txt`, {
      expiresIn: 600,
      now: Date.now() - 3_600_000,
    });
    const wrongIp = await rsaSigner.signUrl(`${cdn.url}/private/movie.txt`, {
      expiresIn: 600,
      resource: `${cdn.url}/private/*`,
      ipAddress: '192.0.2.0/24',
    });
    const otherFile = good.replace('/private/movie.txt', '/private/deep/a%20b.txt');
    for (const url of [flipped, expired, wrongIp, otherFile]) {
      await expectRefusal(await fetch(url), 'AccessDenied', 'Access denied');
    }
  });

  it('does not serve a refused HEAD body', async () => {
    const res = await fetch(`${cdn.url}/private/movie.txt`, { method: 'HEAD' });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('');
  });
});

describe('signed cookies', () => {
  async function cookieHeader(signer = rsaSigner) {
    const { values } = await signer.signCookies(`${cdn.url}/private/*`, {
      expiresIn: 600,
      path: '/private/',
    });
    return cookieOf(values);
  }

  it('serves the right bytes for valid cookies (RSA and ECDSA)', async () => {
    for (const signer of [rsaSigner, ecSigner]) {
      const res = await fetch(`${cdn.url}/private/movie.txt`, {
        headers: { cookie: await cookieHeader(signer) },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(SECRET_TEXT);
    }
  });

  it('keeps other query params in the URL that the policy covers', async () => {
    const res = await fetch(`${cdn.url}/private/movie.txt?quality=hd`, {
      headers: { cookie: await cookieHeader() },
    });
    expect(res.status).toBe(200);
  });

  it('lets signing params in the URL win over valid cookies (docs/signing.md §7)', async () => {
    const res = await fetch(`${cdn.url}/private/movie.txt?Key-Pair-Id=${RSA_ID}`, {
      headers: { cookie: await cookieHeader() },
    });
    await expectRefusal(res, 'AccessDenied', 'Access denied');
  });

  it('refuses tampered cookies', async () => {
    const cookies = (await cookieHeader()).replace(/CloudFront-Signature=(.)/, (_m, c: string) =>
      c === 'A' ? 'CloudFront-Signature=B' : 'CloudFront-Signature=A',
    );
    const res = await fetch(`${cdn.url}/private/movie.txt`, { headers: { cookie: cookies } });
    await expectRefusal(res, 'AccessDenied', 'Access denied');
  });
});

describe('access log', () => {
  it('logs one entry per request with the decision and reason, and never a secret', async () => {
    const start = cdn.logs.length;
    const url = await rsaSigner.signUrl(`${cdn.url}/private/movie.txt?x=1`, { expiresIn: 600 });
    const { values } = await ecSigner.signCookies(`${cdn.url}/private/*`, {
      expiresIn: 600,
      path: '/private/',
    });
    const cookie = cookieOf(values);
    const expired = await ecSigner.signUrl(`${cdn.url}/private/movie.txt`, {
      expiresIn: 120,
      now: Date.now() - 600_000,
    });
    await (await fetch(url)).text();
    await (await fetch(`${cdn.url}/private/movie.txt`, { headers: { cookie } })).text();
    await (await fetch(expired)).text();
    await (await fetch(`${cdn.url}/public/hello.txt`)).text();
    await waitForLogs(cdn.logs, start + 4);
    const entries = cdn.logs.slice(start);
    expect(entries.map(({ requestId: _, detail: __, ...e }) => e)).toEqual([
      {
        method: 'GET',
        path: '/private/movie.txt?x=1',
        status: 200,
        behavior: '/private/*',
        decision: 'allowed',
        keyPairId: RSA_ID,
        source: 'url',
      },
      {
        method: 'GET',
        path: '/private/movie.txt',
        status: 200,
        behavior: '/private/*',
        decision: 'allowed',
        keyPairId: EC_ID,
        source: 'cookie',
      },
      {
        method: 'GET',
        path: '/private/movie.txt',
        status: 403,
        behavior: '/private/*',
        decision: 'denied',
        reason: 'expired',
        keyPairId: EC_ID,
        source: 'url',
      },
      { method: 'GET', path: '/public/hello.txt', status: 200, behavior: '*', decision: 'public' },
    ]);
    expect(entries[2]?.detail).toMatch(/Expired/);
    const text = JSON.stringify(entries);
    const secrets = [
      ...[url, expired].flatMap((u) =>
        [...u.matchAll(/(?:Signature|Policy|Expires)=([^&]+)/g)].map((m) => m[1]!),
      ),
      ...cookie
        .split('; ')
        .map((c) => c.slice(c.indexOf('=') + 1))
        .filter((v) => v !== EC_ID),
      ...[RSA, EC].flatMap((k) => [k.privatePem, k.publicPem].map((pem) => pem.split('\n')[1]!)),
    ];
    expect(secrets.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Signature=|Policy=|CloudFront-/);
  });
});
