/**
 * The exported building blocks at their edges: each case names the rule it pins (durations and
 * their units, CF-base64 strictness, cookie paths, CIDR masks, policy reading, URL canonicalization).
 */
import { describe, expect, test } from 'vitest';
import { utf8 } from '../src/encoding.js';
import * as api from '../src/index.node.js';

const CDN = 'https://cdn.example.com';
const coded = (code: string) => expect.objectContaining({ code });

describe('parseDuration', () => {
  test.each([
    ['90', 90],
    ['90s', 90],
    ['10m', 600],
    ['2h', 7200],
    ['1d', 86400],
    ['1w', 604800],
    [' 10m ', 600],
    ['1.5h', 5400],
    ['1.25h', 4500],
    ['0', 0],
    [0, 0],
    [59.9, 59],
    [3600, 3600],
  ])('%j is %d seconds', (input, seconds) => {
    expect(api.parseDuration(input)).toBe(seconds);
    expect(api.parseDuration(input)).toBe(seconds); // a second read comes from the parse cache
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '', '10 minutes', '-5m', '1y', 'm', '1e3', null, {}])(
    '%j is refused with ERR_INVALID_DURATION',
    (input) => {
      expect(() => api.parseDuration(input as never, 'expiresIn')).toThrow(coded('ERR_INVALID_DURATION'));
      expect(() => api.parseDuration(input as never, 'expiresIn')).toThrow(/"expiresIn"/);
    },
  );

  test('the parse cache is bounded and never changes an answer', () => {
    for (let i = 0; i < 400; i++) expect(api.parseDuration(`${i}m`)).toBe(i * 60);
    for (let i = 0; i < 400; i++) expect(api.parseDuration(`${i}m`)).toBe(i * 60);
  });
});

describe('toEpochSeconds', () => {
  test('every accepted form, floored', () => {
    expect(api.toEpochSeconds(new Date('2030-01-01T00:00:00.999Z'))).toBe(1893456000);
    expect(api.toEpochSeconds('2030-01-01T00:00:00Z')).toBe(1893456000);
    expect(api.toEpochSeconds(1893456000999)).toBe(1893456000);
    expect(api.toEpochSeconds({ seconds: 1893456000 })).toBe(1893456000);
    expect(api.toEpochSeconds({ milliseconds: 1893456000500 })).toBe(1893456000);
    expect(api.toEpochSeconds(100_000_000_000)).toBe(100_000_000);
  });

  test('seconds passed as milliseconds are refused, naming the unit; the code follows the parameter', () => {
    expect(() => api.toEpochSeconds(99_999_999_999)).toThrow(/looks like seconds/);
    expect(() => api.toEpochSeconds(1893456000, 'dateGreaterThan', 'ERR_INVALID_START')).toThrow(
      coded('ERR_INVALID_START'),
    );
    expect(() => api.toEpochSeconds(1893456000, 'dateLessThan', 'ERR_INVALID_EXPIRY')).toThrow(
      coded('ERR_INVALID_EXPIRY'),
    );
    expect(() => api.toEpochSeconds(1893456000, 'dateLessThan')).toThrow(/"dateLessThan"/);
  });

  test.each([
    '',
    '   ',
    'yesterday',
    Number.NaN,
    new Date(Number.NaN),
    { seconds: '5' },
    { minutes: 5 },
    null,
    [],
  ])('%j is not a time', (input) => {
    expect(() => api.toEpochSeconds(input as never)).toThrow(coded('ERR_INVALID_EXPIRY'));
  });
});

describe('CF-base64', () => {
  test('padding: one and two pad characters decode to the right lengths', () => {
    expect(api.cfBase64Decode('YQ__')).toEqual(utf8('a'));
    expect(api.cfBase64Decode('YWI_')).toEqual(utf8('ab'));
    expect(api.cfBase64Decode('YWJj')).toEqual(utf8('abc'));
    expect(api.cfBase64Encode(utf8('a'))).toBe('YQ__');
    expect(api.cfBase64Encode(utf8('ab'))).toBe('YWI_');
    expect(api.cfBase64Encode(utf8('abc'))).toBe('YWJj');
    expect(api.cfBase64Encode(new Uint8Array(0))).toBe('');
  });

  test('non-canonical trailing bits are refused for both padding lengths', () => {
    expect(api.cfBase64Decode('YR__')).toBeNull();
    expect(api.cfBase64Decode('YWJ_')).toBeNull();
    expect(api.cfBase64Decode('YWI_')).not.toBeNull();
  });

  test('characters outside the alphabet are refused wherever they are', () => {
    for (const bad of [
      '=WJj',
      'Y=Jj',
      'YW=j',
      'YWJ=',
      'YWJj+AAA',
      'AAAA/AAA',
      'AAAAAA\u00e9A',
      '\u0100AAA',
      'YW_j',
    ])
      expect(api.cfBase64Decode(bad), bad).toBeNull();
    expect(api.cfBase64Decode('~-~-')).toEqual(new Uint8Array([0xff, 0xef, 0xfe]));
  });

  test('utf8: ASCII, non-ASCII and long text give the UTF-8 bytes', () => {
    const enc = new TextEncoder();
    for (const s of ['', 'a', 'é', `${'a'.repeat(1100)}`, `${'a'.repeat(10)}é`, '文'])
      expect(utf8(s)).toEqual(enc.encode(s));
  });
});

describe('cookie paths and serialization', () => {
  test.each([
    [`${CDN}/private/videos/*`, '/private/videos/'],
    [`${CDN}/private/a.jpg`, '/private/'],
    [`${CDN}/private/`, '/private/'],
    [`${CDN}/private/v*/x`, '/private/'],
    [`${CDN}/private/a?c/*`, '/private/'],
    [`${CDN}/*`, '/'],
    [CDN, '/'],
    ['*', '/'],
    ['', '/'],
    ['/v/a*', '/v/'],
    ['*/images/*', '/images/'],
  ])('cookiePathFor(%j) is %j', (resource, path) => {
    expect(api.cookiePathFor(resource)).toBe(path);
  });

  test('serializeCookie writes each attribute once, in order, only when set', () => {
    const base = {
      name: 'CloudFront-Policy',
      value: 'abc',
      path: '/v/',
      secure: false,
      httpOnly: false,
      sameSite: 'Lax' as const,
    };
    expect(api.serializeCookie(base)).toBe('CloudFront-Policy=abc; Path=/v/; SameSite=Lax');
    expect(
      api.serializeCookie({
        ...base,
        domain: 'example.com',
        maxAge: 0,
        expires: new Date(0),
        secure: true,
        httpOnly: true,
        sameSite: 'Strict',
      }),
    ).toBe(
      'CloudFront-Policy=abc; Domain=example.com; Path=/v/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Strict',
    );
    for (const bad of [
      { name: 'a b' },
      { value: 'a;b' },
      { path: 'v' },
      { path: 'v/' },
      { domain: 'x;y' },
      { sameSite: 'lax' },
      { maxAge: -1 },
      { expires: 'never' },
      { secure: 'yes' },
      { httpOnly: 1 },
    ])
      expect(() => api.serializeCookie({ ...base, ...bad } as never), JSON.stringify(bad)).toThrow(
        coded('ERR_INVALID_COOKIE_OPTIONS'),
      );
  });

  test('serializeCookie takes a name and a value that are strings, never "42=..." or "=undefined"', () => {
    const base = { name: 'a', value: 'b', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' as const };
    expect(api.serializeCookie(base)).toBe('a=b; Path=/; Secure; HttpOnly; SameSite=Lax');
    for (const bad of [{ name: 42 }, { value: 5 }, { value: undefined }, { value: null }])
      expect(() => api.serializeCookie({ ...base, ...bad } as never), JSON.stringify(bad)).toThrow(
        coded('ERR_INVALID_COOKIE_OPTIONS'),
      );
  });

  test('clearCookies: defaults, a chosen subset, and the same validation as signing', () => {
    const all = api.clearCookies();
    expect(all.map((c) => c.name)).toEqual([...api.COOKIE_NAMES]);
    expect(
      all.every((c) => c.path === '/' && c.secure && c.httpOnly && c.sameSite === 'Lax' && c.maxAge === 0),
    ).toBe(true);
    expect(all.every((c) => c.domain === undefined && c.expires?.getTime() === 0 && c.value === '')).toBe(
      true,
    );
    const some = api.clearCookies({ domain: 'example.com', path: '/v/', sameSite: 'None' }, [
      'CloudFront-Policy',
    ]);
    expect(some).toHaveLength(1);
    expect(api.serializeCookie(some[0]!)).toBe(
      'CloudFront-Policy=; Domain=example.com; Path=/v/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=None',
    );
    expect(api.clearCookies({ secure: false })[0]!.secure).toBe(false);
    for (const bad of [
      { sameSite: 'None', secure: false },
      { path: '/a b' },
      { domain: 'a;b' },
      { secure: 'yes' },
      { sameSite: 'lax' },
    ])
      expect(() => api.clearCookies(bad as never), JSON.stringify(bad)).toThrow(
        coded('ERR_INVALID_COOKIE_OPTIONS'),
      );
  });

  test('clearCookies takes an attributes object and a list of cookie-token names', () => {
    expect(api.clearCookies(undefined, ['CloudFront-Policy', 'session'])).toHaveLength(2);
    for (const attrs of ['example.com', 42, null, ['/v/']])
      expect(() => api.clearCookies(attrs as never), JSON.stringify(attrs)).toThrow(
        coded('ERR_INVALID_COOKIE_OPTIONS'),
      );
    for (const names of [
      ['CloudFront-Policy', 'a b'],
      ['a;b', 'CloudFront-Policy'],
      [42],
      'CloudFront-Policy',
    ])
      expect(() => api.clearCookies({}, names as never), JSON.stringify(names)).toThrow(
        coded('ERR_INVALID_COOKIE_OPTIONS'),
      );
  });
});

describe('IPv4 ranges', () => {
  test.each([
    ['192.0.2.7', '192.0.2.7/32'],
    ['192.0.2.0/0', '192.0.2.0/0'],
    ['192.0.2.0/9', '192.0.2.0/9'],
    ['192.0.2.0/19', '192.0.2.0/19'],
    ['192.0.2.0/30', '192.0.2.0/30'],
    ['::ffff:192.0.2.0/128', '192.0.2.0/32'],
    ['::ffff:192.0.2.0/96', '192.0.2.0/0'],
    ['0:0:0:0:0:FFFF:c000:0201', '192.0.2.1/32'],
    ['::ffff:ffff:ffff', '255.255.255.255/32'],
  ])('%j becomes %j', (input, out) => {
    expect(api.normalizeIpRange(input)).toBe(out);
  });

  test.each([
    '192.0.2.0/09',
    '192.0.2.0/033',
    '192.0.2.0/a',
    '::ffff:192.0.2.0/95',
    '::ffff:192.0.2.0/129',
    '::ffff:192.0.2.0/x',
    '::1',
    '::ffff:1.2.3',
    '1.2.3.04',
    '1..2.3',
  ])('%j is refused', (input) => {
    expect(() => api.normalizeIpRange(input)).toThrow(coded('ERR_INVALID_IP_RANGE'));
  });

  test('ipInRange reads mapped viewers and refuses non-IPv4 ranges', () => {
    expect(api.ipInRange('::ffff:10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(api.ipInRange('::ffff:11.1.2.3', '10.0.0.0/8')).toBe(false);
    expect(api.ipInRange('10.1.2.3', '::ffff:10.0.0.0/8')).toBe(false);
    expect(api.ipInRange('10.1.2.3', '10.0.0.0/33')).toBe(false);
    expect(api.ipInRange('10.255.255.255', '10.0.0.0/8')).toBe(true);
    expect(api.ipInRange('11.0.0.0', '10.0.0.0/8')).toBe(false);
    expect(api.ipInRange('128.0.0.1', '0.0.0.0/1')).toBe(false);
    expect(api.ipInRange('127.0.0.1', '0.0.0.0/1')).toBe(true);
  });
});

describe('parsePolicy reads what the verifier needs and names what is wrong', () => {
  const st = (statement: string) => `{"Statement":[${statement}]}`;
  const less = '"DateLessThan":{"AWS:EpochTime":1893456000}';
  test.each([
    ['not json', /not valid JSON/],
    ['{}', /exactly one Statement/],
    ['{"Statement":{}}', /exactly one Statement/],
    [`{"Statement":[{"Condition":{${less}}},{"Condition":{${less}}}]}`, /exactly one Statement/],
    [st('null'), /not an object/],
    [st('5'), /not an object/],
    [st(`{"Resource":5,"Condition":{${less}}}`), /Resource must be a string/],
    [st('{"Resource":"https://h/*"}'), /no Condition/],
    [st('{"Resource":"https://h/*","Condition":{}}'), /DateLessThan/],
    [
      st(`{"Resource":"https://h/*","Condition":{${less},"DateGreaterThan":{"AWS:EpochTime":"1"}}}`),
      /DateGreaterThan/,
    ],
    [st(`{"Resource":"https://h/*","Condition":{${less},"IpAddress":{"AWS:SourceIp":5}}}`), /SourceIp/],
    [st(`{"Resource":"https://h/*","Condition":{${less},"IpAddress":null}}`), /SourceIp/],
    [st('{"Resource":"https://h/*","Condition":null}'), /no Condition/],
    [st('{"Resource":"https://h/*","Condition":"x"}'), /no Condition/],
  ])('%s is malformed', (json, reason) => {
    const r = api.parsePolicy(json);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(reason);
  });

  test('non-string, null and shapeless policies are malformed, never a throw', () => {
    for (const json of [5, null, 'null', '5', '{"Statement":[{"Resource":"https://h/*","Condition":5}]}'])
      expect(api.parsePolicy(json as never).ok, String(json)).toBe(false);
    expect(
      api.parsePolicy(
        '{"Statement":[{"Resource":"https://h/*","Condition":{"DateLessThan":{"AWS:EpochTime":"5"}}}]}',
      ).ok,
    ).toBe(false);
  });

  test('policy resources: http and https, or a leading wildcard; a bare "*" only when allowed', async () => {
    for (const r of ['http://h/*', 'https://h/*', 'http*', 'https?//h', '*', '?x'])
      expect(api.customPolicy({ resource: r, dateLessThan: 1893456000 }), r).toContain(`"Resource":"${r}"`);
    for (const r of ['ftp://h/*', 'h/*', 'httpx://h'])
      expect(() => api.customPolicy({ resource: r, dateLessThan: 1893456000 }), r).toThrow(
        coded('ERR_INVALID_RESOURCE'),
      );
    const pem = (await import('./helpers.js')).key('rsa-pkcs8.pem');
    const star = '{"Statement":[{"Resource":"*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}';
    const strict = api.createSigner({ keyPairId: 'K1', privateKey: pem, cache: false });
    await expect(strict.signUrl(`${CDN}/a`, { policy: star, now: 1_800_000_000_000 })).rejects.toMatchObject({
      code: 'ERR_INVALID_POLICY',
    });
    const any = api.createSigner({ keyPairId: 'K1', privateKey: pem, cache: false, allowAnyResource: true });
    expect(await any.signUrl(`${CDN}/a`, { policy: star, now: 1_800_000_000_000 })).toContain('Policy=');
  });

  test('a full policy reads back every condition; a missing Resource is "*" and flagged', () => {
    const full = st(
      `{"Resource":"https://h/*","Condition":{${less},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"},"DateGreaterThan":{"AWS:EpochTime":1}}}`,
    );
    expect(api.parsePolicy(full)).toEqual({
      ok: true,
      conditions: {
        resource: 'https://h/*',
        hasResource: true,
        dateLessThan: 1893456000,
        dateGreaterThan: 1,
        ipAddress: '192.0.2.0/24',
      },
    });
    expect(api.parsePolicy(st(`{"Condition":{${less}}}`))).toEqual({
      ok: true,
      conditions: { resource: '*', hasResource: false, dateLessThan: 1893456000 },
    });
  });

  test('customPolicy: botocore order, optional conditions only when given, inputs checked', () => {
    expect(api.customPolicy({ resource: `${CDN}/v/*`, dateLessThan: 1893456000 })).toBe(
      `{"Statement":[{"Resource":"${CDN}/v/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`,
    );
    expect(
      api.customPolicy({
        resource: `${CDN}/v/*`,
        dateLessThan: 1893456000,
        ipAddress: '::ffff:192.0.2.1',
        dateGreaterThan: 1893452400,
      }),
    ).toBe(
      `{"Statement":[{"Resource":"${CDN}/v/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000},"IpAddress":{"AWS:SourceIp":"192.0.2.1/32"},"DateGreaterThan":{"AWS:EpochTime":1893452400}}}]}`,
    );
    expect(() => api.customPolicy({ resource: `${CDN}/v/*`, dateLessThan: 5, dateGreaterThan: 5 })).toThrow(
      coded('ERR_INVALID_TIME_WINDOW'),
    );
    expect(() => api.customPolicy({ resource: 'ftp://x/*', dateLessThan: 5 })).toThrow(
      coded('ERR_INVALID_RESOURCE'),
    );
    expect(() => api.cannedPolicy(`${CDN}/v/a.jpg`, 1.5)).toThrow(coded('ERR_INVALID_EXPIRY'));
    expect(() => api.cannedPolicy(`${CDN}/v/a.jpg`, 2 ** 31)).toThrow(coded('ERR_INVALID_EXPIRY'));
    expect(() => api.customPolicy({ resource: `${CDN}/v/*`, dateLessThan: 1.5 })).toThrow(
      coded('ERR_INVALID_EXPIRY'),
    );
    expect(() => api.customPolicy({ resource: `${CDN}/v/*`, dateLessThan: 9, dateGreaterThan: 0 })).toThrow(
      coded('ERR_INVALID_START'),
    );
  });
});

describe('canonicalizeUrl options', () => {
  test('reserved params: "strip" drops them (and a "?" left empty), "error" refuses', () => {
    expect(api.canonicalizeUrl(`${CDN}/a?Expires=1`, { reservedParams: 'strip' }).resource).toBe(`${CDN}/a`);
    expect(api.canonicalizeUrl(`${CDN}/a?x=1&Signature=2&y=3`, { reservedParams: 'strip' }).resource).toBe(
      `${CDN}/a?x=1&y=3`,
    );
    expect(api.canonicalizeUrl(`${CDN}/a?x=Expires`).resource).toBe(`${CDN}/a?x=Expires`);
    expect(api.canonicalizeUrl(`${CDN}/a?`).resource).toBe(`${CDN}/a?`);
    expect(() => api.canonicalizeUrl(`${CDN}/a?Key-Pair-Id`)).toThrow(coded('ERR_RESERVED_QUERY_PARAM'));
    expect(() => api.canonicalizeUrl(`${CDN}/a`, { reservedParams: 'drop' as never })).toThrow(
      coded('ERR_INVALID_ARGUMENT'),
    );
  });

  test('a backslash in the query becomes %5C (as browsers send it), except in verbatim mode where it is refused', () => {
    expect(api.canonicalizeUrl(`${CDN}/a?x=a\\b`).resource).toBe(`${CDN}/a?x=a%5Cb`);
    expect(() => api.canonicalizeUrl(`${CDN}/a?x=a\\b`, { verbatim: true })).toThrow(
      coded('ERR_INVALID_URL'),
    );
  });

  test('the fragment is kept aside; schemes other than http(s) are refused', () => {
    expect(api.canonicalizeUrl(`${CDN}/a#x`)).toEqual({ resource: `${CDN}/a`, fragment: '#x' });
    expect(api.canonicalizeUrl(`${CDN}/a`)).toEqual({ resource: `${CDN}/a`, fragment: '' });
    expect(api.canonicalizeUrl('/a', { base: new URL(`${CDN}/p/`) }).resource).toBe(`${CDN}/a`);
    for (const url of ['ftp://cdn.example.com/a', 'data:text/plain,x', 'https://'])
      expect(() => api.canonicalizeUrl(url), url).toThrow();
    expect(() => api.canonicalizeUrl('ftp://cdn.example.com/a')).toThrow(coded('ERR_UNSUPPORTED_SCHEME'));
    expect(() => api.canonicalizeUrl('ftp://cdn.example.com/a', { verbatim: true })).toThrow(
      coded('ERR_UNSUPPORTED_SCHEME'),
    );
    expect(() => api.canonicalizeUrl(`${CDN}/a`, { base: 5 as never })).toThrow(coded('ERR_INVALID_URL'));
    expect(() => api.canonicalizeUrl(`${CDN}/a`, { verbatim: 'yes' as never })).toThrow(
      coded('ERR_INVALID_ARGUMENT'),
    );
  });

  test('appendSignedQuery joins with ? or & and keeps the fragment last', () => {
    expect(api.appendSignedQuery(`${CDN}/a`, 'Expires=1')).toBe(`${CDN}/a?Expires=1`);
    expect(api.appendSignedQuery(`${CDN}/a?x`, 'Expires=1', '#f')).toBe(`${CDN}/a?x&Expires=1#f`);
  });
});

describe('CfsignError', () => {
  test('carries its name, code, message and cause', () => {
    const cause = new Error('inner');
    const err = new api.CfsignError('ERR_INVALID_URL', 'bad', { cause });
    expect([err.name, err.code, err.message, err.cause]).toEqual([
      'CfsignError',
      'ERR_INVALID_URL',
      'bad',
      cause,
    ]);
    expect(err).toBeInstanceOf(Error);
    expect('cause' in new api.CfsignError('ERR_INVALID_URL', 'bad')).toBe(false);
  });

  test('isCfsignError: own errors, by code; errors from another copy of the package by name and string code', () => {
    const own = new api.CfsignError('ERR_INVALID_URL', 'bad');
    expect(api.isCfsignError(own)).toBe(true);
    expect(api.isCfsignError(own, 'ERR_INVALID_URL')).toBe(true);
    expect(api.isCfsignError(own, 'ERR_INVALID_RESOURCE')).toBe(false);
    const copy = Object.assign(new Error('bad'), { name: 'CfsignError', code: 'ERR_INVALID_URL' });
    expect(api.isCfsignError(copy)).toBe(true);
    expect(api.isCfsignError(copy, 'ERR_INVALID_URL')).toBe(true);
    expect(api.isCfsignError(copy, 'ERR_INVALID_RESOURCE')).toBe(false);
    for (const other of [
      new Error('bad'),
      Object.assign(new Error('bad'), { code: 'ERR_INVALID_URL' }),
      { name: 'CfsignError', code: 42 },
      { name: 'TypeError', code: 'ERR_INVALID_URL' },
      null,
      undefined,
      'CfsignError',
      42,
    ])
      expect(api.isCfsignError(other), String(other)).toBe(false);
  });
});
