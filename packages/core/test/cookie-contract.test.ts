/**
 * Signed cookies reach the edge only if the browser sends them and the edge reads the same URL the
 * policy names (docs/signing.md §4, §7, §8). Every cookie set signed here is checked with cfsign's
 * verifier and with the independent one in support/, for the URL a browser sends (`new URL().href`).
 */
import { describe, expect, test } from 'vitest';
import { backends, E2030, fromCf, KEY_ID, key, NOW } from './helpers.js';
import { verifyCookiesIndependently } from './support/independent-verifier.js';

const CDN = 'https://cdn.example.com';
const keys = { [KEY_ID]: key('rsa-public.pem') };
const nowSec = Math.floor(NOW / 1000);
const resourceOf = (values: Record<string, string>) =>
  JSON.parse(fromCf(values['CloudFront-Policy']!).toString()).Statement[0].Resource as string;

/** RFC 6265 §5.1.3 domain-match and §5.1.4 path-match, written from the RFC for these tests. */
const domainMatch = (host: string, domain: string) => {
  const d = domain.replace(/^\./, '').toLowerCase();
  return host === d || host.endsWith(`.${d}`);
};
const pathMatch = (requestPath: string, cookiePath: string) =>
  requestPath === cookiePath ||
  (requestPath.startsWith(cookiePath) &&
    (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));

describe.each(backends)('signed cookies reach the edge, on the %s backend', (_name, api) => {
  const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });
  const fn = { keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem'), dateLessThan: E2030, now: NOW };

  /** Both verifiers accept `values` for the request a browser makes for `link` (WHATWG-serialized). */
  async function reaches(values: Record<string, string>, link: string, clientIp?: string) {
    const url = new URL(link);
    url.hash = ''; // never sent
    const sent = url.href;
    const verdict = await api.verifySignedCookies(sent, values, { keys, now: NOW, clientIp });
    expect(verdict, sent).toMatchObject({ ok: true, source: 'cookie' });
    return verifyCookiesIndependently(values, sent, keys, nowSec);
  }

  test('§4: an http URL is canonicalized for a custom policy as an https one is', async () => {
    const set = await signer.signCookies('http://CDN.Example.com:80/v/./a.jpg', {
      expiresIn: '1h',
      now: NOW,
      ipAddress: '192.0.2.1',
    });
    expect(resourceOf(set.values)).toBe('http://cdn.example.com/v/a.jpg');
  });

  test('§4 + §7: a custom-policy cookie for one URL names it as the browser sends it, like the canned one', async () => {
    for (const [link, sent] of [
      ['https://CDN.Example.com:443/v/./a.jpg', 'https://cdn.example.com/v/a.jpg'],
      ['https://cdn.example.com/v/%7euser/../a.jpg', 'https://cdn.example.com/v/a.jpg'],
      [
        "HTTPS://CDN.Example.com:443/a/./b/../Photo 1.jpg?x=it's#top",
        'https://cdn.example.com/a/Photo%201.jpg?x=it%27s',
      ],
      ['https://bücher.example/x.jpg', 'https://xn--bcher-kva.example/x.jpg'],
    ]) {
      const custom = await api.getSignedCookies({ ...fn, url: link, ipAddress: '192.0.2.1' });
      expect(resourceOf(custom), link).toBe(sent);
      expect((await reaches(custom, link, '192.0.2.1')).resource).toBe(sent);
      const canned = await api.getSignedCookies({ ...fn, url: link });
      expect((await reaches(canned, link)).canned).toBe(true);
      const set = await signer.signCookies(link, { dateLessThan: E2030, now: NOW });
      expect(resourceOf(set.values)).toBe(sent);
    }
  });

  test('§4 + §8: a wildcard resource not written as the browser sends URLs is refused with its corrected form', async () => {
    for (const [resource, corrected] of [
      [`https://CDN.example.com/v/*`, `${CDN}/v/*`],
      [`${CDN}:443/v/*`, `${CDN}/v/*`],
      ['http://cdn.example.com:80/v/*', 'http://cdn.example.com/v/*'],
      [`${CDN}/./v/*`, `${CDN}/v/*`],
      [`${CDN}/v/../w/*`, `${CDN}/w/*`],
      [`${CDN}/v/%2e%2e/w/*.m3u8`, `${CDN}/w/*.m3u8`],
      ['https://CDN*.example.com/v/*', 'https://cdn*.example.com/v/*'],
      [`https://CDN.example.com/v/a.jpg?w=*`, `${CDN}/v/a.jpg?w=*`],
    ] as const) {
      const msg = `Write it as ${JSON.stringify(corrected)}`;
      await expect(signer.signCookies(resource, { expiresIn: '1h', now: NOW })).rejects.toMatchObject({
        code: 'ERR_INVALID_RESOURCE',
        message: expect.stringContaining(msg),
      });
      await expect(signer.signPolicy({ resource, expiresIn: '1h', now: NOW })).rejects.toMatchObject({
        code: 'ERR_INVALID_RESOURCE',
        message: expect.stringContaining(msg),
      });
      await expect(
        api.getSignedCookies({ ...fn, url: `${CDN}/v/a.jpg`, policyResource: resource }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_RESOURCE' });
      // The corrected form is signed as written and reaches the edge.
      const set = await signer.signCookies(corrected, { expiresIn: '1h', now: NOW });
      expect(resourceOf(set.values)).toBe(corrected);
    }
    const ok = await signer.signCookies(`${CDN}/v/*`, { expiresIn: '1h', now: NOW });
    await reaches(ok.values, 'https://CDN.example.com:443/v/./a.jpg?w=1');
  });

  test('§8: wildcard resources a browser URL can match are signed unchanged', async () => {
    for (const resource of [
      'https://xn--bcher-kva.example/*',
      `${CDN}:8443/v/*`,
      `${CDN}/v/it's*`,
      `${CDN}/v/%7e*`,
      'https://*.example.com/v/*',
      'http*://cdn.example.com/v/*',
      // A `*` also matches `?`: "/../" may sit in the query (…/v/a?/../x), which browsers keep as is.
      `${CDN}/v/*/../x`,
      // A segment that starts with "." can go on ("/v/.well-known/x"): only "." and ".." are removed.
      `${CDN}/v/.*`,
    ]) {
      const set = await signer.signCookies(resource, { expiresIn: '1h', now: NOW });
      expect(resourceOf(set.values)).toBe(resource);
      expect((await signer.signPolicy({ resource, expiresIn: '1h', now: NOW })).policy).toContain(
        `"Resource":"${resource}"`,
      );
    }
    const set = await signer.signCookies(`${CDN}/v/*/../x`, { expiresIn: '1h', now: NOW });
    await reaches(set.values, `${CDN}/v/a?/../x`);
  });

  test('§8: with a given policy, a URL is covered for cookies exactly when getSignedUrl accepts it', async () => {
    const policy = `{"Statement":[{"Resource":"${CDN}/v/*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`;
    const own = await api.getSignedCookies({ ...fn, dateLessThan: undefined, url: `${CDN}/v/*`, policy });
    for (const [url, covered] of [
      [`${CDN}/v/a.jpg?w=640`, true],
      [`${CDN}/v/a.jpg?`, true],
      [`${CDN}/v/?`, true],
      ['https://CDN.Example.com:443/v/./a.jpg?w=1#top', true],
      [`${CDN}/v`, false],
      [`${CDN}/w/a.jpg?w=640`, false],
      [`${CDN}/v/../w/a.jpg?w=1`, false],
    ] as const) {
      const o = { ...fn, dateLessThan: undefined, url, policy };
      if (covered) {
        expect(await api.getSignedUrl(o), url).toContain('Policy=');
        const cookies = await api.getSignedCookies(o);
        expect(cookies, url).toEqual(own);
        await reaches(cookies, url);
      } else {
        const mismatch = { code: 'ERR_RESOURCE_MISMATCH' };
        await expect(api.getSignedUrl(o), url).rejects.toMatchObject(mismatch);
        await expect(api.getSignedCookies(o), url).rejects.toMatchObject(mismatch);
      }
    }
    const query = `{"Statement":[{"Resource":"${CDN}/v/a.jpg?w=*","Condition":{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}`;
    const set = await signer.signCookies(`${CDN}/v/a.jpg?w=640`, { policy: query, now: NOW });
    expect(set.setCookie[0]).toContain('; Path=/v/;');
    await reaches(set.values, `${CDN}/v/a.jpg?w=640`);
  });

  test('§7: a Domain the resource host does not domain-match, or that is not a host name, is refused', async () => {
    const cases: [string, string, RegExp][] = [
      [
        `${CDN}/v/*`,
        'other.com',
        /"domain" "other\.com" does not domain-match .*cdn\.example\.com.*Use "example\.com"/,
      ],
      [`${CDN}/v/*`, 'ample.com', /does not domain-match/],
      [`${CDN}/v/*`, 'www.example.com', /does not domain-match/],
      ['https://d111111abcdef8.cloudfront.net/v/*', 'example.com', /alternate domain name/],
      ['https://*.example.org/v/*', 'example.com', /Use "example\.org"/],
      [`${CDN}/v/*`, '..', /"domain" "\.\." is not a host name/],
      [`${CDN}/v/*`, '-', /not a host name/],
      [`${CDN}/v/*`, '-example.com', /not a host name/],
      [`${CDN}/v/*`, 'example-.com', /not a host name/],
      [`${CDN}/v/*`, 'example..com', /not a host name/],
      [`${CDN}/v/*`, 'example.com.', /not a host name/],
      [`${CDN}/v/*`, `${'a'.repeat(64)}.com`, /not a host name/],
      ['https://d111111abcdef8.cloudfront.net/v/*', 'cloudfront.net', /"cloudfront\.net" is a public suffix/],
      ['https://d111111abcdef8.cloudfront.net/v/*', '.CloudFront.NET', /public suffix/],
      ['http://cdn.example.com/v/*', 'other.com', /does not domain-match/],
      ['https://example.com/v/*', 'cdn.example.com', /does not domain-match the resource host example\.com/],
      // The fix offered: a parent domain, the host itself, or leaving the domain out.
      [
        `${CDN}/v/*`,
        'other.com',
        /Use "example\.com" \(a parent domain shared with the app\) or "cdn\.example\.com", or leave "domain" out\.$/,
      ],
      [
        'https://*.example.org/v/*',
        'example.com',
        /Use "example\.org" \(a parent domain shared with the app\), or leave "domain" out\.$/,
      ],
      ['https://a.b*.example.org/v/*', 'example.com', /Use "example\.org" \(/],
      [
        'https://d111111abcdef8.cloudfront.net/v/*',
        'example.com',
        /Leave "domain" out; to share cookies with the app, give the distribution an alternate domain name/,
      ],
      ['https://localhost/v/*', 'other', /to it\. Leave "domain" out\.$/],
    ];
    for (const [resource, domain, message] of cases) {
      // What a browser does with it: a well-formed domain the host domain-matches would work.
      const host = resource.split('/')[2]!;
      const wellFormed = /^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
      const publicSuffix = /^\.?cloudfront\.net$/i.test(domain);
      if (!host.includes('*'))
        expect(wellFormed.test(domain) && domainMatch(host, domain) && !publicSuffix, domain).toBe(false);
      await expect(signer.signCookies(resource, { expiresIn: '1h', now: NOW, domain })).rejects.toMatchObject(
        {
          code: 'ERR_INVALID_COOKIE_OPTIONS',
          message: expect.stringMatching(message),
        },
      );
    }
    // Clearing cannot work there either.
    expect(() => signer.clearCookies({ domain: 'cloudfront.net' })).toThrow(/public suffix/);
    expect(() => signer.clearCookies({ domain: '..' })).toThrow(/not a host name/);
  });

  test('§7: a Domain that domain-matches the resource host is kept as given', async () => {
    for (const [resource, domain] of [
      [`${CDN}/v/*`, 'example.com'],
      [`${CDN}/v/*`, '.example.com'],
      [`${CDN}/v/*`, 'Example.COM'],
      [`${CDN}/v/*`, 'cdn.example.com'],
      [`${CDN}:8443/v/*`, 'example.com'],
      ['https://d111111abcdef8.cloudfront.net/v/*', 'd111111abcdef8.cloudfront.net'],
      ['https://*.example.com/v/*', 'example.com'],
      ['https://cdn-*.example.com/v/*', 'cdn-eu.example.com'],
      ['https://192.0.2.7/v/*', '192.0.2.7'],
      // A wildcard in the scheme leaves the host unknown: nothing to check.
      ['http*://cdn.example.com/v/*', 'other.com'],
      // Past a wildcard in the host only its literal tail is known.
      ['https://*.b.example.com/v/*', 'example.com'],
    ]) {
      const set = await signer.signCookies(resource, { expiresIn: '1h', now: NOW, domain });
      expect(set.setCookie[0]).toContain(`; Domain=${domain}; Path=/v/;`);
      if (!/\*[.:]/.test(resource)) expect(domainMatch(new URL(resource).hostname, domain)).toBe(true);
    }
  });

  test('§7: a Path no request under the resource path-matches is refused; a working one is kept', async () => {
    // [resource, cookie path, request paths the resource covers]
    const refused: [string, string, string[]][] = [
      [`${CDN}/v/*`, '/w/', ['/v/', '/v/a.jpg', '/v/w/']],
      [`${CDN}/v/*`, '/vx/', ['/v/', '/v/vx/']],
      [`${CDN}/v/*`, '/va', ['/v/', '/v/a']],
      [`${CDN}/v/a.jpg`, '/v/a', ['/v/a.jpg']],
      [`${CDN}/v/a.jpg`, '/v/a.jpg/', ['/v/a.jpg']],
      [`${CDN}/v/a.jpg?w=640`, '/w/', ['/v/a.jpg']],
      ['http://cdn.example.com/v/*', '/w/', ['/v/', '/v/a.jpg']],
    ];
    for (const [resource, path, covered] of refused) {
      expect(
        covered.some((p) => pathMatch(p, path)),
        path,
      ).toBe(false);
      await expect(signer.signCookies(resource, { expiresIn: '1h', now: NOW, path })).rejects.toMatchObject({
        code: 'ERR_INVALID_COOKIE_OPTIONS',
        message: expect.stringMatching(
          /^Cookie "path" ".*" matches no path of the resource .*; use "\/v\/" \(the default\)/,
        ),
      });
    }
    const kept: [string, string, string][] = [
      [`${CDN}/v/*`, '/', `${CDN}/v/a.jpg`],
      [`${CDN}/v/*`, '/v', `${CDN}/v/a.jpg`],
      [`${CDN}/v/*`, '/v/', `${CDN}/v/a.jpg`],
      [`${CDN}/v/*`, '/v/sub/deeper', `${CDN}/v/sub/deeper/a.ts`],
      [`${CDN}/v*`, '/vx/', `${CDN}/vx/a.ts`],
      [`${CDN}/v/a.jpg`, '/v/a.jpg', `${CDN}/v/a.jpg`],
      [`${CDN}/v/a.jpg?w=640`, '/v/', `${CDN}/v/a.jpg?w=640`],
    ];
    // A wildcard in the scheme can cross into the path (`http*` can be `http://x/w/a?`): any path may work.
    await expect(
      signer.signCookies('http*://cdn.example.com/v/*', { expiresIn: '1h', now: NOW, path: '/w/' }),
    ).resolves.toBeDefined();
    for (const [resource, path, request] of kept) {
      const set = await signer.signCookies(resource, { expiresIn: '1h', now: NOW, path, clearUnused: false });
      expect(set.setCookie.every((line) => line.includes(`; Path=${path};`))).toBe(true);
      expect(pathMatch(new URL(request).pathname, path)).toBe(true);
      await reaches(set.values, request);
    }
  });
});
