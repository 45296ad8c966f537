import { describe, expect, it } from 'vitest';
import { formatFor } from '../src/content-type.js';
import { cssEscapeUrl } from '../src/css/css-urls.js';
import { enc, firstBadSplit, once } from './helpers/run.js';

const signed = (u: string) => `https://c.test${u}${u.includes('?') ? '&' : '?'}s=1&k=2`;
const resolve = (u: string) => (u.startsWith('/p/') ? signed(u) : null);
const opts = () => ({ resolve });

const CSS: [string, string, string][] = [
  [
    'url() forms',
    'a{b:url(/p/a.png);c:URL( "/p/b.png" );d:url(\'/p/c.png\')}',
    `a{b:url(${signed('/p/a.png')});c:URL( "${signed('/p/b.png')}" );d:url('${signed('/p/c.png')}')}`,
  ],
  [
    '@import string and url()',
    '@import "/p/a.css";@import url(/p/b.css) screen;@import \'/x.css\';',
    `@import "${signed('/p/a.css')}";@import url(${signed('/p/b.css')}) screen;@import '/x.css';`,
  ],
  [
    'not url(): other functions, escapes, bad urls',
    'a{b:myurl(/p/a.png);c:url(/p/a\\(1\\).png);d:url(/p/a b.png);e:src(/p/x)}',
    'a{b:myurl(/p/a.png);c:url(/p/a\\(1\\).png);d:url(/p/a b.png);e:src(/p/x)}',
  ],
  [
    'font-face with format()',
    '@font-face{src:url(/p/f.woff2) format("woff2"),url(/p/f.woff) format("woff")}',
    `@font-face{src:url(${signed('/p/f.woff2')}) format("woff2"),url(${signed('/p/f.woff')}) format("woff")}`,
  ],
];

const HLS: [string, string, string][] = [
  [
    'master playlist',
    '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1280000,CODECS="avc1.4d401f,mp4a.40.2"\n/p/720.m3u8\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="/p/audio.m3u8"\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=86000,URI="/p/iframe.m3u8"\n',
    `#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1280000,CODECS="avc1.4d401f,mp4a.40.2"\n${signed('/p/720.m3u8')}\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="${signed('/p/audio.m3u8')}"\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=86000,URI="${signed('/p/iframe.m3u8')}"\n`,
  ],
  [
    'media playlist with key, map, CRLF and comments',
    '#EXTM3U\r\n#EXT-X-KEY:METHOD=AES-128,URI="/p/key.bin",IV=0x1\r\n#EXT-X-MAP:URI="/p/init.mp4"\r\n# comment /p/x.ts\r\n#EXTINF:4.0,\r\n/p/seg1.ts\r\n#EXTINF:4.0,\r\nseg2.ts\r\n#EXT-X-ENDLIST',
    `#EXTM3U\r\n#EXT-X-KEY:METHOD=AES-128,URI="${signed('/p/key.bin')}",IV=0x1\r\n#EXT-X-MAP:URI="${signed('/p/init.mp4')}"\r\n# comment /p/x.ts\r\n#EXTINF:4.0,\r\n${signed('/p/seg1.ts')}\r\n#EXTINF:4.0,\r\nseg2.ts\r\n#EXT-X-ENDLIST`,
  ],
];

const DASH: [string, string, string][] = [
  [
    'BaseURL file, SegmentTemplate attributes, directories left alone',
    '<MPD><Period><BaseURL>/p/dir/</BaseURL><AdaptationSet><SegmentTemplate media="/p/v/seg-$Number$.m4s?a=1&amp;b=2" initialization=\'/p/v/init.mp4\'/><Representation><BaseURL> /p/file.mp4 </BaseURL></Representation></AdaptationSet></Period></MPD>',
    `<MPD><Period><BaseURL>/p/dir/</BaseURL><AdaptationSet><SegmentTemplate media="${signed('/p/v/seg-$Number$.m4s?a=1&b=2').replace(/&/g, '&amp;')}" initialization='${signed('/p/v/init.mp4').replace(/&/g, '&amp;')}'/><Representation><BaseURL> ${signed('/p/file.mp4').replace(/&/g, '&amp;')} </BaseURL></Representation></AdaptationSet></Period></MPD>`,
  ],
];

for (const [format, cases] of [
  ['css', CSS],
  ['hls', HLS],
  ['dash', DASH],
] as const)
  describe(`${format} rewriting`, () => {
    for (const [name, input, expected] of cases)
      it(name, () => {
        expect(once(format, input, opts())).toBe(expected);
        expect(firstBadSplit(format, input, opts, expected)).toBe(-1);
      });
  });

describe('helpers', () => {
  it('escapes URLs for CSS', () => {
    expect(cssEscapeUrl('/a(1).png', 0)).toBe('/a\\(1\\).png');
    expect(cssEscapeUrl("/a'b.png", 0x27)).toBe("/a\\'b.png");
    expect(cssEscapeUrl('/a"b.png', 0x27)).toBe('/a"b.png');
  });

  it('picks the rewriter by content type', () => {
    expect(formatFor('text/html; charset=UTF-8')).toEqual({ format: 'html', charset: 'UTF-8' });
    expect(formatFor('text/css')).toEqual({ format: 'css', charset: undefined });
    expect(formatFor('application/vnd.apple.mpegurl')).toEqual({ format: 'hls', charset: undefined });
    expect(formatFor('application/dash+xml')).toEqual({ format: 'dash', charset: undefined });
    expect(formatFor('application/json')).toEqual({ format: null, reason: 'not-rewritable-type' });
    expect(formatFor(undefined)).toEqual({ format: null, reason: 'no-content-type' });
    for (const name of ['constructor', 'toString', '__proto__'])
      expect(formatFor(name)).toEqual({ format: null, reason: 'not-rewritable-type' });
    expect(formatFor('text/html; charset="utf-16"')).toEqual({
      format: null,
      reason: 'unsupported-charset',
    });
  });

  it('keeps long CSS tokens split across chunks intact', () => {
    const css = `a{b:url(/p/${'x'.repeat(3000)}.png)}`;
    expect(firstBadSplit('css', css, opts, `a{b:url(${signed(`/p/${'x'.repeat(3000)}.png`)})}`)).toBe(-1);
    void enc;
  });
});
