/**
 * The one conformance suite of @cfsign/core. Runtime-neutral: no Node imports, no test framework,
 * so the same file runs in Node (both backends, `run-node.test.ts`) and bundled inside workerd
 * (`run-workerd.test.ts`). Everything it needs comes in as arguments: the API module, the key
 * PEMs and the known-answer vectors (`vectors/*.json`).
 */
import type * as Core from '@cfsign/core/web';

/** The parts of an `@cfsign/core` entry the suite drives. */
export type Api = Pick<
  typeof Core,
  | 'createSigner'
  | 'getSignedUrl'
  | 'getSignedCookies'
  | 'verifySignedUrl'
  | 'verifySignedCookies'
  | 'createKeyGroup'
  | 'canonicalizeUrl'
  | 'cfBase64Decode'
  | 'cfBase64Encode'
  | 'isCfsignError'
  | 'backendName'
>;

/** A known-answer vector as stored in `vectors/*.json`. */
export interface Vector {
  title: string;
  source: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
}

export interface Fixtures {
  /** Key file name (as in packages/core/test/fixtures/keys) → PEM text. */
  keys: Record<string, string>;
  vectors: { canned: Vector[]; custom: Vector[]; spec: Vector[] };
}

/** The tiny assertion interface; throw to fail. A default implementation is exported. */
export interface Assert {
  equal(actual: unknown, expected: unknown, message?: string): void;
  ok(value: unknown, message?: string): void;
  /** Awaits `fn` and checks that it throws a CfsignError with `code` (or a TypeError when code is 'TypeError'). */
  throws(fn: () => unknown, code: string, message?: string): Promise<void>;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
}

export interface Case {
  name: string;
  run(api: Api, assert: Assert): Promise<void>;
}

export const defaultAssert = (api: Pick<Api, 'isCfsignError'>): Assert => ({
  equal(actual, expected, message) {
    if (!Object.is(actual, expected))
      throw new Error(
        `${message ? `${message}: ` : ''}expected ${JSON.stringify(expected)?.slice(0, 400)}, got ${JSON.stringify(actual)?.slice(0, 400)}`,
      );
  },
  ok(value, message) {
    if (!value) throw new Error(message ?? `expected a truthy value, got ${JSON.stringify(value)}`);
  },
  async throws(fn, code, message) {
    let err: unknown;
    try {
      await fn();
    } catch (e) {
      err = e;
    }
    const what = message ? `${message}: ` : '';
    if (err === undefined) throw new Error(`${what}expected an error ${code}, nothing was thrown`);
    if (code === 'TypeError') {
      if (!(err instanceof TypeError)) throw new Error(`${what}expected a TypeError, got ${String(err)}`);
      return;
    }
    if (!api.isCfsignError(err, code as never))
      throw new Error(
        `${what}expected CfsignError ${code}, got ${(err as Error)?.name} ${(err as { code?: string })?.code}: ${(err as Error)?.message}`,
      );
  },
});

const E = 1893456000; // 2030-01-01T00:00:00Z
const NOW = Date.UTC(2029, 11, 31, 23, 30); // within every vector's window
const KID = 'KCONFORMANCE01';
const KID2 = 'KCONFORMANCE02';
const at = (s: number) => ({ seconds: s });

/** The docs/signing.md §4 table (input → resource, fragment). */
const CANONICAL: [string, string, string][] = [
  [
    "HTTPS://CDN.Example.com:443/a/./b/../Photo 1.jpg?x=it's#top",
    'https://cdn.example.com/a/Photo%201.jpg?x=it%27s',
    '#top',
  ],
  ['https://cdn.example.com/café/文.png?q=é', 'https://cdn.example.com/caf%C3%A9/%E6%96%87.png?q=%C3%A9', ''],
  ['https://cdn.example.com/%7Euser/%2e%2e/x', 'https://cdn.example.com/x', ''],
  ['https://bücher.example/x.jpg', 'https://xn--bcher-kva.example/x.jpg', ''],
  ['https://cdn.example.com/p?a=b+c&d=%7e', 'https://cdn.example.com/p?a=b+c&d=%7e', ''],
  ['https://cdn.example.com/p?x=a\\b', 'https://cdn.example.com/p?x=a%5Cb', ''],
];

function replaceParam(url: string, name: string, value: string | null): string {
  const [head, query = ''] = url.split('?') as [string, string?];
  const pairs = query.split('&').filter((p) => !p.startsWith(`${name}=`));
  if (value !== null) pairs.push(`${name}=${value}`);
  return `${head}?${pairs.join('&')}`;
}
function paramOf(url: string, name: string): string | undefined {
  const q = url.slice(url.indexOf('?') + 1).split('#')[0]!;
  return q
    .split('&')
    .find((p) => p.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}
/** Changes one character of a CF-base64 string in its middle (still valid base64). */
function flip(b64: string): string {
  const i = Math.floor(b64.length / 2);
  const c = b64[i] === 'A' ? 'B' : 'A';
  return b64.slice(0, i) + c + b64.slice(i + 1);
}
const cookieHeader = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** All cases; names are stable and unique. */
export function conformanceCases(fx: Fixtures): Case[] {
  const k = (name: string) => {
    const pem = fx.keys[name];
    if (!pem) throw new Error(`fixture key ${name} missing`);
    return pem;
  };
  const cases: Case[] = [];
  const add = (name: string, run: Case['run']) => cases.push({ name, run });
  const rsaKeys = () => ({ [KID]: k('rsa-public.pem'), [KID2]: k('rsa2-public.pem') });
  const ecKeys = () => ({ [KID]: k('ec-public.pem') });

  // ---- §4 canonicalization table --------------------------------------------------------------
  for (const [input, resource, fragment] of CANONICAL) {
    add(`§4 canonical: ${input}`, async (api, t) => {
      const c = api.canonicalizeUrl(input);
      t.equal(c.resource, resource, 'resource');
      t.equal(c.fragment, fragment, 'fragment');
      const url = await api
        .createSigner({ keyPairId: KID, privateKey: k('rsa-pkcs8.pem'), cache: false })
        .signUrl(input, { dateLessThan: at(E), now: NOW });
      t.ok(
        url.startsWith(`${resource}${resource.includes('?') ? '&' : '?'}Expires=${E}&Signature=`),
        `signed URL starts with the resource: ${url.slice(0, 120)}`,
      );
      t.ok(url.endsWith(`&Key-Pair-Id=${KID}${fragment}`), 'fragment re-appended after the signing params');
      t.equal(new URL(url).href, url, 'emitted URL is what a browser sends (WHATWG idempotent)');
      const v = await api.verifySignedUrl(url.slice(0, url.length - fragment.length), {
        keys: rsaKeys(),
        now: NOW,
      });
      t.equal(v.ok, true, `verifies (${v.reason})`);
      t.equal(v.resource, resource, 'verifier resource');
    });
  }
  add('§4 verbatim mode validates without re-serializing', async (api, t) => {
    t.equal(
      api.canonicalizeUrl('https://cdn.example.com/p?a=%7e', { verbatim: true }).resource,
      'https://cdn.example.com/p?a=%7e',
    );
    await t.throws(
      () => api.canonicalizeUrl('https://cdn.example.com/a b', { verbatim: true }),
      'ERR_INVALID_URL',
      'space refused verbatim',
    );
    await t.throws(() => api.canonicalizeUrl('ftp://cdn.example.com/a'), 'ERR_UNSUPPORTED_SCHEME');
    await t.throws(
      () => api.canonicalizeUrl('https://cdn.example.com/a?x=1&Signature=2'),
      'ERR_RESERVED_QUERY_PARAM',
    );
    t.equal(
      api.canonicalizeUrl('https://cdn.example.com/a?x=1&Expires=2', { reservedParams: 'strip' }).resource,
      'https://cdn.example.com/a?x=1',
    );
  });

  // ---- known-answer RSA vectors (OpenSSL-produced) ---------------------------------------------
  for (const v of fx.vectors.canned) {
    for (const keyFile of ['rsa-pkcs8.pem', 'rsa-pkcs1.pem']) {
      add(`KAT ${v.title} [${keyFile}]`, async (api, t) => {
        const i = v.input as {
          url: string;
          keyPairId: string;
          dateLessThan: number;
          hashAlgorithm: 'SHA1' | 'SHA256';
        };
        const signer = api.createSigner({
          keyPairId: i.keyPairId,
          privateKey: k(keyFile),
          cache: false,
          hashAlgorithm: i.hashAlgorithm,
        });
        t.equal(
          await signer.signUrl(i.url, { dateLessThan: at(i.dateLessThan), now: NOW }),
          v.expected.url,
          'signer.signUrl',
        );
        const fn = await api.getSignedUrl({
          url: i.url,
          keyPairId: i.keyPairId,
          privateKey: k(keyFile),
          dateLessThan: new Date(i.dateLessThan * 1000),
          hashAlgorithm: i.hashAlgorithm,
          now: NOW,
        });
        t.equal(fn, v.expected.url, 'getSignedUrl');
        const cookies = await api.getSignedCookies({
          url: i.url,
          keyPairId: i.keyPairId,
          privateKey: k(keyFile),
          dateLessThan: at(i.dateLessThan),
          hashAlgorithm: i.hashAlgorithm,
          now: NOW,
        });
        t.equal(cookies['CloudFront-Signature'], v.expected.signature, 'canned cookie signature');
        t.equal(cookies['CloudFront-Expires'], String(i.dateLessThan), 'CloudFront-Expires');
      });
    }
  }
  for (const v of fx.vectors.custom) {
    add(`KAT ${v.title}`, async (api, t) => {
      const i = v.input as {
        url: string;
        keyPairId: string;
        resource: string;
        dateLessThan: number;
        dateGreaterThan?: number;
        ipAddress?: string;
        hashAlgorithm: 'SHA1' | 'SHA256';
      };
      const signer = api.createSigner({
        keyPairId: i.keyPairId,
        privateKey: k('rsa-pkcs1.pem'),
        cache: false,
      });
      const opts = {
        resource: i.resource,
        dateLessThan: at(i.dateLessThan),
        hashAlgorithm: i.hashAlgorithm,
        now: NOW,
        ...(i.dateGreaterThan ? { dateGreaterThan: at(i.dateGreaterThan) } : {}),
        ...(i.ipAddress ? { ipAddress: i.ipAddress } : {}),
      };
      t.equal(await signer.signUrl(i.url, opts), v.expected.url, 'signUrl');
      const p = await signer.signPolicy(opts);
      t.equal(p.policy, v.expected.policy, 'signPolicy policy bytes');
      t.equal(p.signature, v.expected.signature, 'signPolicy signature');
      const explicit = await api.getSignedUrl({
        url: i.url,
        keyPairId: i.keyPairId,
        privateKey: k('rsa-pkcs8.pem'),
        policy: v.expected.policy as string,
        hashAlgorithm: i.hashAlgorithm,
      });
      t.equal(explicit, v.expected.url, 'getSignedUrl with the explicit policy JSON');
      const c = await signer.signCookies(i.resource, opts);
      t.equal(c.values['CloudFront-Signature'], v.expected.signature, 'cookie signature');
      t.equal(
        c.values['CloudFront-Policy'],
        api.cfBase64Encode(new TextEncoder().encode(v.expected.policy as string)),
        'cookie policy',
      );
    });
  }

  // ---- docs/signing.md §13 worked examples (verify with the fixture public keys) ---------------------
  for (const v of fx.vectors.spec) {
    add(`${v.title}: verifies`, async (api, t) => {
      const i = v.input as {
        publicKey: string;
        keyPairId: string;
        url: string;
        now: string;
        clientIp?: string;
      };
      const keys = { [i.keyPairId]: i.publicKey };
      const opts = { keys, now: new Date(i.now), ...(i.clientIp ? { clientIp: i.clientIp } : {}) };
      const r = await api.verifySignedUrl(i.url, opts);
      t.equal(r.ok, true, `verdict ${r.reason} ${r.detail}`);
      t.equal(r.hashAlgorithm, v.expected.hashAlgorithm, 'hash');
      t.equal(r.resource, v.expected.resource, 'resource');
      // Can fail: a changed signature byte, the Hash-Algorithm marker dropped, or a later clock are refused.
      const bad = replaceParam(i.url, 'Signature', flip(paramOf(i.url, 'Signature')!));
      t.equal((await api.verifySignedUrl(bad, opts)).reason, 'bad-signature', 'tampered signature');
      const flippedHash =
        v.expected.hashAlgorithm === 'SHA256'
          ? replaceParam(i.url, 'Hash-Algorithm', null)
          : `${i.url}&Hash-Algorithm=SHA256`;
      t.equal((await api.verifySignedUrl(flippedHash, opts)).reason, 'bad-signature', 'other hash algorithm');
      t.equal(
        (await api.verifySignedUrl(i.url, { ...opts, now: new Date(E * 1000) })).reason,
        'expired',
        'expired at DateLessThan',
      );
    });
  }
  add('docs/signing.md §13 C as cookies; IP and start enforced', async (api, t) => {
    const v = fx.vectors.spec.find((x) => x.title.startsWith('docs/signing.md §13 C:'))!;
    const i = v.input as { publicKey: string; keyPairId: string; url: string; now: string; clientIp: string };
    const cookies = {
      'CloudFront-Policy': paramOf(i.url, 'Policy')!,
      'CloudFront-Signature': paramOf(i.url, 'Signature')!,
      'CloudFront-Key-Pair-Id': i.keyPairId,
    };
    const keys = api.createKeyGroup({ [i.keyPairId]: i.publicKey });
    const url = 'https://d111111abcdef8.cloudfront.net/images/dog/1.png';
    const ok = await api.verifySignedCookies(url, cookieHeader(cookies), {
      keys,
      now: new Date(i.now),
      clientIp: '192.0.2.1',
    });
    t.equal(ok.ok, true, `${ok.reason} ${ok.detail}`);
    t.equal(ok.source, 'cookie');
    t.equal(
      (await api.verifySignedCookies(url, cookies, { keys, now: new Date(i.now), clientIp: '192.0.3.1' }))
        .reason,
      'ip-mismatch',
    );
    t.equal(
      (
        await api.verifySignedCookies(url, cookies, {
          keys,
          now: Date.UTC(2029, 11, 31, 22, 59, 59),
          clientIp: '192.0.2.1',
        })
      ).reason,
      'not-yet-valid',
    );
    t.equal(
      (
        await api.verifySignedCookies('https://d111111abcdef8.cloudfront.net/video/1.mp4', cookies, {
          keys,
          now: new Date(i.now),
          clientIp: '192.0.2.1',
        })
      ).reason,
      'resource-mismatch',
    );
  });

  // ---- key formats -------------------------------------------------------------------------------
  add('keys: PKCS#1 and PKCS#8 RSA give identical signatures', async (api, t) => {
    const a = api.createSigner({ keyPairId: KID, privateKey: k('rsa-pkcs1.pem'), cache: false });
    const b = api.createSigner({ keyPairId: KID, privateKey: k('rsa-pkcs8.pem'), cache: false });
    t.equal(a.keyType, 'rsa');
    t.equal(a.hashAlgorithm, 'SHA1', 'RSA default hash');
    const o = { dateLessThan: at(E), now: NOW };
    t.equal(
      await a.signUrl('https://cdn.example.com/k.jpg', o),
      await b.signUrl('https://cdn.example.com/k.jpg', o),
    );
  });
  for (const f of ['ec-sec1.pem', 'ec-sec1-params.pem', 'ec-pkcs8.pem']) {
    add(`keys: ECDSA ${f} signs DER, SHA-256 by default, verifies`, async (api, t) => {
      const s = api.createSigner({ keyPairId: KID, privateKey: k(f), cache: false });
      t.equal(s.keyType, 'ec');
      t.equal(s.hashAlgorithm, 'SHA256');
      const url = await s.signUrl('https://cdn.example.com/e.jpg?w=1', { dateLessThan: at(E), now: NOW });
      t.ok(url.endsWith(`&Key-Pair-Id=${KID}&Hash-Algorithm=SHA256`), url);
      const sig = api.cfBase64Decode(paramOf(url, 'Signature')!)!;
      t.ok(
        sig.length >= 68 && sig.length <= 72 && sig[0] === 0x30 && sig[1] === sig.length - 2,
        `DER SEQUENCE, got ${sig.length} bytes starting ${sig[0]}`,
      );
      const r = await api.verifySignedUrl(url, { keys: ecKeys(), now: NOW });
      t.equal(r.ok, true, `${r.reason}`);
      t.equal(
        (
          await api.verifySignedUrl(replaceParam(url, 'Signature', flip(paramOf(url, 'Signature')!)), {
            keys: ecKeys(),
            now: NOW,
          })
        ).ok,
        false,
        'tampered',
      );
    });
  }
  add('keys: ECDSA is randomized but every signature verifies; SHA-1 opt-in verifies', async (api, t) => {
    const s = api.createSigner({ keyPairId: KID, privateKey: k('ec-pkcs8.pem'), cache: false });
    const o = { dateLessThan: at(E), now: NOW };
    const u1 = await s.signUrl('https://cdn.example.com/r.jpg', o);
    const u2 = await s.signUrl('https://cdn.example.com/r.jpg', o);
    t.ok(u1 !== u2, 'two ECDSA signatures differ');
    for (const u of [u1, u2]) t.equal((await api.verifySignedUrl(u, { keys: ecKeys(), now: NOW })).ok, true);
    const sha1 = await s.signUrl('https://cdn.example.com/r.jpg', { ...o, hashAlgorithm: 'SHA1' });
    t.ok(!sha1.includes('Hash-Algorithm'), 'no marker for SHA-1');
    t.equal((await api.verifySignedUrl(sha1, { keys: ecKeys(), now: NOW })).ok, true);
  });
  for (const [f, code] of [
    ['ec-p384.pem', 'ERR_UNSUPPORTED_KEY_TYPE'],
    ['rsa-1024.pem', 'ERR_UNSUPPORTED_KEY_TYPE'],
    ['ed25519.pem', 'ERR_UNSUPPORTED_KEY_TYPE'],
    ['ec-no-public.pem', 'ERR_UNSUPPORTED_KEY_FORMAT'],
    ['rsa-public.pem', 'ERR_UNSUPPORTED_KEY_FORMAT'],
  ] as const) {
    add(`keys: ${f} refused with ${code}`, async (api, t) => {
      await t.throws(async () => {
        const s = api.createSigner({ keyPairId: KID, privateKey: k(f), cache: false });
        await s.signUrl('https://cdn.example.com/x', { dateLessThan: at(E), now: NOW });
      }, code);
    });
  }

  // ---- RSA hashes, URL shapes, verify(sign(x)) -------------------------------------------------
  const shapes: [
    string,
    Record<string, unknown>,
    string,
    { clientIp?: string; now?: number; canned: boolean },
  ][] = [
    ['canned', {}, 'https://cdn.example.com/a/b.jpg?x=1&y=%20z', { canned: true }],
    [
      'custom wildcard',
      { resource: 'https://cdn.example.com/a/*' },
      'https://cdn.example.com/a/deep/c.jpg',
      { canned: false },
    ],
    ['custom path resource', { resource: '/a/*' }, 'https://cdn.example.com/a/d.jpg', { canned: false }],
    ['custom start', { dateGreaterThan: at(E - 7200) }, 'https://cdn.example.com/s.jpg', { canned: false }],
    [
      'custom IP',
      { ipAddress: '198.51.100.0/24' },
      'https://cdn.example.com/i.jpg',
      { clientIp: '198.51.100.200', canned: false },
    ],
    [
      'custom all',
      { resource: 'https://cdn.example.com/*', ipAddress: '198.51.100.9', dateGreaterThan: at(E - 7200) },
      'https://cdn.example.com/q.jpg?a=1',
      { clientIp: '198.51.100.9', canned: false },
    ],
  ];
  for (const hash of ['SHA1', 'SHA256'] as const) {
    for (const [title, extra, url, check] of shapes) {
      add(`RSA ${hash} ${title}: verify(sign(x)) ok, tampering refused`, async (api, t) => {
        const s = api.createSigner({
          keyPairId: KID,
          privateKey: k('rsa-pkcs8.pem'),
          hashAlgorithm: hash,
          cache: false,
        });
        const signed = await s.signUrl(url, { dateLessThan: at(E), now: NOW, ...extra });
        t.equal(
          signed.includes('&Hash-Algorithm=SHA256'),
          hash === 'SHA256',
          'Hash-Algorithm marker iff SHA-256',
        );
        t.equal(signed.includes('Policy='), !check.canned, 'policy form');
        t.equal(signed.includes('Expires='), check.canned, 'never Expires with Policy');
        t.equal(new URL(signed).href, signed, 'browser-idempotent');
        const opts = { keys: rsaKeys(), now: NOW, ...(check.clientIp ? { clientIp: check.clientIp } : {}) };
        const r = await api.verifySignedUrl(signed, opts);
        t.equal(r.ok, true, `verify: ${r.reason} ${r.detail}`);
        t.equal(r.keyPairId, KID);
        t.equal(r.hashAlgorithm, hash);
        const tampered = [
          replaceParam(signed, 'Signature', flip(paramOf(signed, 'Signature')!)),
          replaceParam(signed, 'Key-Pair-Id', KID2),
          signed.replace('https://cdn.example.com/', 'https://cdn.example.net/'),
          check.canned
            ? replaceParam(signed, 'Expires', String(E + 1))
            : replaceParam(signed, 'Policy', flip(paramOf(signed, 'Policy')!)),
        ];
        for (const bad of tampered) {
          const v = await api.verifySignedUrl(bad, opts);
          t.equal(v.ok, false, `tampered URL accepted: ${bad.slice(0, 100)}`);
        }
        t.equal(
          (await api.verifySignedUrl(signed, { ...opts, keys: { [KID2]: k('rsa2-public.pem') } })).reason,
          'unknown-key',
        );
        if (check.clientIp)
          t.equal(
            (await api.verifySignedUrl(signed, { ...opts, clientIp: '203.0.113.1' })).reason,
            'ip-mismatch',
          );
        if ('dateGreaterThan' in extra)
          t.equal(
            (await api.verifySignedUrl(signed, { ...opts, now: (E - 7201) * 1000 })).reason,
            'not-yet-valid',
          );
      });
    }
  }

  // ---- cookies ---------------------------------------------------------------------------------
  for (const [keyFile, hash] of [
    ['rsa-pkcs8.pem', 'SHA1'],
    ['rsa-pkcs8.pem', 'SHA256'],
    ['ec-sec1.pem', 'SHA256'],
  ] as const) {
    add(`cookies: custom ${keyFile} ${hash} verify, attributes, precedence`, async (api, t) => {
      const s = api.createSigner({
        keyPairId: KID,
        privateKey: k(keyFile),
        hashAlgorithm: hash,
        cache: false,
      });
      const c = await s.signCookies('https://cdn.example.com/private/*', {
        dateLessThan: at(E),
        now: NOW,
        domain: 'example.com',
      });
      const names = Object.keys(c.values).sort().join(',');
      t.equal(
        names,
        `CloudFront-Key-Pair-Id,${hash === 'SHA256' ? 'CloudFront-Hash-Algorithm,' : ''}CloudFront-Policy,CloudFront-Signature`
          .split(',')
          .sort()
          .join(','),
        'cookie names',
      );
      for (const cookie of c.cookies) {
        t.equal(cookie.path, '/private/', 'path without *');
        t.equal(cookie.domain, 'example.com');
        t.ok(cookie.secure && cookie.httpOnly, 'Secure; HttpOnly');
      }
      t.ok(
        c.setCookie.some((h) => h.startsWith('CloudFront-Expires=;') && /Max-Age=0/.test(h)),
        'unused canned cookie expired',
      );
      const keys = keyFile.startsWith('ec') ? ecKeys() : rsaKeys();
      const header = c.setCookie
        .map((h) => h.split(';')[0])
        .filter((p) => !p.endsWith('='))
        .join('; ');
      const r = await api.verifySignedCookies('https://cdn.example.com/private/a/b.mp4', header, {
        keys,
        now: NOW,
      });
      t.equal(r.ok, true, `${r.reason} ${r.detail}`);
      t.equal(r.source, 'cookie');
      t.equal(
        (await api.verifySignedCookies('https://cdn.example.com/public/a.mp4', header, { keys, now: NOW }))
          .reason,
        'resource-mismatch',
      );
      const bad = { ...c.values, 'CloudFront-Signature': flip(c.values['CloudFront-Signature']!) };
      t.equal(
        (await api.verifySignedCookies('https://cdn.example.com/private/a.mp4', bad, { keys, now: NOW })).ok,
        false,
        'tampered cookie',
      );
      // URL params win over cookies, as at the edge.
      const urlWins = await api.verifySignedCookies(
        'https://cdn.example.com/private/a.mp4?Key-Pair-Id=KNOPE',
        header,
        { keys, now: NOW },
      );
      t.equal(urlWins.source, 'url');
      t.equal(urlWins.ok, false);
    });
  }
  add('cookies: canned cookie set and clearCookies', async (api, t) => {
    const s = api.createSigner({ keyPairId: KID, privateKey: k('rsa-pkcs1.pem'), cache: false });
    const url = 'https://cdn.example.com/one/file.pdf';
    const c = await s.signCookies(url, { dateLessThan: at(E), now: NOW, canned: true });
    t.equal(c.values['CloudFront-Expires'], String(E));
    t.equal(c.values['CloudFront-Policy'], undefined);
    t.equal((await api.verifySignedCookies(url, c.values, { keys: rsaKeys(), now: NOW })).ok, true);
    t.equal(
      (await api.verifySignedCookies(`${url}x`, c.values, { keys: rsaKeys(), now: NOW })).reason,
      'bad-signature',
      'canned grants one URL only',
    );
    const cleared = s.clearCookies({ domain: 'example.com', path: '/one/' });
    t.equal(
      cleared
        .map((x) => x.name)
        .sort()
        .join(','),
      'CloudFront-Expires,CloudFront-Hash-Algorithm,CloudFront-Key-Pair-Id,CloudFront-Policy,CloudFront-Signature',
    );
    t.ok(
      cleared.every(
        (x) => x.value === '' && x.maxAge === 0 && x.path === '/one/' && x.domain === 'example.com',
      ),
      'cleared with same Domain/Path',
    );
  });

  // ---- input rules -------------------------------------------------------------------------------
  add('rules: fragments, reserved params, times, IPs, wildcards', async (api, t) => {
    const s = api.createSigner({ keyPairId: KID, privateKey: k('rsa-pkcs8.pem'), cache: false });
    const o = { dateLessThan: at(E), now: NOW };
    const withFrag = await s.signUrl('https://cdn.example.com/f.html?a=1#sec-2', o);
    t.ok(
      /\?a=1&Expires=\d+&Signature=[A-Za-z0-9_~-]+&Key-Pair-Id=KCONFORMANCE01#sec-2$/.test(withFrag),
      withFrag,
    );
    t.equal(
      (await s.signUrl('https://cdn.example.com/f.html?a=1', o)).length,
      withFrag.length - 6,
      'fragment not signed',
    );
    await t.throws(() => s.signUrl('https://cdn.example.com/a?Policy=x', o), 'ERR_RESERVED_QUERY_PARAM');
    await t.throws(() => s.signUrl('javascript:alert(1)', o), 'ERR_UNSUPPORTED_SCHEME');
    await t.throws(
      () => s.signUrl('https://cdn.example.com/a', { ...o, ipAddress: '2001:db8::1' }),
      'ERR_INVALID_IP_RANGE',
    );
    await t.throws(
      () => s.signUrl('https://cdn.example.com/a', { ...o, ipAddress: '10.0.0.256' }),
      'ERR_INVALID_IP_RANGE',
    );
    await t.throws(
      () => s.signUrl('https://cdn.example.com/a', { ...o, dateGreaterThan: at(E) }),
      'ERR_INVALID_TIME_WINDOW',
    );
    await t.throws(
      () => s.signUrl('https://cdn.example.com/a', { dateLessThan: at(2147483648), now: NOW }),
      'ERR_INVALID_EXPIRY',
    );
    await t.throws(
      () => s.signUrl('https://cdn.example.com/a', { dateLessThan: E, now: NOW }),
      'ERR_INVALID_EXPIRY',
    );
    await t.throws(
      () => s.signUrl('https://cdn.example.com/b/x', { ...o, resource: 'https://cdn.example.com/a/*' }),
      'ERR_RESOURCE_MISMATCH',
    );
    await t.throws(
      () => s.signUrl('https://cdn.example.com/a', { ...o, resource: '*' }),
      'ERR_INVALID_RESOURCE',
    );
    await t.throws(() => s.signUrl(`https://cdn.example.com/${'a'.repeat(8200)}`, o), 'ERR_URL_TOO_LONG');
    const floored = await s.signUrl('https://cdn.example.com/t', {
      dateLessThan: { milliseconds: E * 1000 + 999 },
      now: NOW,
    });
    t.equal(paramOf(floored, 'Expires'), String(E), 'milliseconds floored');
  });
  add('rules: keyring rotation signs with the active key', async (api, t) => {
    const s = api.createSigner({
      keyring: { active: KID2, keys: { [KID]: k('rsa-pkcs8.pem'), [KID2]: k('rsa2-pkcs8.pem') } },
      cache: false,
    });
    const o = { dateLessThan: at(E), now: NOW };
    const u2 = await s.signUrl('https://cdn.example.com/rot', o);
    t.equal(paramOf(u2, 'Key-Pair-Id'), KID2);
    t.equal((await api.verifySignedUrl(u2, { keys: rsaKeys(), now: NOW })).ok, true);
    s.useKey(KID);
    const u1 = await s.signUrl('https://cdn.example.com/rot', o);
    t.equal(paramOf(u1, 'Key-Pair-Id'), KID);
    t.equal((await api.verifySignedUrl(u1, { keys: rsaKeys(), now: NOW })).ok, true);
    t.equal(
      (await api.verifySignedUrl(u1, { keys: { [KID]: k('rsa2-public.pem') }, now: NOW })).reason,
      'bad-signature',
      'wrong public key',
    );
  });
  add('rules: cache buckets give identical URLs (RSA and ECDSA)', async (api, t) => {
    for (const f of ['rsa-pkcs8.pem', 'ec-pkcs8.pem']) {
      const s = api.createSigner({ keyPairId: KID, privateKey: k(f), cache: { bucket: 300 } });
      const at = (ms: number) => s.signUrl('https://cdn.example.com/c.jpg', { expiresIn: 600, now: ms });
      const a = await at(NOW + 1000);
      const expires = Number(paramOf(a, 'Expires'));
      const late = expires - NOW / 1000 - 1 - 600;
      t.ok(late >= 0 && late < 300, `expiry rounded up by less than one bucket (${late} s)`);
      // The link's bucket runs until its expiry minus the lifetime; one second later a new one starts.
      t.equal(await at((expires - 600) * 1000), a, `same bucket, same URL (${f})`);
      const next = await at((expires - 599) * 1000);
      t.equal(Number(paramOf(next, 'Expires')), expires + 300, 'the next bucket, 300 s later');
    }
  });
  return cases;
}

/** Runs every case against one API module; never throws; reports each result as it completes. */
export async function runConformance(
  api: Api,
  fixtures: Fixtures,
  report?: (r: CaseResult) => void,
  assert: Assert = defaultAssert(api),
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of conformanceCases(fixtures)) {
    let r: CaseResult;
    try {
      await c.run(api, assert);
      r = { name: c.name, ok: true };
    } catch (err) {
      r = {
        name: c.name,
        ok: false,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      };
    }
    results.push(r);
    report?.(r);
  }
  return results;
}
