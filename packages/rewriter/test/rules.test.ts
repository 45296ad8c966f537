import { CfsignError } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../src/rules/compile-rules.js';
import { compileGlob, globWork, matchStar, toWildcardPath } from '../src/rules/glob.js';

const CONFIG = {
  cdn: 'https://d111111abcdef8.cloudfront.net',
  // The distribution serves the site's pages too (one distribution in front of both), so the
  // host-only cookies of /hls/** reach it.
  origins: ['https://www.example.com', 'https://d111111abcdef8.cloudfront.net'],
  rules: [
    { match: '/media/**', expiresIn: '10m' },
    { match: '/downloads/*.pdf', expiresIn: '1h', ipAddress: 'client' },
    // public trailers and streams: everyone who can see the page may watch them
    {
      match: '/video/:id/**',
      mode: 'wildcard' as const,
      resource: '/video/:id/*',
      authorize: 'any-viewer' as const,
    },
    { match: '/hls/**', mode: 'cookie' as const, authorize: 'any-viewer' as const },
  ],
};

describe('globs', () => {
  it('matches segments, stars, question marks and parameters', () => {
    expect(compileGlob('/media/**').match('/media/a/b.jpg')).toEqual({});
    // literal and literal-then-`**` patterns take a fast path: same answers as the segment matcher
    for (const [pattern, path, hit] of [
      ['/media/**', '/media/', true],
      ['/media/**', '/media//x', true],
      ['/media/**', '/Media/x', false],
      ['/media/**', 'media/x', false],
      ['/media/**', '/medi', false],
      ['/a/b/**', '/a/b/c/d', true],
      ['/a/b/**', '/a/bc', false],
      ['/a/b', '/a/b', true],
      ['/a/b', '/a/b/', false],
      ['/**', '/x/y', true],
      ['/**', '/', true],
      ['/**', 'x', false],
    ] as const)
      expect(compileGlob(pattern).match(path), `${pattern} ${path}`).toEqual(hit ? {} : null);
    expect(compileGlob('/media/**').match('/media')).toEqual({});
    expect(compileGlob('/media/**').match('/mediax/a')).toBeNull();
    expect(compileGlob('/downloads/*.pdf').match('/downloads/a.pdf')).toEqual({});
    expect(compileGlob('/downloads/*.pdf').match('/downloads/x/a.pdf')).toBeNull();
    expect(compileGlob('/v?/a').match('/v1/a')).toEqual({});
    expect(compileGlob('/v?/a').match('/v/a')).toBeNull();
    expect(compileGlob('/video/:id/**').match('/video/42/hls/a.ts')).toEqual({ id: '42' });
    expect(compileGlob('/video/:id/**').match('/video//a')).toBeNull();
    expect(compileGlob('/a/**/b/*.jpg').match('/a/x/y/b/c.jpg')).toEqual({});
    expect(compileGlob('/a/**/b/*.jpg').match('/a/b/c.jpg')).toEqual({});
    expect(compileGlob('/a/**/b/*.jpg').match('/a/b/c.png')).toBeNull();
  });

  it('exposes a literal prefix for pre-filtering', () => {
    expect(compileGlob('/media/**').prefix).toBe('/media');
    expect(compileGlob('/downloads/*.pdf').prefix).toBe('/downloads/');
    expect(compileGlob('/video/:id/**').prefix).toBe('/video/');
  });

  it('runs in linear time on adversarial input (no backtracking blow-up)', () => {
    const g = compileGlob(`/${'*a'.repeat(20)}b/**/${'*a'.repeat(20)}c`);
    const path = `/${'a'.repeat(20_000)}/${'a/'.repeat(2000)}${'a'.repeat(20_000)}`;
    globWork.steps = 0;
    expect(g.match(path)).toBeNull();
    // linear: a few steps per byte of path, not path length squared (~2.2e9 here)
    expect(globWork.steps).toBeLessThan(50 * path.length);
    globWork.steps = 0;
    expect(matchStar('*a*a*a*a*a*a*a*a*b', 'a'.repeat(50_000))).toBe(false);
    expect(globWork.steps).toBeGreaterThanOrEqual(50_000);
    expect(globWork.steps).toBeLessThan(20 * 50_000);
  });

  it('converts to CloudFront wildcards', () => {
    expect(toWildcardPath('/video/:id/**', { id: '42' })).toBe('/video/42/*');
    expect(toWildcardPath('/a/**/b/*.jpg', {})).toBe('/a/*/b/*.jpg');
  });
});

describe('compileRules', () => {
  const rules = compileRules(CONFIG);

  it('matches absolute URLs on known origins and paths', () => {
    expect(rules.match('https://www.example.com/video/42/master.m3u8')?.params).toEqual({ id: '42' });
    expect(rules.match('/downloads/a.pdf?x=1')?.rule.index).toBe(1);
    expect(rules.match('https://d111111abcdef8.cloudfront.net/media/a.jpg')?.rule.index).toBe(0);
    expect(rules.match('https://other.example/media/a.jpg')).toBeNull();
    expect(rules.match('/static/a.css')).toBeNull();
    expect(rules.list.map((r) => [r.mode, r.expiresIn, r.resource])).toEqual([
      ['url', 600, undefined],
      ['url', 3600, undefined],
      ['wildcard', 600, '/video/:id/*'],
      ['cookie', 600, '/hls/*'],
    ]);
  });

  const bad: [string, unknown, RegExp][] = [
    ['no rules', { cdn: CONFIG.cdn, rules: [] }, /"rules" must be a non-empty array/],
    [
      'cdn with a path',
      { cdn: 'https://cdn.example.com/x', rules: [{ match: '/a/**' }] },
      /must be an origin only.*"https:\/\/cdn.example.com"/,
    ],
    ['cdn not a URL', { cdn: 'cdn.example.com', rules: [{ match: '/a/**' }] }, /not an absolute URL/],
    [
      'relative glob',
      { cdn: CONFIG.cdn, rules: [{ match: 'media/**' }] },
      /rules\[0\]\.match: "media\/\*\*": it must start with "\/" \(try "\/media\/\*\*"\)/,
    ],
    ['partial globstar', { cdn: CONFIG.cdn, rules: [{ match: '/a/b**' }] }, /"\*\*" must be a whole segment/],
    [
      'typo in key',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**', expiresin: '1h' }] },
      /unknown option "expiresin" \(did you mean "expiresIn"\?\)/,
    ],
    [
      'bad duration',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**', expiresIn: 'soon' }] },
      /rules\[0\]\.expiresIn: soon is not a duration/,
    ],
    [
      'bad mode',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**', mode: 'signed' }] },
      /must be "url", "wildcard" or "cookie"/,
    ],
    [
      'bad ip',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**', ipAddress: '2001:db8::1' }] },
      /ipAddress must be "client" or an IPv4/,
    ],
    [
      'resource in url mode',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**', resource: '/a/*' }] },
      /only applies to mode "wildcard" or "cookie"/,
    ],
    [
      'unknown param',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**', mode: 'wildcard', resource: '/a/:id/*' }] },
      /uses ":id", which "match" does not capture/,
    ],
    [
      'bare star',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**', mode: 'wildcard', resource: '/*' }] },
      /would grant the whole distribution/,
    ],
    [
      'cookie with param',
      { cdn: CONFIG.cdn, rules: [{ match: '/v/:id/**', mode: 'cookie' }] },
      /cookie rules cover a fixed path/,
    ],
    [
      'a rule authorize that is not any-viewer',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**', authorize: 'everyone' }] },
      /rules\[0\]\.authorize: a rule's authorize can only be 'any-viewer'/,
    ],
    [
      'a per-entity rule with no one to decide entitlement',
      { cdn: CONFIG.cdn, rules: [{ match: '/media/**' }, { match: '/users/:id/**' }] },
      /^rules\[1\]: "\/users\/:id\/\*\*": it signs a path per entity \(":id" in "match"\), but nothing decides who is entitled to it\. .*confused deputy\. Either pass an authorize hook, .* or, .* authorize: 'any-viewer' on this rule\. See SECURITY\.md\.$/,
    ],
    [
      'a wildcard policy wider than one file with no one to decide entitlement',
      { cdn: CONFIG.cdn, rules: [{ match: '/courses/**', mode: 'wildcard' }] },
      /rules\[0\]: "\/courses\/\*\*": its shared policy grants every file under "\/courses\/\*"/,
    ],
    [
      'cookies wider than one file with no one to decide entitlement',
      { cdn: CONFIG.cdn, rules: [{ match: '/hls/**', mode: 'cookie', resource: '/hls/?.ts' }] },
      /rules\[0\]: "\/hls\/\*\*": its cookies grant every file under "\/hls\/\?\.ts"/,
    ],
    [
      'bad attribute',
      { cdn: CONFIG.cdn, rules: [{ match: '/a/**' }], attributes: ['Data-Src'] },
      /not a lower-case attribute name/,
    ],
  ];
  for (const [name, config, message] of bad)
    it(`rejects ${name} with ERR_INVALID_RULE`, () => {
      let err: unknown;
      try {
        compileRules(config as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CfsignError);
      expect((err as CfsignError).code).toBe('ERR_INVALID_RULE');
      expect((err as CfsignError).message).toMatch(message);
    });

  it('throws ERR_INVALID_RULE for a non-object config', () => {
    expect(() => compileRules(null as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_RULE',
        message: expect.stringMatching(/needs a config object/),
      }),
    );
  });
});

describe('entitlement by default', () => {
  const cdn = CONFIG.cdn;
  it.each([
    ['one file per link, no named segment', { match: '/media/**' }],
    ['a wildcard policy of one file', { match: '/a/**', mode: 'wildcard', resource: '/a/report.pdf' }],
    ['a per-entity rule marked any-viewer', { match: '/users/:id/**', authorize: 'any-viewer' }],
    ['a cookie rule marked any-viewer', { match: '/hls/**', mode: 'cookie', authorize: 'any-viewer' }],
  ])('accepts %s without a hook', (_name, rule) => {
    expect(() => compileRules({ cdn, rules: [rule as never] })).not.toThrow();
  });

  it('accepts every per-entity rule with an authorize hook', () => {
    const authorize = () => true;
    expect(() =>
      compileRules({
        cdn,
        authorize,
        rules: [{ match: '/users/:id/**' }, { match: '/v/**', mode: 'wildcard' }],
      }),
    ).not.toThrow();
  });

  it('tools that check rules without signing can skip it', () => {
    expect(() =>
      compileRules({ cdn, rules: [{ match: '/users/:id/**' }] }, { entitlement: 'skip' }),
    ).not.toThrow();
  });
});
