/**
 * The contract against values that fight back: Proxies whose traps throw, revoked Proxies, getters
 * that throw, a Proxy of a Date or of a URL, `toString` traps, and values of another realm. Every
 * public function, at every argument and option, either works or throws (or rejects with) a
 * CfsignError; the code is `ERR_UNREADABLE_ARGUMENT` only when reading the value itself threw.
 * A Date or URL of another realm is a plain value and works. No key text reaches the error, its
 * `cause`, its stack or its inspection.
 */
import { inspect } from 'node:util';
import vm from 'node:vm';
import { describe, expect, test } from 'vitest';
import { backends, E2030, KEY_ID, key, NOW } from './helpers.js';
import { COOKIE_OPTIONS, GET_SIGNED_OPTIONS, URL_OPTIONS } from './support/option-names.js';

const RSA = key('rsa-pkcs8.pem');
const PUBLIC = { [KEY_ID]: key('rsa-public.pem') };
const CDN = 'https://cdn.example.com';
/** The RSA key's bytes without their PEM armour, as environment variables often hold them. */
const UNARMOURED = RSA.split('\n')
  .filter((l) => l && !l.startsWith('-----'))
  .join('');

class Trap extends Error {}
const boom = () => {
  throw new Trap('trap');
};
const revocable = Proxy.revocable({}, {});
revocable.revoke();

/** Values whose reading throws: any code will do, as long as it is ours. */
const fighting: Record<string, unknown> = {
  'a Proxy whose traps throw': new Proxy(
    {},
    { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom },
  ),
  'a revoked Proxy': revocable.proxy,
  'an object whose getter throws': Object.defineProperty({}, 'seconds', { get: boom, enumerable: true }),
  'an object whose toString throws': { toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom },
  'a Proxy of a Date': new Proxy(E2030, {}),
  'a Proxy of a URL': new Proxy(new URL(`${CDN}/a.jpg`), {}),
  'a Proxy of a Uint8Array': new Proxy(new Uint8Array(8), {}),
};

/** Plain values of another realm or kind: they must never be reported as unreadable. */
const plain: Record<string, unknown> = {
  'a Date of another realm': vm.runInNewContext('new Date("2030-01-01T00:00:00Z")'),
  'a URL of another realm': vm.runInNewContext('new URL("https://cdn.example.com/a.jpg")', { URL }),
  'a Date subclass': new (class Later extends Date {})('2030-01-01T00:00:00Z'),
  'a String object': new String(`${CDN}/a.jpg`),
  'a frozen object': Object.freeze({}),
  'a PEM private key': RSA,
  'a private key without its armour': UNARMOURED,
};

/** Building blocks, each called with the value as its first, second and every argument. */
const BLOCKS = [
  'appendSignedQuery',
  'canonicalizeUrl',
  'cannedPolicy',
  'cfBase64Decode',
  'cfBase64Encode',
  'checkOriginSecret',
  'clearCookies',
  'cookiePathFor',
  'createOriginSecretCheck',
  'customPolicy',
  'derToRaw',
  'ipInRange',
  'matchWildcard',
  'normalizeIpRange',
  'paramsFromCookies',
  'paramsFromUrl',
  'parseDuration',
  'parsePolicy',
  'rawToDer',
  'serializeCookie',
  'stripSigningParams',
  'toEpochSeconds',
] as const;

/** Every call of the public API with `v` in one place, labelled. */
function calls(api: (typeof backends)[number][1], v: unknown): [string, () => unknown][] {
  const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA });
  // Used as a key ID (an object key) only when it is text.
  const id = typeof v === 'string' ? v : 'KPLAIN1';
  const out: [string, () => unknown][] = [
    ['createSigner(options)', () => api.createSigner(v as never)],
    ['createSigner({ keyPairId })', () => api.createSigner({ keyPairId: v, privateKey: RSA } as never)],
    ['createSigner({ privateKey })', () => api.createSigner({ keyPairId: KEY_ID, privateKey: v } as never)],
    [
      'createSigner({ cache })',
      () => api.createSigner({ keyPairId: KEY_ID, privateKey: RSA, cache: v } as never),
    ],
    ['signUrl(url)', () => signer.signUrl(v as never, { dateLessThan: E2030, now: NOW })],
    ['signUrl(url, options)', () => signer.signUrl(`${CDN}/a.jpg`, v as never)],
    ['signCookies(resource)', () => signer.signCookies(v as never, { dateLessThan: E2030, now: NOW })],
    ['signCookies(resource, options)', () => signer.signCookies(`${CDN}/p/*`, v as never)],
    ['signPolicy(options)', () => signer.signPolicy(v as never)],
    ['clearCookies(attributes)', () => signer.clearCookies(v as never)],
    ['useKey(id)', () => signer.useKey(v as never)],
    ['getSignedUrl(options)', () => api.getSignedUrl(v as never)],
    ['getSignedCookies(options)', () => api.getSignedCookies(v as never)],
    ['createKeyGroup(keys)', () => api.createKeyGroup(v as never)],
    ['createKeyGroup({ id: key })', () => api.createKeyGroup({ [KEY_ID]: v } as never)],
    ['createKeyGroup({ [v]: key })', () => api.createKeyGroup({ [id]: RSA } as never)],
    [
      'createSigner({ keyring: { keys: { [v]: key } } })',
      () => api.createSigner({ keyring: { keys: { [id]: RSA }, active: id } } as never),
    ],
    [
      'verifySignedUrl(url, { keys: { [v]: key } })',
      async () => {
        const verdict = await api.verifySignedUrl(`${CDN}/a.jpg?Expires=1`, { keys: { [id]: RSA } });
        // A verdict is not thrown: its text must not show the key either.
        if (KEY_PIECES.some((p) => JSON.stringify(verdict).includes(p)))
          throw new Error('verdict shows key text');
      },
    ],
    ['verifySignedUrl(url)', () => api.verifySignedUrl(v as never, { keys: PUBLIC, now: NOW })],
    ['verifySignedUrl(url, options)', () => api.verifySignedUrl(`${CDN}/a.jpg?Expires=1`, v as never)],
    [
      'verifySignedCookies(url, cookies)',
      () => api.verifySignedCookies(`${CDN}/a`, v as never, { keys: PUBLIC }),
    ],
    ['verifyRequest(url, cookies)', () => api.verifyRequest(`${CDN}/a`, v as never, { keys: PUBLIC })],
  ];
  if (signer.canSignSync)
    out.push(['signUrlSync(url)', () => signer.signUrlSync(v as never, { dateLessThan: E2030, now: NOW })]);
  for (const k of URL_OPTIONS) {
    const o: Record<string, unknown> = { now: NOW, dateLessThan: E2030, [k]: v };
    if (k === 'expiresIn' || k === 'policy') delete o.dateLessThan;
    out.push([`signUrl({ ${k} })`, () => signer.signUrl(`${CDN}/a.jpg`, o)]);
    if (signer.canSignSync) out.push([`signUrlSync({ ${k} })`, () => signer.signUrlSync(`${CDN}/a.jpg`, o)]);
  }
  for (const k of COOKIE_OPTIONS) {
    const o: Record<string, unknown> = { now: NOW, dateLessThan: E2030, [k]: v };
    if (k === 'expiresIn' || k === 'policy') delete o.dateLessThan;
    out.push([`signCookies({ ${k} })`, () => signer.signCookies(`${CDN}/p/*`, o)]);
  }
  for (const k of GET_SIGNED_OPTIONS) {
    const o: Record<string, unknown> = {
      url: `${CDN}/a.jpg`,
      keyPairId: KEY_ID,
      privateKey: RSA,
      dateLessThan: E2030,
      now: NOW,
      [k]: v,
    };
    if (k === 'expiresIn' || k === 'policy') delete o.dateLessThan;
    out.push([`getSignedUrl({ ${k} })`, () => api.getSignedUrl(o as never)]);
    out.push([`getSignedCookies({ ${k} })`, () => api.getSignedCookies(o as never)]);
  }
  for (const k of ['keys', 'now', 'clientIp'])
    out.push([
      `verifySignedUrl(url, { ${k} })`,
      () => api.verifySignedUrl(`${CDN}/a.jpg?Expires=1`, { keys: PUBLIC, now: NOW, [k]: v } as never),
    ]);
  const blocks = api as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of BLOCKS) {
    out.push([`${name}(v)`, () => blocks[name]!(v)]);
    out.push([`${name}(text, v)`, () => blocks[name]!(`${CDN}/a.jpg`, v)]);
    out.push([`${name}(v, v, v)`, () => blocks[name]!(v, v, v)]);
  }
  out.push(['canonicalizeUrl(link, { base })', () => api.canonicalizeUrl('a.jpg', { base: v as never })]);
  return out;
}

/** Key text in any form a reader could see: message, stack, inspection (with causes), JSON. */
function seen(err: unknown): string {
  const e = err as Error;
  return [String(e), e.stack, inspect(e, { depth: 6 }), JSON.stringify(e)].join('\n');
}

const KEY_PIECES = [UNARMOURED.slice(0, 24), UNARMOURED.slice(400, 424), 'BEGIN PRIVATE'];

describe.each(backends)('values that fight back, on the %s backend', (_name, api) => {
  const outcome = async (fn: () => unknown): Promise<unknown> => {
    try {
      await fn();
      return undefined;
    } catch (err) {
      return err;
    }
  };

  test.each(Object.entries(fighting))('%s: every failure is a CfsignError', async (_what, v) => {
    const wrong: string[] = [];
    for (const [label, fn] of calls(api, v)) {
      const err = await outcome(fn);
      if (err !== undefined && !(err instanceof api.CfsignError))
        wrong.push(`${label}: ${(err as Error)?.name}: ${(err as Error)?.message}`);
    }
    expect(wrong).toEqual([]);
  });

  /**
   * Calls that may succeed with such a value: they answer by value (a verdict, `null`, `false`, `{ ok:
   * false }`), take no second argument, or (the key-ID calls) do not take the value when it is not text.
   */
  const ANSWERS =
    /^(verifySignedUrl\(url(, \{ keys \})?\)|cfBase64Decode|ipInRange|parsePolicy|(cookiePathFor|derToRaw|paramsFromCookies|paramsFromUrl|stripSigningParams)\(text, v\))|\[v\]/;

  // A value every read of which throws cannot be used: every other call given it fails, so no
  // boundary swallows what it caught.
  test.each(['a Proxy whose traps throw', 'a revoked Proxy'])(
    '%s: every call given it fails',
    async (what) => {
      const succeeded: string[] = [];
      for (const [label, fn] of calls(api, fighting[what]))
        if (!ANSWERS.test(label) && (await outcome(fn)) === undefined) succeeded.push(label);
      expect(succeeded).toEqual([]);
    },
  );

  test.each(Object.entries(plain))('%s: never unreadable, never echoed', async (_what, v) => {
    const wrong: string[] = [];
    for (const [label, fn] of calls(api, v)) {
      const err = await outcome(fn);
      if (err === undefined) continue;
      if (!(err instanceof api.CfsignError)) wrong.push(`${label}: ${(err as Error)?.name}`);
      else if (err.code === 'ERR_UNREADABLE_ARGUMENT') wrong.push(`${label}: unreadable`);
      const text = seen(err);
      for (const piece of KEY_PIECES) if (text.includes(piece)) wrong.push(`${label}: shows key text`);
    }
    expect(wrong).toEqual([]);
  });

  test('a Date or URL of another realm signs like one of this realm', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA, cache: false });
    const date = vm.runInNewContext('new Date("2030-01-01T00:00:00Z")');
    const url = vm.runInNewContext('new URL("https://cdn.example.com/a.jpg")', { URL });
    const here = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
    expect(await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: date, now: NOW })).toBe(here);
    expect(await signer.signUrl(url, { dateLessThan: E2030, now: NOW })).toBe(here);
    expect(await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: new Date(NOW) })).toBe(here);
  });

  test('an unreadable value is reported as such, with what was thrown as the cause', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: RSA });
    const getter = Object.defineProperty({}, 'expiresIn', { get: boom, enumerable: true });
    await expect(signer.signUrl(`${CDN}/a.jpg`, getter)).rejects.toMatchObject({
      code: 'ERR_UNREADABLE_ARGUMENT',
      message: expect.stringMatching(/^signUrl could not read its arguments.*Proxy/),
      cause: expect.any(Trap),
    });
    await expect(
      signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: new Proxy(E2030, {}), now: NOW }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_EXPIRY' });
  });
});
