/**
 * The argument checks every public function shares (src/args.ts): how a refused value is described
 * in a message, which names a message may quote, the hash-algorithm hint, and the clock's range.
 */
import vm from 'node:vm';
import { describe, expect, test } from 'vitest';
import { checkHashAlgorithm, dateTime, isName, readClock, SECONDS_LOOKALIKE_MS, show } from '../src/args.js';
import { isCfsignError } from '../src/errors.js';
import { key } from './helpers.js';

/** The last millisecond CloudFront's epoch-seconds range can name: 2038-01-19T03:14:07.999Z. */
const LAST_MS = Date.UTC(2038, 0, 19, 3, 14, 7, 999);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isCfsignError(err) ? err.code : `not a CfsignError: ${String(err)}`;
  }
  return undefined;
}

describe('show: the value a message quotes', () => {
  test('a string is quoted, and cut to 57 characters and "..." past 60', () => {
    expect(show('expiresIn')).toBe('"expiresIn"');
    expect(show('')).toBe('""');
    expect(show('a'.repeat(60))).toBe(`"${'a'.repeat(60)}"`);
    expect(show('a'.repeat(61))).toBe(`"${'a'.repeat(57)}..."`);
  });

  test('text that looks like a PEM key is never echoed, only its length', () => {
    const pem = key('rsa-pkcs8.pem');
    expect(show(pem)).toBe(`a ${pem.length}-character string that looks like key material (not shown)`);
    expect(show('xx PRIVATE KEY xx')).not.toContain('xx');
  });

  test('key bytes without their PEM armour (base64 DER) are not echoed either; hex digests are', () => {
    const body = key('ec-pkcs8.pem')
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    expect(show(body)).toBe(`a ${body.length}-character string that looks like key material (not shown)`);
    expect(show(`https://cdn.example.com/${body}`)).not.toContain(body.slice(0, 20));
    const digest = 'ab'.repeat(40);
    expect(show(digest)).toContain(digest.slice(0, 40));
    // Upper-case hex (and upper-case IDs) have one letter case: shown too.
    const upper = 'AB12'.repeat(20);
    expect(show(upper)).toContain(upper.slice(0, 40));
  });

  test('a Date of another realm has a time; a Proxy of a Date, a fake tag and a non-object do not', () => {
    const other = vm.runInNewContext('new Date(Date.UTC(2030, 0, 1))');
    expect(other instanceof Date).toBe(false);
    expect(dateTime(other)).toBe(Date.UTC(2030, 0, 1));
    expect(dateTime(new Date(5))).toBe(5);
    expect(dateTime(new Proxy(new Date(5), {}))).toBeUndefined();
    expect(dateTime({ [Symbol.toStringTag]: 'Date' })).toBeUndefined();
    expect(dateTime(5)).toBeUndefined();
    expect(dateTime(null)).toBeUndefined();
  });

  test('numbers, booleans and bigints print as written; null and undefined by name', () => {
    expect(show(1.5)).toBe('1.5');
    expect(show(Number.NaN)).toBe('NaN');
    expect(show(false)).toBe('false');
    expect(show(10n)).toBe('10n');
    expect(show(null)).toBe('null');
    expect(show(undefined)).toBe('undefined');
  });

  test('other values are named by kind, and none makes it throw', () => {
    expect(show(Symbol('s'))).toBe('a symbol');
    expect(show(() => 1)).toBe('a function');
    expect(show([1, 2])).toBe('an array');
    expect(show(new Uint8Array(2))).toBe('a Uint8Array');
    expect(show({ a: 1 })).toBe('an object');
    expect(show(Object.create(null))).toBe('an object');
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    expect(show(proxy)).toBe('a value');
  });
});

describe('isName: the parameter names a message may quote', () => {
  test('word characters, spaces, dots, brackets, quotes and hyphens, 1 to 60 of them', () => {
    for (const name of ['now', 'cache.bucket', 'keys["K1"]', 'a b-c', 'x'.repeat(60)])
      expect(isName(name)).toBe(true);
    for (const name of ['', 'x'.repeat(61), 'bad\nname', 'name\n', '\nname', '<script>', 7])
      expect(isName(name)).toBe(false);
  });
});

describe('checkHashAlgorithm', () => {
  test("takes CloudFront's two tokens as spelled on the wire, and undefined", () => {
    expect(checkHashAlgorithm('SHA1')).toBe('SHA1');
    expect(checkHashAlgorithm('SHA256')).toBe('SHA256');
    expect(checkHashAlgorithm(undefined)).toBeUndefined();
  });

  test('refuses other spellings with ERR_INVALID_HASH_ALGORITHM, naming the exact token to use', () => {
    const message = (value: unknown) => {
      try {
        checkHashAlgorithm(value);
      } catch (err) {
        expect(isCfsignError(err, 'ERR_INVALID_HASH_ALGORITHM')).toBe(true);
        return (err as Error).message;
      }
      throw new Error(`${String(value)} was accepted`);
    };
    expect(message('sha-256')).toContain('Spell it "SHA256" exactly');
    expect(message('sha_1')).toContain('Spell it "SHA1" exactly');
    expect(message('SHA-384')).toContain('CloudFront supports only these two.');
    expect(message('SHA-384')).not.toContain('Spell it');
    expect(message(256)).toContain('CloudFront supports only these two.');
  });
});

describe('readClock: milliseconds since the epoch, within what a policy can name', () => {
  test('reads a number of milliseconds or a Date, and Date.now() when not given', () => {
    expect(readClock(LAST_MS)).toBe(LAST_MS);
    expect(readClock(new Date(LAST_MS))).toBe(LAST_MS);
    expect(readClock(SECONDS_LOOKALIKE_MS)).toBe(SECONDS_LOOKALIKE_MS);
    const before = Date.now();
    const now = readClock(undefined);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  test('refuses a clock after 2038-01-19T03:14:07Z, one that looks like seconds, and non-numbers', () => {
    expect(codeOf(() => readClock(LAST_MS + 1))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => readClock(SECONDS_LOOKALIKE_MS - 1))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => readClock(Math.floor(LAST_MS / 1000)))).toBe('ERR_INVALID_ARGUMENT');
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, '1893456000000', new Date(Number.NaN), null])
      expect(codeOf(() => readClock(value))).toBe('ERR_INVALID_ARGUMENT');
  });
});
