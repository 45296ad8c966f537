/**
 * Host-only cookies (a cookie-mode rule without `cookie.domain`) go back only to the host that set
 * them, so they open the CDN only when the site is served from the CDN's host. A config where they
 * cannot is refused at start-up when `origins` names the site's hosts; without `origins`, each page
 * whose host is not the CDN's fails its cookies with the same coded error, before any is signed.
 */
import { isCfsignError } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../src/rules/compile-rules.js';
import type { RuleConfig, RulesConfig } from '../src/rules/types.js';
import { createRewriter } from '../src/rules-rewriter.js';
import { fakeSigner } from './helpers/fake-signer.js';

const HLS = { match: '/hls/**', mode: 'cookie' as const, authorize: 'any-viewer' as const };

function config(cdn: string, origins: string[] | undefined, ...rules: RuleConfig[]): RulesConfig {
  return { cdn, ...(origins !== undefined && { origins }), rules };
}

function refusal(fn: () => unknown): { code: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: isCfsignError(err) ? err.code : undefined, message: String((err as Error).message) };
  }
  throw new Error('expected ERR_INVALID_COOKIE_OPTIONS, nothing was thrown');
}

describe('host-only cookie rules at start-up (origins listed)', () => {
  it('a site on www.example.com and a CDN on cdn.example.com: refused, naming the rule, both hosts and both fixes', () => {
    const e = refusal(() =>
      compileRules(
        config(
          'https://cdn.example.com',
          ['https://www.example.com'],
          { match: '/media/**' },
          { match: ['/hls/**', '/dash/**'], mode: 'cookie', authorize: 'any-viewer' },
        ),
      ),
    );
    expect(e.code).toBe('ERR_INVALID_COOKIE_OPTIONS');
    expect(e.message).toMatch(
      /^rules\[1\] \("\/hls\/\*\*", "\/dash\/\*\*"\) is in cookie mode without cookie\.domain/,
    );
    expect(e.message).toMatch(
      /site host www\.example\.com \(in origins\) and never to the CDN host cdn\.example\.com/,
    );
    expect(e.message).toMatch(
      /\(1\) set cookie: \{ domain: "example\.com" \} on the rule, a parent of both hosts/,
    );
    expect(e.message).toMatch(/alternate domain name under it such as cdn\.example\.com/);
    expect(e.message).toMatch(/\(2\) serve the site and the media from the same host/);
  });

  it('a CDN on its cloudfront.net name: the fix names an alternate domain name under the site', () => {
    const e = refusal(() =>
      compileRules(config('https://d111111abcdef8.cloudfront.net', ['https://shop.example.org'], HLS)),
    );
    expect(e.code).toBe('ERR_INVALID_COOKIE_OPTIONS');
    expect(e.message).toMatch(/CDN host d111111abcdef8\.cloudfront\.net/);
    expect(e.message).toMatch(/domain: "example\.org".*such as cdn\.example\.org/);
  });

  it('several site hosts, none of them the CDN host: refused, listing them', () => {
    const e = refusal(() =>
      compileRules(
        config('https://cdn.example.com', ['https://www.example.com', 'https://example.com'], HLS),
      ),
    );
    expect(e.message).toMatch(/site host www\.example\.com, example\.com \(in origins\)/);
  });

  it('a site host equal to the CDN host is accepted, whatever the ports and schemes', () => {
    for (const [cdn, origins] of [
      ['https://www.example.com', ['https://www.example.com']],
      ['https://cdn.example.com', ['https://www.example.com', 'https://cdn.example.com']],
      ['http://127.0.0.1:9000', ['http://127.0.0.1:3000']],
    ] as const) {
      const rules = compileRules(config(cdn, [...origins], HLS));
      expect(rules.list[0]!.checkPageHost, cdn).toBe(false);
    }
  });

  it('a cookie.domain that is a parent of both hosts is accepted', () => {
    const rules = compileRules(
      config('https://cdn.example.com', ['https://www.example.com'], {
        ...HLS,
        cookie: { domain: 'example.com' },
      }),
    );
    expect(rules.list[0]!.cookie?.domain).toBe('example.com');
    expect(rules.list[0]!.checkPageHost).toBe(false);
  });

  it('url and wildcard rules set no cookie and are not concerned', () => {
    const rules = compileRules(
      config(
        'https://cdn.example.com',
        ['https://www.example.com'],
        { match: '/media/**' },
        { match: '/v/**', mode: 'wildcard', authorize: 'any-viewer' },
      ),
    );
    expect(rules.list.map((r) => r.checkPageHost)).toEqual([false, false]);
  });
});

describe('host-only cookie rules without origins: checked on each page', () => {
  const rules = compileRules(config('https://cdn.example.com', undefined, HLS));

  it('start-up accepts the rule and marks it for the check', () => {
    expect(rules.list[0]!.checkPageHost).toBe(true);
  });

  it('a page on the CDN host gets its cookies', async () => {
    const { signer, calls } = fakeSigner();
    const rw = createRewriter({ rules, signer, request: { url: 'https://cdn.example.com:8443/watch' } });
    expect(await rw.cookies()).toEqual(['CloudFront-Policy=X; Path=/hls/']);
    expect(calls.cookies).toEqual(['https://cdn.example.com/hls/*']);
  });

  it('a page on another host fails with the coded error, and no cookie is signed', async () => {
    const { signer, calls } = fakeSigner();
    const both = compileRules(
      config(
        'https://cdn.example.com',
        undefined,
        { match: '/a/**', mode: 'cookie', authorize: 'any-viewer', cookie: { domain: 'example.com' } },
        HLS,
      ),
    );
    const rw = createRewriter({ rules: both, signer, request: { url: 'https://www.example.com/watch' } });
    const err = await rw.cookies().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCfsignError(err, 'ERR_INVALID_COOKIE_OPTIONS')).toBe(true);
    const message = (err as Error).message;
    expect(message).toMatch(/^rules\[1\] \("\/hls\/\*\*"\) is in cookie mode without cookie\.domain/);
    expect(message).toMatch(
      /site host www\.example\.com \(the host of this request: origins is not listed\)/,
    );
    expect(message).toMatch(/CDN host cdn\.example\.com/);
    expect(message).toMatch(/domain: "example\.com"/);
    expect(message).toMatch(/a proxy in front rewrites Host, list that host in origins/);
    // Not even the rule with a domain: the response gets all its cookies or fails.
    expect(calls.cookies).toEqual([]);
  });

  it('a rule with a cookie.domain is not checked per page', async () => {
    const { signer, calls } = fakeSigner();
    const withDomain = compileRules(
      config('https://cdn.example.com', undefined, { ...HLS, cookie: { domain: 'example.com' } }),
    );
    expect(withDomain.list[0]!.checkPageHost).toBe(false);
    const rw = createRewriter({ rules: withDomain, signer, request: { url: 'https://www.example.com/' } });
    await rw.cookies();
    expect(calls.cookies).toEqual(['https://cdn.example.com/hls/*']);
  });
});
