/**
 * The contract of every public function of @cfsign/core: whatever JavaScript value comes in, it either
 * returns something CloudFront accepts for exactly the requested grant (checked by an independent
 * verifier written from the spec with node:crypto), or throws a CfsignError with a known code and a
 * message that names the fix. Nothing else escapes: no TypeError, no RangeError, no key text.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { backends, E2030, KEY_ID, key, NOW } from './helpers.js';
import {
  type Grant,
  referenceMatch,
  verifyCookiesIndependently,
  verifyUrlIndependently,
} from './support/independent-verifier.js';
import { COOKIE_OPTIONS, GET_SIGNED_OPTIONS, URL_OPTIONS } from './support/option-names.js';

const CODES = [
  'ERR_INVALID_ARGUMENT',
  'ERR_INVALID_HASH_ALGORITHM',
  'ERR_COOKIE_TOO_LARGE',
  'ERR_INVALID_URL',
  'ERR_UNSUPPORTED_SCHEME',
  'ERR_RESERVED_QUERY_PARAM',
  'ERR_URL_TOO_LONG',
  'ERR_INVALID_RESOURCE',
  'ERR_RESOURCE_MISMATCH',
  'ERR_INVALID_EXPIRY',
  'ERR_INVALID_START',
  'ERR_INVALID_TIME_WINDOW',
  'ERR_INVALID_DURATION',
  'ERR_INVALID_IP_RANGE',
  'ERR_INVALID_KEY_PAIR_ID',
  'ERR_UNKNOWN_KEY_PAIR_ID',
  'ERR_UNSUPPORTED_KEY_FORMAT',
  'ERR_UNSUPPORTED_KEY_TYPE',
  'ERR_KEY_PASSPHRASE',
  'ERR_HASH_UNAVAILABLE',
  'ERR_SIGNER_FAILED',
  'ERR_SYNC_UNAVAILABLE',
  'ERR_INVALID_POLICY',
  'ERR_INVALID_COOKIE_OPTIONS',
  'ERR_INVALID_ORIGIN_SECRET',
];

const RSA = key('rsa-pkcs8.pem');
const EC = key('ec-pkcs8.pem');
const PUBLIC = { [KEY_ID]: key('rsa-public.pem') };
const EC_ID = 'KECCONTRACT1';
const PUBLIC_BOTH = { ...PUBLIC, [EC_ID]: key('ec-public.pem') };
const NOW_S = Math.floor(NOW / 1000);
const CDN = 'https://cdn.example.com';

const hostileStrings = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '::ffff:192.0.2.1',
    '::FFFF:c000:201',
    '::ffff:192.0.2.0/120',
    '10.0.1',
    '192.0.2.0/33',
    '2001:db8::1',
    '"',
    '\\',
    '\u0000',
    '\r\nSet-Cookie: x=1',
    '%',
    '*',
    '?',
    'SHA256',
    'sha256',
    'SHA-256',
    'SHA1',
    'MD5',
    '1e100',
    '-1',
    'NaN',
    '__proto__',
    'constructor',
    `${CDN}/a.jpg`,
    `${CDN}/v/*`,
    `${CDN}/v/"x"`,
    'https://user:password@cdn.example.com/a',
    'javascript:alert(1)',
    'ftp://cdn.example.com/a',
    `${CDN}/a?Expires=1`,
    'x.com; Path=/',
    `${CDN}/${'a'.repeat(9000)}`,
    `-----BEGIN ${'PRIVATE'} KEY-----\nMIIabc\n-----END ${'PRIVATE'} KEY-----`,
    '2020',
    '10m',
    '1h',
    '-5m',
    '0',
    '2038-01-19T03:14:08Z',
    '1970-01-01T00:00:00Z',
    '2030-01-01T00:00:00Z',
    KEY_ID,
    'Strict',
    'None',
    '{"Statement":[{"Resource":"https://cdn.example.com/*","Condition":{"DateLessThan":{"AWS:EpochTime":1.5}}}]}',
    '{"Statement":[{"Resource":"https://cdn.example.com/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"IpAddress":{"AWS:SourceIp":"2001:db8::/32"}}}]}',
    '{"Statement":[{"Resource":"https://cdn.example.com/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}',
  ),
  fc.string({ unit: 'binary', maxLength: 24, size: 'max' }),
);

const hostileValues = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1.5,
  -1,
  2 ** 31,
  2 ** 32,
  1e100,
  1893456000,
  1893456000000,
  Number.MAX_VALUE,
  new Date(Number.NaN),
  new Date(0),
  E2030,
  Symbol('s'),
  10n,
  () => 1,
  new URL(`${CDN}/a.jpg`),
  new Uint8Array(3),
  Buffer.from('x'),
  null,
  undefined,
  true,
  false,
  [],
  Object.create(null),
  { seconds: 1.5 },
  { milliseconds: Number.NaN },
  { toString: () => 'x' },
);

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  hostileStrings,
  hostileValues,
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray: true,
    withUnicodeString: true,
    maxDepth: 2,
  }),
);

/** `base` with one or two of `fields` replaced by hostile values. */
function mutated(base: Record<string, unknown>, fields: readonly string[]) {
  return fc
    .array(fc.tuple(fc.constantFrom(...fields), hostile), { minLength: 1, maxLength: 2 })
    .map((pairs) => {
      const o: Record<string, unknown> = { ...base };
      for (const [k, v] of pairs) o[k] = v;
      return o;
    });
}

/** The contract for a thrown value: our error class, a known code, a message with a fix, no key text. */
function expectCoded(err: unknown, Cls: new (...a: never[]) => Error): void {
  if (!(err instanceof Cls)) throw new Error(`not a CfsignError: ${String((err as Error)?.stack ?? err)}`);
  const e = err as Error & { code: string };
  expect(CODES).toContain(e.code);
  expect(e.message.length).toBeGreaterThan(20);
  expect(e.message).not.toMatch(/MIIabc|BEGIN PRIVATE/);
}

/** Runs `fn`; a throw or rejection must honour the contract; a value goes to `check`. */
async function honours<T>(
  Cls: new (...a: never[]) => Error,
  fn: () => T | Promise<T>,
  check: (value: Awaited<T>) => void | Promise<void> = () => {},
): Promise<void> {
  let value: Awaited<T>;
  try {
    value = await fn();
  } catch (err) {
    expectCoded(err, Cls);
    return;
  }
  await check(value);
}

const clockOf = (o: Record<string, unknown> | null): number =>
  o?.now instanceof Date ? o.now.getTime() : typeof o?.now === 'number' ? o.now : Date.now();

/** The grant found in the output is exactly the one asked for. */
function expectRequested(grant: Grant, o: Record<string, unknown>, keyType: 'rsa' | 'ec', bucket = 0): void {
  const nowS = Math.floor(clockOf(o) / 1000);
  expect(grant.dateLessThan).toBeGreaterThan(nowS + 60);
  if (o.dateLessThan instanceof Date)
    expect(grant.dateLessThan).toBe(Math.floor(o.dateLessThan.getTime() / 1000));
  if (typeof o.dateLessThan === 'number') expect(grant.dateLessThan).toBe(Math.floor(o.dateLessThan / 1000));
  if (typeof o.expiresIn === 'number' && o.dateLessThan === undefined) {
    // A caching signer rounds the expiry up to its bucket, never down.
    expect(grant.dateLessThan).toBeGreaterThanOrEqual(nowS + Math.floor(o.expiresIn));
    expect(grant.dateLessThan).toBeLessThanOrEqual(nowS + Math.floor(o.expiresIn) + bucket);
  }
  if (o.ipAddress === undefined) expect(grant.ipAddress).toBeUndefined();
  else {
    const ip = String(o.ipAddress).replace(/^::ffff:/i, '');
    expect(grant.ipAddress?.split('/')[0]).toBe(ip.split('/')[0]);
  }
  if (o.dateGreaterThan === undefined && o.startsIn === undefined)
    expect(grant.dateGreaterThan).toBeUndefined();
  if (o.dateGreaterThan instanceof Date)
    expect(grant.dateGreaterThan).toBe(Math.floor(o.dateGreaterThan.getTime() / 1000));
  const hash = o.hashAlgorithm ?? o.algorithm ?? (keyType === 'ec' ? 'SHA256' : 'SHA1');
  expect(grant.hash).toBe(hash);
}

/** A URL covered by a (wildcard) resource, to present cookies with. */
const urlUnder = (resource: string) => resource.replace(/\*/g, '').replace(/\?/g, 'y');

/** `Set-Cookie` lines: only known attributes, no injected ones, flags as asked. */
function expectCookieLines(lines: string[], o: Record<string, unknown>): void {
  for (const line of lines) {
    expect(line).not.toMatch(/[\r\n\u0000]|undefined|null/);
    const [pair, ...attrs] = line.split('; ');
    expect(pair).toMatch(/^CloudFront-[A-Za-z-]+=[A-Za-z0-9~_-]*$/);
    for (const a of attrs)
      expect(a).toMatch(
        /^(Domain=[a-z0-9.-]+|Path=\/[\x21-\x2b\x2d-\x3a\x3c-\x7e]*|Max-Age=\d+|Expires=.+ GMT|Secure|HttpOnly|SameSite=(Strict|Lax|None))$/i,
      );
    expect(attrs.includes('Secure')).toBe(o.secure !== false);
    if (!line.includes('Max-Age=0')) expect(attrs.includes('HttpOnly')).toBe(o.httpOnly !== false);
    const domain = attrs.find((a) => a.startsWith('Domain='));
    expect(domain).toBe(o.domain === undefined ? undefined : `Domain=${o.domain}`);
  }
}

/** Fixed seed in CI; CONTRACT_RUNS / CONTRACT_SEED widen a local search. */
const RUNS = {
  numRuns: Number(process.env.CONTRACT_RUNS ?? 120),
  seed: Number(process.env.CONTRACT_SEED ?? 20261201),
};

describe.each(backends)('the contract on the %s backend', (name, api) => {
  const Cls = api.CfsignError;
  const rsa = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA, cache: false });
  const cached = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA });
  const ec = api.createSigner({ keyPairId: EC_ID, privateKey: EC });
  const URL_FIELDS = [...URL_OPTIONS, 'bogus'];
  const runs = name === 'node' ? RUNS : { ...RUNS, numRuns: 60 };

  test('createSigner: any options give a working signer or a coded error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostile,
          mutated({ keyPairId: KEY_ID, privateKey: RSA }, [
            'keyPairId',
            'privateKey',
            'passphrase',
            'keyring',
            'sign',
            'keyType',
            'hashAlgorithm',
            'cache',
            'clockSkew',
            'signTimeout',
            'allowAnyResource',
            'typo',
          ]),
        ),
        async (options) => {
          await honours(
            Cls,
            () => api.createSigner(options as never),
            async (signer) => {
              const o = options as Record<string, unknown>;
              await honours(
                Cls,
                () => signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '1h' }),
                (url) => {
                  const keys = { [signer.keyPairId]: key('rsa-public.pem') };
                  const grant = verifyUrlIndependently(url, keys, Math.floor(Date.now() / 1000));
                  if (o.hashAlgorithm !== undefined) expect(grant.hash).toBe(o.hashAlgorithm);
                },
              );
            },
          );
        },
      ),
      runs,
    );
  });

  test('signUrl / signUrlSync: hostile links and options', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostile,
          hostileStrings.map((s) => `${CDN}/${s}`),
        ),
        fc.oneof(mutated({ expiresIn: '1h', now: NOW }, URL_FIELDS), hostile),
        fc.constantFrom(rsa, cached, ec),
        fc.boolean(),
        async (url, options, signer, sync) => {
          await honours(
            Cls,
            () =>
              sync && name === 'node'
                ? signer.signUrlSync(url as never, options as never)
                : signer.signUrl(url as never, options as never),
            (out) => {
              const o = options as Record<string, unknown>;
              const grant = verifyUrlIndependently(out, PUBLIC_BOTH, Math.floor(clockOf(o) / 1000));
              if (o.policy === undefined)
                expectRequested(grant, o, signer === ec ? 'ec' : 'rsa', signer === rsa ? 0 : 60);
              if (o.verbatim !== true) expect(new URL(out).href).toBe(out);
            },
          );
        },
      ),
      runs,
    );
  });

  test('signUrl: every valid grant verifies and is exactly the one asked for', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            expiresIn: fc.oneof(fc.integer({ min: 3601, max: 10 ** 6 }), fc.constantFrom('2h', '7d')),
            startsIn: fc.oneof(fc.integer({ min: 0, max: 3600 }), fc.constantFrom('1h', '90s')),
            dateGreaterThan: fc.date({
              min: new Date(NOW - 86_400_000),
              max: new Date(NOW),
              noInvalidDate: true,
            }),
            ipAddress: fc.oneof(
              fc.ipV4(),
              fc.ipV4().map((ip) => `::ffff:${ip}`),
              fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, n]) => `${ip}/${n}`),
            ),
            hashAlgorithm: fc.constantFrom('SHA1', 'SHA256'),
          },
          { requiredKeys: ['expiresIn'] },
        ),
        fc.constantFrom(rsa, cached, ec),
        async (grant, signer) => {
          const o: Record<string, unknown> = { ...grant, now: NOW };
          if (o.startsIn !== undefined && o.dateGreaterThan !== undefined) delete o.startsIn;
          const out = await signer.signUrl(`${CDN}/v/a.ts?q=1`, o);
          const g = verifyUrlIndependently(out, PUBLIC_BOTH, NOW_S);
          expectRequested(g, o, signer === ec ? 'ec' : 'rsa', signer === rsa ? 0 : 60);
          if (o.startsIn !== undefined) {
            const life = typeof o.startsIn === 'number' ? o.startsIn : o.startsIn === '1h' ? 3600 : 90;
            expect(g.dateGreaterThan).toBe(Math.max(1, NOW_S + life - 60));
          }
          const mapped = typeof o.ipAddress === 'string' && o.ipAddress.startsWith('::ffff:');
          if (mapped) expect(g.ipAddress).toBe(`${(o.ipAddress as string).slice(7)}/32`);
        },
      ),
      runs,
    );
  });

  test('signPolicy: hostile options', async () => {
    const fields = [
      'resource',
      'expiresIn',
      'dateLessThan',
      'startsIn',
      'ipAddress',
      'now',
      'hashAlgorithm',
      'x',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostile, mutated({ resource: `${CDN}/v/*`, expiresIn: '1h', now: NOW }, fields)),
        async (options) => {
          await honours(
            Cls,
            () => rsa.signPolicy(options as never),
            (p) => {
              const url = `${urlUnder(p.policy.match(/"Resource":"([^"]*)"/)![1]!)}`;
              const signed = `${url}${url.includes('?') ? '&' : '?'}${p.query}`;
              verifyUrlIndependently(
                signed,
                PUBLIC,
                Math.floor(clockOf(options as Record<string, unknown>) / 1000),
              );
            },
          );
        },
      ),
      runs,
    );
  });

  test('signCookies: hostile resources, grants and attributes', async () => {
    const fields = [...COOKIE_OPTIONS, 'nope'];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(`${CDN}/v/*`), fc.constant(`${CDN}/v/a.ts`), hostile),
        fc.oneof(mutated({ expiresIn: '1h', now: NOW }, fields), hostile),
        fc.constantFrom(rsa, ec),
        async (resource, options, signer) => {
          await honours(
            Cls,
            () => signer.signCookies(resource as never, options as never),
            (set) => {
              const o = options as Record<string, unknown>;
              const policy = set.values['CloudFront-Policy'];
              const granted = policy
                ? JSON.parse(
                    Buffer.from(
                      policy.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'),
                      'base64',
                    ).toString(),
                  ).Statement[0].Resource
                : new URL(resource as string).href.split('#')[0];
              const url = policy ? urlUnder(granted) : granted;
              const g = verifyCookiesIndependently(
                set.values,
                url,
                PUBLIC_BOTH,
                Math.floor(clockOf(o) / 1000),
              );
              if (o.policy === undefined)
                expectRequested(g, o, signer === ec ? 'ec' : 'rsa', signer === rsa ? 0 : 60);
              expectCookieLines(set.setCookie, o);
            },
          );
        },
      ),
      runs,
    );
  });

  test('getSignedUrl / getSignedCookies: AWS SDK option names, hostile values', async () => {
    const fields = [...GET_SIGNED_OPTIONS, 'extra'];
    const base = { url: `${CDN}/v/a.ts`, keyPairId: KEY_ID, privateKey: RSA, dateLessThan: E2030, now: NOW };
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(base, fields), hostile), fc.boolean(), async (options, cookies) => {
        const o = options as Record<string, unknown>;
        const nowS = Math.floor(clockOf(o) / 1000);
        const keys = { [typeof o?.keyPairId === 'string' ? o.keyPairId : KEY_ID]: key('rsa-public.pem') };
        if (cookies)
          await honours(
            Cls,
            () => api.getSignedCookies(options as never),
            (values) => {
              const policy = values['CloudFront-Policy'];
              const granted = policy
                ? JSON.parse(
                    Buffer.from(
                      policy.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'),
                      'base64',
                    ).toString(),
                  ).Statement[0].Resource
                : new URL(String(o.url)).href.split('#')[0];
              verifyCookiesIndependently(values, policy ? urlUnder(granted) : granted, keys, nowS);
            },
          );
        else
          await honours(
            Cls,
            () => api.getSignedUrl(options as never),
            (url) => {
              const g = verifyUrlIndependently(url, keys, nowS);
              if (o.policy === undefined) expectRequested(g, { ...o, resource: o.policyResource }, 'rsa');
            },
          );
      }),
      runs,
    );
  });

  test('the verifiers: hostile URLs, cookies and options resolve to a verdict or a coded error', async () => {
    const good = await rsa.signUrl(`${CDN}/v/a.ts`, { expiresIn: '1h', now: NOW, ipAddress: '192.0.2.0/24' });
    const keys = api.createKeyGroup(PUBLIC);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(good),
          hostile,
          fc.nat(good.length - 1).map((i) => good.slice(0, i)),
        ),
        fc.oneof(fc.constant(undefined), hostile),
        fc.oneof(
          mutated({ keys, now: NOW, clientIp: '192.0.2.7' }, ['keys', 'now', 'clientIp', 'x']),
          hostile,
        ),
        async (url, cookies, options) => {
          for (const verify of [
            () => api.verifyRequest(url as never, cookies as never, options as never),
            () => api.verifySignedUrl(url as never, options as never),
            () => api.verifySignedCookies(url as never, cookies as never, options as never),
          ])
            await honours(Cls, verify, (verdict) => {
              expect(typeof verdict.ok).toBe('boolean');
              expect(verdict.status).toBe(verdict.ok ? 200 : 403);
              if (verdict.ok && verdict.source === 'url') {
                const o = options as Record<string, unknown>;
                const g = verifyUrlIndependently(url as string, PUBLIC, Math.floor(clockOf(o) / 1000));
                if (g.ipAddress) expect(typeof o.clientIp).toBe('string');
              }
            });
        },
      ),
      runs,
    );
  });

  test('createKeyGroup, useKey, clearCookies: hostile arguments', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (a, b) => {
        await honours(Cls, () => api.createKeyGroup(a as never));
        await honours(Cls, () => api.createKeyGroup({ [KEY_ID]: a } as never));
        await honours(Cls, () => rsa.useKey(a as never));
        await honours(
          Cls,
          () => rsa.clearCookies(a as never),
          (cookies) => {
            expectCookieLines(cookies.map(api.serializeCookie), { ...(a as object), httpOnly: true });
          },
        );
        await honours(Cls, () => rsa.clearCookies({ domain: a, path: b } as never));
      }),
      runs,
    );
  });

  test('the exported building blocks: hostile arguments', async () => {
    const checks: [
      string,
      (x: unknown, y: unknown) => unknown,
      (out: never, x: unknown, y: unknown) => void,
    ][] = [
      [
        'canonicalizeUrl',
        (x, y) => api.canonicalizeUrl(x as never, y as never),
        (out: { resource: string }, _x, y) => {
          expect(out.resource).toMatch(/^https?:\/\/[\x21-\x7e]+$/);
          expect(out.resource).not.toMatch(/["\\]/);
          if (!(y as { verbatim?: boolean })?.verbatim) expect(new URL(out.resource).href).toBe(out.resource);
        },
      ],
      ['appendSignedQuery', (x, y) => api.appendSignedQuery(x as never, y as never), () => {}],
      [
        'cannedPolicy',
        (x, y) => api.cannedPolicy(x as never, y as never),
        (out: string, x, y) => {
          const doc = JSON.parse(out);
          expect(doc.Statement[0].Resource).toBe(x);
          expect(doc.Statement[0].Condition.DateLessThan['AWS:EpochTime']).toBe(y);
        },
      ],
      [
        'customPolicy',
        (x, y) => api.customPolicy({ resource: x, dateLessThan: y } as never),
        (out: string) => {
          expect(JSON.parse(out).Statement).toHaveLength(1);
        },
      ],
      [
        'customPolicy(object)',
        (x) => api.customPolicy(x as never),
        (out: string) => {
          expect(JSON.parse(out).Statement).toHaveLength(1);
        },
      ],
      [
        'customPolicy(ip)',
        (x) => api.customPolicy({ resource: `${CDN}/*`, dateLessThan: 1893456000, ipAddress: x } as never),
        (out: string, x) => {
          const ip = JSON.parse(out).Statement[0].Condition.IpAddress?.['AWS:SourceIp'];
          if (x === undefined) expect(ip).toBeUndefined();
          else expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
        },
      ],
      [
        'parsePolicy',
        (x) => api.parsePolicy(x as never),
        (out: { ok: boolean }) => expect(typeof out.ok).toBe('boolean'),
      ],
      [
        'parseDuration',
        (x, y) => api.parseDuration(x as never, y as never),
        (out: number) => {
          expect(Number.isInteger(out) && out >= 0).toBe(true);
        },
      ],
      [
        'toEpochSeconds',
        (x, y) => api.toEpochSeconds(x as never, y as never),
        (out: number) => {
          expect(Number.isInteger(out) && out >= 1 && out <= 2 ** 31 - 1).toBe(true);
        },
      ],
      [
        'normalizeIpRange',
        (x) => api.normalizeIpRange(x as never),
        (out: string) => {
          expect(out).toMatch(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/);
        },
      ],
      [
        'ipInRange',
        (x, y) => api.ipInRange(x as never, y as never),
        (out: boolean) => expect(typeof out).toBe('boolean'),
      ],
      [
        'matchWildcard',
        (x, y) => api.matchWildcard(x as never, y as never),
        (out: boolean, x, y) => {
          expect(out).toBe(referenceMatch(x as string, y as string));
        },
      ],
      [
        'cfBase64Encode',
        (x) => api.cfBase64Encode(x as never),
        (out: string) => expect(out).toMatch(/^[A-Za-z0-9~_-]*$/),
      ],
      ['cfBase64Decode', (x) => api.cfBase64Decode(x as never), () => {}],
      ['derToRaw', (x, y) => api.derToRaw(x as never, y as never), () => {}],
      ['rawToDer', (x) => api.rawToDer(x as never), (out: Uint8Array) => expect(out[0]).toBe(0x30)],
      [
        'cookiePathFor',
        (x) => api.cookiePathFor(x as never),
        (out: string) => expect(out.startsWith('/')).toBe(true),
      ],
      [
        'serializeCookie',
        (x) => api.serializeCookie(x as never),
        (out: string) => expect(out).not.toMatch(/[\r\n]/),
      ],
      [
        'serializeCookie(fields)',
        (x, y) =>
          api.serializeCookie({
            name: 'CloudFront-Policy',
            value: 'abc',
            path: '/',
            secure: true,
            httpOnly: true,
            sameSite: 'Lax',
            domain: x,
            maxAge: y,
          } as never),
        (out: string) => {
          expect(out).not.toMatch(/[\r\n]|undefined/);
          expect(out.split('; ').filter((a) => a.startsWith('Path=')).length).toBe(1);
        },
      ],
      ['clearCookies', (x, y) => api.clearCookies(x as never, y as never), () => {}],
      ['paramsFromUrl', (x) => api.paramsFromUrl(x as never), () => {}],
      ['stripSigningParams', (x) => api.stripSigningParams(x as never), () => {}],
      [
        'paramsFromCookies',
        (x) => api.paramsFromCookies(x as never),
        (out: Record<string, unknown> | null) => {
          for (const [k, v] of Object.entries(out ?? {})) expect(typeof v, k).toBe('string');
        },
      ],
      [
        'isCfsignError',
        (x, y) => api.isCfsignError(x, y as never),
        (out: boolean) => expect(typeof out).toBe('boolean'),
      ],
      [
        'createOriginSecretCheck',
        (x, y) => api.createOriginSecretCheck({ header: x, secrets: y } as never),
        () => {},
      ],
      [
        'checkOriginSecret',
        (x, y) => api.checkOriginSecret(x as never, { header: 'x-secret', secrets: y } as never),
        () => {},
      ],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...checks), hostile, hostile, async ([, fn, check], x, y) => {
        await honours(
          Cls,
          () => fn(x, y),
          (out) => check(out as never, x, y),
        );
      }),
      { ...runs, numRuns: runs.numRuns * 8 },
    );
  });
});
