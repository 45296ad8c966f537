// Encoding sniffing cases shared by charset.test.ts and charset.browser.test.ts.
const enc = new TextEncoder();
export const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc.encode(p)] : p)));

/** [case, body, Content-Type label, encoding a browser uses (null: undeclared; never euc-kr)] */
export const SNIFF_CASES: [string, Uint8Array, string | undefined, string | null][] = [
  ['UTF-8 BOM beats Content-Type', bytes([0xef, 0xbb, 0xbf], '<p>x'), 'windows-1252', 'utf-8'],
  ['UTF-16LE BOM', bytes([0xff, 0xfe], '<\0p\0>\0'), undefined, 'utf-16le'],
  ['UTF-16BE BOM', bytes([0xfe, 0xff], '\0<\0p\0>'), 'utf-8', 'utf-16be'],
  ['Content-Type beats meta', bytes('<meta charset="euc-kr">'), 'Shift_JIS', 'shift_jis'],
  ['unknown Content-Type label: meta', bytes('<meta charset="euc-kr">'), 'x-nonsense', 'euc-kr'],
  ['meta charset', bytes('<!doctype html><html><head><meta charset=Shift_JIS>'), undefined, 'shift_jis'],
  ['meta charset, quoted, after a slash', bytes("<meta/charset='windows-1251'>"), undefined, 'windows-1251'],
  [
    'http-equiv Content-Type',
    bytes('<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'),
    undefined,
    'euc-kr',
  ],
  [
    'content before http-equiv',
    bytes('<meta content="text/html;charset = \'gbk\'" http-equiv=content-type>'),
    undefined,
    'gbk',
  ],
  ['content without http-equiv is no declaration', bytes('<meta content="charset=euc-kr">'), undefined, null],
  ['a meta in a comment is skipped', bytes('<!-- <meta charset=euc-kr> -->'), undefined, null],
  [
    '<!--> is an empty comment (as Chromium reads it)',
    bytes('<!--><meta charset=euc-kr>-->'),
    undefined,
    'euc-kr',
  ],
  ['<!---> is an empty comment', bytes('<!---><meta charset=gbk>-->'), undefined, 'gbk'],
  ['a meta in an attribute is skipped', bytes('<div title="<meta charset=euc-kr>">'), undefined, null],
  [
    'a meta after 1024 bytes is not seen',
    bytes(`<p>${'x'.repeat(1030)}<meta charset=euc-kr>`),
    undefined,
    null,
  ],
  [
    'the first meta that declares wins',
    bytes('<meta charset=bogus><meta charset=koi8-r><meta charset=gbk>'),
    undefined,
    'koi8-r',
  ],
  ['meta UTF-16 means UTF-8', bytes('<meta charset="utf-16le">'), undefined, 'utf-8'],
  ['x-user-defined means windows-1252', bytes('<meta charset="x-user-defined">'), undefined, 'windows-1252'],
  ['<metadata> is no meta', bytes('<metadata charset=euc-kr><meta charset=gbk>'), undefined, 'gbk'],
];
