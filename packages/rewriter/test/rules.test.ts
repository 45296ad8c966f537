import { CfsignError } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../src/rules/compile-rules.js';
import { entitlementNeed } from '../src/rules/entitlement.js';
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
    // A parameter without a value becomes a wildcard.
    expect(toWildcardPath('/v/:id/a.ts', {})).toBe('/v/*/a.ts');
  });

  it('refuses malformed patterns: no "#", parameters named like identifiers, each once', () => {
    for (const pattern of ['media/**', '/a#b/**', '/v/:1d/**', '/v/:id-x/**', '/v/:/x', '/a/:id/:id', ''])
      expect(() => compileGlob(pattern), pattern).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_RULE' }),
      );
    expect(compileGlob('/v/:_id2/**').params).toEqual(['_id2']);
  });

  it('parameters and trailing globstars in the segment matcher', () => {
    const g = compileGlob('/v/:id/**');
    expect(g.match('/v/7')).toEqual({ id: '7' });
    expect(g.match('/v/7/a/b')).toEqual({ id: '7' });
    expect(compileGlob('/a/:id').match('/b/7')).toBeNull();
    // Without a `**` a mismatch is final: no later "//" restarts the match.
    expect(compileGlob('/a/:id').match('/x//a/7')).toBeNull();
    expect(compileGlob('/v/a*').match('/v/a')).toEqual({});
  });

  it('matchStar: * and ? inside one segment', () => {
    expect(matchStar('a*', 'a')).toBe(true);
    expect(matchStar('a**', 'abc')).toBe(true);
    expect(matchStar('a?', 'xab')).toBe(false);
    expect(matchStar('ab', 'ac')).toBe(false);
    expect(matchStar('ab', 'xab')).toBe(false);
    expect(matchStar('*b', 'aab')).toBe(true);
  });

  it('work is counted: segments tried, characters examined, backtracking included', () => {
    globWork.steps = 0;
    expect(compileGlob('/a/:id/b').match('/a/1/b')).toEqual({ id: '1' });
    expect(globWork.steps).toBeGreaterThanOrEqual(4);
    globWork.steps = 0;
    expect(matchStar('*ab', 'a'.repeat(1000))).toBe(false);
    expect(globWork.steps).toBeGreaterThan(1000);
    // Literal and literal-then-`**` patterns answer without walking segments.
    globWork.steps = 0;
    for (const [pattern, path] of [
      ['/media/**', '/media/a/b/c.jpg'],
      ['/media/**', '/other/a'],
      ['/a/b', '/a/b'],
      ['/a/b', '/a/c'],
    ] as const)
      compileGlob(pattern).match(path);
    expect(globWork.steps).toBe(0);
  });

  it('the literal prefix stops at the first wildcard or parameter, whichever comes first', () => {
    expect(compileGlob('/a*/b?').prefix).toBe('/a');
    expect(compileGlob('/a?/b*').prefix).toBe('/a');
    expect(compileGlob('/:id/**').prefix).toBe('/');
    expect(compileGlob('/a/b').prefix).toBe('/a/b');
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
  const cdn = CONFIG.cdn;
  const one = { match: '/a/**' };
  // Each is refused with ERR_INVALID_RULE (the message is checked by the cases above).
  const refused: [string, unknown][] = [
    ['a cdn that is not a string', { cdn: new URL(cdn), rules: [one] }],
    ['a cdn that is not http(s)', { cdn: 'ftp://cdn.example.com', rules: [one] }],
    ['a zero lifetime', { cdn, rules: [{ ...one, expiresIn: 0 }] }],
    ['a negative lifetime', { cdn, rules: [{ ...one, expiresIn: -5 }] }],
    ['an ipAddress that is not a string', { cdn, rules: [{ ...one, ipAddress: ['192.0.2.1'] }] }],
    ['a rule that is null', { cdn, rules: [null] }],
    ['a rule without match', { cdn, rules: [{ expiresIn: 60 }] }],
    ['an empty match list', { cdn, rules: [{ match: [] }] }],
    ['a hash algorithm in the wrong case', { cdn, rules: [{ ...one, hashAlgorithm: 'sha256' }] }],
    [
      'a resource without the leading slash',
      { cdn, rules: [{ ...one, mode: 'wildcard', resource: 'a/*', authorize: 'any-viewer' }] },
    ],
    ['a resource that is not a string', { cdn, rules: [{ ...one, mode: 'wildcard', resource: { 0: '/' } }] }],
    [
      'a resource :param that only a literal segment spells',
      {
        cdn,
        rules: [{ match: '/v/xid/**', mode: 'wildcard', resource: '/v/:id/*', authorize: 'any-viewer' }],
      },
    ],
    ['origins that are not a list', { cdn, origins: 'https://www.example.com', rules: [one] }],
    ['an authorize that is not a function', { cdn, authorize: true, rules: [one] }],
    ['an onDeny that is neither "unsigned" nor a replacement', { cdn, onDeny: 'block', rules: [one] }],
    ['an onDeny replacement that is not a string', { cdn, onDeny: { replaceWith: 5 }, rules: [one] }],
    ['an onDeny of null', { cdn, onDeny: null, rules: [one] }],
    [
      'an onDeny that is a function',
      { cdn, onDeny: Object.assign(() => {}, { replaceWith: '/x.png' }), rules: [one] },
    ],
    ['a match entry that is not a string', { cdn, rules: [{ match: [['/']] }] }],
    ['attributes that are not a list', { cdn, attributes: 'src', rules: [one] }],
    ['an attribute name that is not a string', { cdn, attributes: [['data-src']], rules: [one] }],
    ['an attribute name with a space', { cdn, attributes: ['data src'], rules: [one] }],
  ];
  for (const [name, config] of refused)
    it(`refuses ${name} with ERR_INVALID_RULE`, () => {
      expect(() => compileRules(config as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_RULE' }),
      );
    });

  it('accepts every valid form of each option, and keeps what it was given', () => {
    const rule = {
      match: ['/a/**', '/b/*.pdf'],
      ipAddress: '192.0.2.0/24',
      hashAlgorithm: 'SHA256' as const,
    };
    const rules = compileRules({
      cdn: 'http://cdn.example.com',
      onDeny: { replaceWith: '/denied.png' },
      attributes: ['data-src', 'poster', 'x'],
      rules: [rule, { match: '/c/**', hashAlgorithm: 'SHA1', ipAddress: '192.0.2.1' }],
    });
    expect(rules.cdn).toBe('http://cdn.example.com');
    expect(rules.onDeny).toEqual({ replaceWith: '/denied.png' });
    expect(rules.attributes).toEqual(['data-src', 'poster', 'x']);
    expect(rules.list[0]!.config).toEqual(rule);
    expect(rules.list.map((r) => [r.ipAddress, r.hashAlgorithm])).toEqual([
      ['192.0.2.0/24', 'SHA256'],
      ['192.0.2.1', 'SHA1'],
    ]);
    expect(rules.match('/b/x.pdf')?.rule.index).toBe(0);
    const plain = compileRules({ cdn, rules: [one], onDeny: 'unsigned' });
    expect([plain.attributes, plain.onDeny, plain.origins]).toEqual([[], 'unsigned', [cdn]]);
  });

  it('the default time bucket is a tenth of the lifetime, between 1 s and 60 s', () => {
    const bucket = (expiresIn: number) =>
      compileRules({ cdn, rules: [{ ...one, expiresIn }] }).list[0]!.bucket;
    expect([bucket(3600), bucket(100), bucket(5)]).toEqual([60, 10, 1]);
  });

  it('the default resource of a wildcard or cookie rule is its first glob, ending in "*"', () => {
    const resource = (match: string, mode: 'url' | 'wildcard' | 'cookie') =>
      compileRules({ cdn, rules: [{ match, mode, authorize: 'any-viewer' }] }).list[0]!.resource;
    expect(resource('/v/:id/master.m3u8', 'wildcard')).toBe('/v/:id/master.m3u8*');
    expect(resource('/hls/**', 'cookie')).toBe('/hls/*');
    expect(resource('/media/**', 'url')).toBeUndefined();
  });

  it('matching: the first rule whose glob matches, site paths only, never a protocol-relative link', () => {
    const rules = compileRules({
      cdn,
      origins: ['https://www.example.com'],
      rules: [{ match: '/a/*.pdf' }, { match: '/a/**' }, { match: '/x/:id', authorize: 'any-viewer' }],
    });
    expect(rules.match('/a/x.jpg')?.rule.index).toBe(1);
    expect(rules.match('/a/x.pdf?y=1#z')?.rule.index).toBe(0);
    expect(rules.match(new URL('https://www.example.com/a/x.pdf'))?.rule.index).toBe(0);
    expect(rules.match('/x/7')?.params).toEqual({ id: '7' });
    expect(rules.matchPath('/static/a.css')).toBeNull();
    expect(rules.mayMatch('/a/b')).toBe(true);
    expect(rules.mayMatch('/static/a.css')).toBe(false);
    const all = compileRules({ cdn, rules: [{ match: '/**' }] });
    expect(all.match('/x')).not.toBeNull();
    expect(all.match('//evil.example/x')).toBeNull();
    expect(all.match('http://[')).toBeNull();
    expect(all.match('not a url')).toBeNull();
  });

  it('entitlementNeed: url rules sign one file per link; shared grants and per-entity paths need a decision', () => {
    const g = [compileGlob('/a/**')];
    expect(entitlementNeed('url', g, '/a/*')).toBeNull();
    expect(entitlementNeed('wildcard', g, '/a/report.pdf')).toBeNull();
    expect(entitlementNeed('wildcard', g, '/a/*')).toMatch(/shared policy grants every file under "\/a\/\*"/);
    expect(entitlementNeed('cookie', g, '/a/?')).toMatch(/cookies grant/);
    expect(entitlementNeed('url', [compileGlob('/u/:id/**')], undefined)).toMatch(/per entity \(":id"/);
  });

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
    for (const config of [null, 'x', 42])
      expect(() => compileRules(config as never)).toThrow(
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
