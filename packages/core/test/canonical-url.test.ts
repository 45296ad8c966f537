import { describe, expect, test } from 'vitest';
import { appendSignedQuery, canonicalizeUrl, isPrintableResource, urlText } from '../src/canonical-url.js';

const coded = (code: string) => expect.objectContaining({ code });

describe('the resource string is what a browser sends (docs/signing.md §4)', () => {
  test.each([
    [
      "HTTPS://CDN.Example.com:443/a/./b/../Photo 1.jpg?x=it's#top",
      'https://cdn.example.com/a/Photo%201.jpg?x=it%27s',
      '#top',
    ],
    [
      'https://cdn.example.com/café/文.png?q=é',
      'https://cdn.example.com/caf%C3%A9/%E6%96%87.png?q=%C3%A9',
      '',
    ],
    ['https://cdn.example.com/%7Euser/%2e%2e/x', 'https://cdn.example.com/x', ''],
    ['https://bücher.example/x.jpg', 'https://xn--bcher-kva.example/x.jpg', ''],
    ['https://cdn.example.com/p?a=b+c&d=%7e', 'https://cdn.example.com/p?a=b+c&d=%7e', ''],
    ['https://cdn.example.com/p?x=a\\b', 'https://cdn.example.com/p?x=a%5Cb', ''],
    ['http://cdn.example.com:80/a', 'http://cdn.example.com/a', ''],
    ['https://cdn.example.com:8443/a', 'https://cdn.example.com:8443/a', ''],
    ['https://cdn.example.com/a%20b/%2F?q=%20', 'https://cdn.example.com/a%20b/%2F?q=%20', ''],
    ['https://cdn.example.com/a"b<c>?q="<>', 'https://cdn.example.com/a%22b%3Cc%3E?q=%22%3C%3E', ''],
    ['https://cdn.example.com', 'https://cdn.example.com/', ''],
    ['https://cdn.example.com/a#', 'https://cdn.example.com/a', '#'],
  ])('%s → %s', (input, resource, fragment) => {
    expect(canonicalizeUrl(input)).toEqual({ resource, fragment });
    // idempotence: the resource parses back to itself
    expect(new URL(resource).href).toBe(resource);
  });

  test('resolves relative and protocol-relative links against the page', () => {
    expect(canonicalizeUrl('../img/a.jpg', { base: 'https://www.example.com/shop/p/1' }).resource).toBe(
      'https://www.example.com/shop/img/a.jpg',
    );
    expect(canonicalizeUrl('//cdn.example.com/a.jpg', { base: 'http://www.example.com/' }).resource).toBe(
      'http://cdn.example.com/a.jpg',
    );
  });

  test('verbatim mode validates without re-serializing', () => {
    expect(canonicalizeUrl('https://cdn.example.com/a/./b?x=%7e#f', { verbatim: true })).toEqual({
      resource: 'https://cdn.example.com/a/./b?x=%7e',
      fragment: '#f',
    });
    expect(() => canonicalizeUrl('https://cdn.example.com/a b', { verbatim: true })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_URL' }),
    );
  });

  test.each([
    'mailto:a@example.com',
    'data:image/png;base64,AA',
    'javascript:alert(1)',
    'blob:https://x/1',
    'ftp://cdn.example.com/a',
  ])('refuses %s with ERR_UNSUPPORTED_SCHEME', (input) => {
    expect(() => canonicalizeUrl(input)).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_SCHEME', message: expect.stringContaining('http') }),
    );
  });

  test('refuses a relative link without a base, saying how to fix it', () => {
    expect(() => canonicalizeUrl('/a.jpg')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_URL', message: expect.stringContaining('base') }),
    );
  });

  test.each(['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm'])(
    'refuses an app param named %s, or strips it by option',
    (name) => {
      const url = `https://cdn.example.com/a?x=1&${name}=2&y=3`;
      expect(() => canonicalizeUrl(url)).toThrow(
        expect.objectContaining({ code: 'ERR_RESERVED_QUERY_PARAM', message: expect.stringContaining(name) }),
      );
      expect(canonicalizeUrl(url, { reservedParams: 'strip' }).resource).toBe(
        'https://cdn.example.com/a?x=1&y=3',
      );
    },
  );

  test('reserved names are case-sensitive and exact', () => {
    expect(canonicalizeUrl('https://cdn.example.com/a?expires=1&Expires2=3&XSignature=1').resource).toBe(
      'https://cdn.example.com/a?expires=1&Expires2=3&XSignature=1',
    );
  });

  test('the signing query goes before the fragment, joined with ? or &', () => {
    expect(appendSignedQuery('https://h/a', 'Expires=1', '#f')).toBe('https://h/a?Expires=1#f');
    expect(appendSignedQuery('https://h/a?x=1', 'Expires=1')).toBe('https://h/a?x=1&Expires=1');
  });

  test('appendSignedQuery takes three strings', () => {
    for (const args of [
      [5, 'Expires=1', ''],
      ['https://h/a', 5, ''],
      ['https://h/a', 'Expires=1', null],
      ['https://h/a', 'Expires=1', 5],
    ])
      expect(() => appendSignedQuery(...(args as [string, string, string])), JSON.stringify(args)).toThrow(
        coded('ERR_INVALID_ARGUMENT'),
      );
  });

  test('options must be an object', () => {
    for (const options of ['strip', null, 42, ['verbatim']])
      expect(() => canonicalizeUrl('https://cdn.example.com/a', options as never), String(options)).toThrow(
        coded('ERR_INVALID_ARGUMENT'),
      );
  });

  test('verbatim URLs start with http:// or https://, nothing before it', () => {
    expect(canonicalizeUrl('http://cdn.example.com/a', { verbatim: true }).resource).toBe(
      'http://cdn.example.com/a',
    );
    for (const url of [
      'xhttps://cdn.example.com/a',
      'web+https://cdn.example.com/a',
      'HTTPS://cdn.example.com/a',
    ])
      expect(() => canonicalizeUrl(url, { verbatim: true }), url).toThrow(coded('ERR_UNSUPPORTED_SCHEME'));
  });

  test('a URL object from another realm is read by its href; an object that only has an href is not a URL', () => {
    const foreign = { href: 'https://cdn.example.com/a b', [Symbol.toStringTag]: 'URL' };
    expect(canonicalizeUrl(foreign as never).resource).toBe('https://cdn.example.com/a%20b');
    expect(canonicalizeUrl(new URL('https://cdn.example.com/a b')).resource).toBe(
      'https://cdn.example.com/a%20b',
    );
    for (const fake of [
      { href: 'https://cdn.example.com/a' },
      { href: 42, [Symbol.toStringTag]: 'URL' },
      { href: 'https://cdn.example.com/a', [Symbol.toStringTag]: 'Location' },
    ])
      expect(() => canonicalizeUrl(fake as never), JSON.stringify(fake)).toThrow(coded('ERR_INVALID_URL'));
    expect(urlText(foreign)).toBe('https://cdn.example.com/a b');
    expect(() => urlText({ href: 42, [Symbol.toStringTag]: 'URL' })).toThrow(coded('ERR_INVALID_URL'));
  });

  test('isPrintableResource: printable ASCII without quote or backslash, and only strings', () => {
    expect(isPrintableResource('https://cdn.example.com/a?b=%22')).toBe(true);
    expect(isPrintableResource('')).toBe(true);
    for (const s of ['a b', 'a"b', 'a\\b', 'é', 'a\tb', 'a\x7f'])
      expect(isPrintableResource(s), JSON.stringify(s)).toBe(false);
    for (const s of [42, null, undefined, ['a']])
      expect(isPrintableResource(s as never), String(s)).toBe(false);
  });
});
