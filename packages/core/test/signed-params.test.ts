import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { paramsFromUrl, readSignedUrl, stripSigningParams } from '../src/verify/signed-params.js';

/**
 * The edge's reading, written the plain way: drop the fragment, split the query on `&`, a pair's name
 * ends at its first `=`, the first value of a name counts, and every other pair is kept as it was.
 */
function reference(url: string) {
  const noFragment = url.split('#')[0]!;
  const q = noFragment.indexOf('?');
  if (q === -1) return { params: null, resource: noFragment };
  const names: Record<string, string> = {
    Expires: 'expires',
    Policy: 'policy',
    Signature: 'signature',
    'Key-Pair-Id': 'keyPairId',
    'Hash-Algorithm': 'hashAlgorithm',
  };
  let params: Record<string, string> | null = null;
  const kept: string[] = [];
  for (const pair of noFragment.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const key = Object.hasOwn(names, name) ? names[name]! : undefined;
    if (key === undefined) kept.push(pair);
    else {
      params ??= { source: 'url' };
      params[key] ??= eq === -1 ? '' : pair.slice(eq + 1);
    }
  }
  const base = noFragment.slice(0, q);
  return { params, resource: kept.length === 0 ? base : `${base}?${kept.join('&')}` };
}

describe('reading signing params from a request URL (docs/signing.md §7)', () => {
  test('takes the first value of each name and keeps every other pair byte for byte', () => {
    const url =
      'https://cdn.example.com/a.jpg?w=1&Expires=10&Expires=20&x&=&Signature=S&Key-Pair-Id=K#f?Policy=P';
    expect(readSignedUrl(url)).toEqual({
      params: { source: 'url', expires: '10', signature: 'S', keyPairId: 'K' },
      resource: 'https://cdn.example.com/a.jpg?w=1&x&=',
    });
  });

  test('names match whole and case-sensitively', () => {
    const url = 'https://cdn.example.com/a?Expiress=1&expires=2&Expire=3&Key-Pair-Id';
    expect(paramsFromUrl(url)).toEqual({ source: 'url', keyPairId: '' });
    expect(stripSigningParams(url)).toBe('https://cdn.example.com/a?Expiress=1&expires=2&Expire=3');
  });

  test('a bare query is read too', () => {
    expect(readSignedUrl('?Expires=1&a=b')).toEqual({
      params: { source: 'url', expires: '1' },
      resource: '?a=b',
    });
  });

  test('a URL with only signing params reads back without a "?"; one without any keeps its "?"', () => {
    expect(stripSigningParams('https://c.example/a?Expires=1&Signature=s')).toBe('https://c.example/a');
    expect(readSignedUrl('https://c.example/a?')).toEqual({ params: null, resource: 'https://c.example/a?' });
    expect(readSignedUrl('https://c.example/a#x?Expires=1')).toEqual({
      params: null,
      resource: 'https://c.example/a',
    });
  });

  test('agrees with the plain reading on any URL made of names, separators and fragments', () => {
    const piece = fc.constantFrom(
      'Expires',
      'Policy',
      'Signature',
      'Key-Pair-Id',
      'Hash-Algorithm',
      'Expire',
      'Signatures',
      'constructor',
      '__proto__',
      '=',
      '&',
      '?',
      '#',
      'a',
      '1',
      '%3D',
      '',
    );
    fc.assert(
      // Also a bare query (`stripSigningParams` takes any string): a URL may start with `?`.
      fc.property(
        fc.constantFrom('https://cdn.example.com/p', ''),
        fc.array(piece, { maxLength: 14, size: 'max' }),
        (head, pieces) => {
          const url = `${head}${pieces.join('')}`;
          expect(readSignedUrl(url)).toEqual(reference(url));
        },
      ),
      { seed: 11, numRuns: 5000 },
    );
  });
});
