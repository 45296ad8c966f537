/** The request headers dropped for a rewritten page, and the types a static server gives a path. */
import { describe, expect, it } from 'vitest';
import { CONDITIONAL_REQUEST_HEADERS, rewritableTypeByPath } from '../src/index.js';

describe('request validators of a rewritten page', () => {
  it('are the headers that yield a 304 or a 206 of the unsigned bytes', () => {
    expect([...CONDITIONAL_REQUEST_HEADERS].sort()).toEqual(
      ['if-modified-since', 'if-none-match', 'if-range', 'range'].sort(),
    );
  });

  it('rewritable types by path: extension (any case, query ignored) or a directory index', () => {
    expect(rewritableTypeByPath('/a/page.HTML?x=1.png')).toBe('text/html');
    expect(rewritableTypeByPath('/docs/')).toBe('text/html');
    expect(rewritableTypeByPath('/s/site.css')).toBe('text/css');
    expect(rewritableTypeByPath('/v/index.m3u8')).toBe('application/vnd.apple.mpegurl');
    expect(rewritableTypeByPath('/v/manifest.mpd')).toBe('application/dash+xml');
    expect(rewritableTypeByPath('/api/data.json')).toBe('application/json');
    expect(rewritableTypeByPath('/img/a.png')).toBeUndefined();
    expect(rewritableTypeByPath('/dir.html/file')).toBeUndefined();
    expect(rewritableTypeByPath('/noext')).toBeUndefined();
    expect(rewritableTypeByPath('html')).toBeUndefined();
  });

  it('an extension named like an Object.prototype member is no type', () => {
    for (const ext of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
      expect(rewritableTypeByPath(`/x.${ext}`)).toBeUndefined();
  });
});
