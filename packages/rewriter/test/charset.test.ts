// The HTML encoding as browsers determine it (byte order mark, Content-Type, <meta> prescan of
// the first 1024 bytes), and legacy ASCII-compatible pages rewritten byte-exactly outside the
// targeted values, however they are chunked. (charset.browser.test.ts asks Chromium.)
import { describe, expect, it } from 'vitest';
import { sniffCharset } from '../src/html/charset-prescan.js';
import { createEngine, type RewriteStreamOptions } from '../src/resolver-rewriter.js';

import { bytes, SNIFF_CASES } from './helpers/sniff-cases.js';

describe('encoding sniffing', () => {
  for (const [name, body, ct, want] of SNIFF_CASES)
    it(name, () => {
      expect(sniffCharset(body, ct).encoding).toBe(want);
    });
});

function run(input: Uint8Array, cuts: number[], o: RewriteStreamOptions): Uint8Array {
  const engine = createEngine('html', o);
  const parts: Uint8Array[] = [];
  let p = 0;
  for (const c of [...cuts, input.length]) {
    parts.push(engine.push(input.subarray(p, c), false) as Uint8Array);
    p = c;
  }
  parts.push(engine.push(new Uint8Array(0), true) as Uint8Array);
  return new Uint8Array(parts.flatMap((x) => [...x]));
}

// legacy text: Shift_JIS 表 and ソ end in 0x5C ('\'), EUC-KR and windows-1252 bytes >= 0x80
const LEGACY: [string, string | undefined, number[], string][] = [
  ['windows-1252', undefined, [0x63, 0x61, 0x66, 0xe9], 'café'],
  ['shift_jis', undefined, [0x95, 0x5c, 0x83, 0x5c, 0x93, 0xfa], '表ソ日'],
  ['euc-kr', undefined, [0xc7, 0xd1, 0xb1, 0xb9], '한국'],
  ['shift_jis', 'Shift_JIS', [0x95, 0x5c, 0x83, 0x5c], '表ソ'],
];

describe('legacy ASCII-compatible pages', () => {
  for (const [encoding, ct, text, decoded] of LEGACY)
    it(`${encoding}${ct ? ' (Content-Type)' : ' (meta)'}: byte-exact outside the link, at every split`, () => {
      const head = ct ? '<title>' : `<meta charset="${encoding}"><title>`;
      const input = bytes(
        head,
        text,
        '</title><p title="',
        text,
        '">',
        text,
        '<img alt="',
        text,
        '" src="/p/',
        text,
        '.jpg?q=',
        text,
        '">',
        text,
      );
      const seen: string[] = [];
      const o = (): RewriteStreamOptions => ({
        resolve: (u) => {
          seen.push(u);
          return u.startsWith('/p/') ? 'https://cdn.test/signed?a=1&b=2' : null;
        },
        ...(ct !== undefined && { charset: ct }),
      });
      const want = bytes(
        head,
        text,
        '</title><p title="',
        text,
        '">',
        text,
        '<img alt="',
        text,
        '" src="https://cdn.test/signed?a=1&amp;b=2">',
        text,
      );
      expect(run(input, [], o())).toEqual(want);
      expect(seen).toEqual([`/p/${decoded}.jpg?q=${decoded}`]);
      for (let at = 1; at < input.length; at++) expect(run(input, [at], o()), `split @${at}`).toEqual(want);
      const bytewise = Array.from({ length: input.length - 1 }, (_, i) => i + 1);
      expect(run(input, bytewise, o())).toEqual(want);
    });

  it('a UTF-16 page (byte order mark) passes through untouched, with a named skip reason', () => {
    const utf16 = [0xff, 0xfe, ...[...'<img src="/p/a.jpg">'].flatMap((ch) => [ch.charCodeAt(0), 0])];
    const input = new Uint8Array(utf16);
    const skips: [string, string][] = [];
    const o = (): RewriteStreamOptions => ({ resolve: () => 'x', onSkip: (r, d) => skips.push([r, d]) });
    expect(run(input, [], o())).toEqual(input);
    expect(run(input, [1], o())).toEqual(input);
    expect(skips).toEqual([
      ['charset', 'utf-16le (from the bom)'],
      ['charset', 'utf-16le (from the bom)'],
    ]);
  });

  it('a UTF-8 byte order mark overrides a legacy Content-Type', () => {
    const input = bytes([0xef, 0xbb, 0xbf], '<img src="/p/é.jpg">');
    const seen: string[] = [];
    run(input, [2], {
      resolve: (u) => {
        seen.push(u);
        return null;
      },
      charset: 'windows-1252',
    });
    expect(seen).toEqual(['/p/é.jpg']);
  });
});
