import { describe, expect, it } from 'vitest';
import { checkDistribution, type Finding, readDistributionFiles } from '../src/index.js';
import {
  apiDistribution,
  behaviorOf,
  type Doc,
  fixture,
  fixtureRules,
  PARTNER_KEY,
  SITE_KEY,
} from './distribution-fixtures.js';

const keys = { keyPairIds: [SITE_KEY] };
const codes = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.code} ${f.behavior ?? ''}`);

describe('checkDistribution on a correct configuration', () => {
  it('finds nothing in the AWS CLI outputs', () => {
    expect(checkDistribution(apiDistribution(), fixtureRules(), keys)).toEqual({ ok: true, findings: [] });
  });

  it('finds nothing in the same distribution as a YAML or a JSON CloudFormation template', () => {
    for (const file of ['template.yaml', 'template.json']) {
      const distribution = readDistributionFiles([fixture(file)]);
      // Before deploy, a template's public keys are known by logical ID or name.
      for (const keyPairIds of [['SitePublicKey'], ['site-2026']])
        expect(checkDistribution(distribution, fixtureRules(), { keyPairIds }), file).toEqual({
          ok: true,
          findings: [],
        });
    }
  });
});

describe('checkDistribution findings', () => {
  it('a private path served by a public behavior is a leak', () => {
    const rules = fixtureRules();
    rules.rules.push({ match: '/reports/**' });
    const result = checkDistribution(apiDistribution(), rules, keys);
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'private-path-public-behavior',
        severity: 'error',
        behavior: '*',
        rule: 'rules[4] /reports/**',
        example: '/reports/x',
      }),
    ]);
    expect(result.findings[0]!.fix).toMatch(/Restrict viewer access: Yes/);
  });

  it('a behavior made public by mistake leaks every path its rules sign', () => {
    const distribution = apiDistribution((docs) => {
      behaviorOf(docs, '/private/*').TrustedKeyGroups = { Enabled: false, Quantity: 0 };
    });
    expect(codes(checkDistribution(distribution, fixtureRules(), keys).findings)).toEqual([
      'error private-path-public-behavior /private/*',
    ]);
  });

  it('a behavior listed before the restricted one takes its paths (precedence is list order)', () => {
    const distribution = apiDistribution((docs) => {
      const items = docs['distribution.json']!.DistributionConfig.CacheBehaviors.Items;
      items.unshift({ ...behaviorOf(docs, 'public/*'), PathPattern: '/private/thumbs/*' });
    });
    const [finding, ...rest] = checkDistribution(distribution, fixtureRules(), keys).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'private-path-public-behavior',
      behavior: '/private/thumbs/*',
      rule: 'rules[0] /private/**',
      example: '/private/thumbs/x',
    });
  });

  it('a restricted behavior whose links no rule signs', () => {
    const rules = fixtureRules();
    rules.rules = rules.rules.filter((r) => r.match !== '/members/**');
    expect(checkDistribution(apiDistribution(), rules, keys).findings).toEqual([
      expect.objectContaining({
        code: 'restricted-behavior-unsigned',
        severity: 'error',
        behavior: '/members/*',
        example: '/members/x',
      }),
    ]);
  });

  it('a restricted behavior only partly covered by the rules is a warning', () => {
    const rules = fixtureRules();
    rules.rules[2] = { match: '/partner/reports/*.pdf' };
    const result = checkDistribution(apiDistribution(), rules, keys);
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'restricted-paths-unsigned',
        severity: 'warning',
        behavior: '/partner/*.pdf',
      }),
    ]);
    expect(result.findings[0]!.example).toMatch(/^\/partner\/.*\.pdf$/);
  });

  it('the signing key is not in the trusted key groups of the behavior that matches', () => {
    // The partner key is trusted on /video/* and /partner/*.pdf only.
    const result = checkDistribution(apiDistribution(), fixtureRules(), { keyPairIds: [PARTNER_KEY] });
    expect(codes(result.findings)).toEqual([
      'error signing-key-not-trusted /private/*',
      'error signing-key-not-trusted /members/*',
    ]);
    expect(result.findings[0]).toMatchObject({ rule: 'rules[0] /private/**', example: '/private/x' });
    expect(result.findings[0]!.message).toMatch(/site-signers.*403 UnknownKey/);
  });

  it("a public key's Name in API output is not its ID: CloudFront answers UnknownKey to it", () => {
    // public-key-main.json: ID K2JCJMDEHXQW5F, Name site-2026 (a template knows only the Name).
    const result = checkDistribution(apiDistribution(), fixtureRules(), { keyPairIds: ['site-2026'] });
    expect(codes(result.findings)).toContain('error signing-key-not-trusted /private/*');
    expect(result.findings[0]!.message).toMatch(
      /site-2026, which is the Name of public key K2JCJMDEHXQW5F, not its ID/,
    );
    expect(result.findings[0]!.fix).toMatch(/--key-pair-id K2JCJMDEHXQW5F/);
  });

  it('a restricted behavior on a bucket anyone can read (no OAC or OAI, or a website endpoint) is an error, once per origin', () => {
    const media = (docs: Record<string, Doc>) =>
      docs['distribution.json']!.DistributionConfig.Origins.Items.find(
        (o: { Id: string }) => o.Id === 'media-bucket',
      );
    const open = apiDistribution((docs) => {
      media(docs).OriginAccessControlId = '';
    });
    const result = checkDistribution(open, fixtureRules(), keys);
    // Four restricted behaviors read media-bucket: one finding, on the first.
    expect(codes(result.findings)).toEqual(['error origin-reachable /private/*']);
    expect(result.ok).toBe(false);
    expect(result.findings[0]!.message).toMatch(
      /media-bucket .*without origin access control \(OAC\) or identity \(OAI\)/,
    );
    // The legacy OAI keeps it private too.
    const withOai = apiDistribution((docs) => {
      media(docs).OriginAccessControlId = '';
      media(docs).S3OriginConfig.OriginAccessIdentity = 'origin-access-identity/cloudfront/E15MNIMTCFKK4C';
    });
    expect(checkDistribution(withOai, fixtureRules(), keys).findings).toEqual([]);
    // A website endpoint is a custom origin, public by nature.
    const website = apiDistribution((docs) => {
      const m = media(docs);
      m.DomainName = 'example-media.s3-website-us-east-1.amazonaws.com';
      m.OriginAccessControlId = '';
      delete m.S3OriginConfig;
      m.CustomOriginConfig = { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' };
    });
    expect(checkDistribution(website, fixtureRules(), keys).findings[0]!.message).toMatch(
      /S3 website endpoint/,
    );
  });

  it('a restricted behavior that accepts plain HTTP is a warning: signatures would cross the network readable', () => {
    const http = apiDistribution((docs) => {
      behaviorOf(docs, '/private/*').ViewerProtocolPolicy = 'allow-all';
    });
    const result = checkDistribution(http, fixtureRules(), keys);
    expect(codes(result.findings)).toEqual(['warning signatures-over-http /private/*']);
    expect(result.ok).toBe(true);
    expect(result.findings[0]!.fix).toMatch(/Redirect HTTP to HTTPS/);
  });

  it('a key group removed from a behavior is caught for that behavior only', () => {
    const distribution = apiDistribution((docs) => {
      behaviorOf(docs, '/partner/*.pdf').TrustedKeyGroups = {
        Enabled: true,
        Quantity: 1,
        Items: ['9b7c3e21-0d4a-4c5f-8e6b-1a2b3c4d5e6f'],
      };
    });
    expect(codes(checkDistribution(distribution, fixtureRules(), keys).findings)).toEqual([
      'error signing-key-not-trusted /partner/*.pdf',
    ]);
  });

  it('a managed cache policy that keys on all query strings makes each signed URL a miss', () => {
    const distribution = apiDistribution((docs) => {
      // UseOriginCacheControlHeaders-QueryStrings: all query strings and all cookies in the key.
      behaviorOf(docs, '/private/*').CachePolicyId = '4cc15a8a-d715-48a4-82b8-cc0b614638fe';
      behaviorOf(docs, '/members/*').CachePolicyId = '4cc15a8a-d715-48a4-82b8-cc0b614638fe';
    });
    const findings = checkDistribution(distribution, fixtureRules(), keys).findings;
    expect(codes(findings)).toEqual([
      'error cache-key-includes-signature /private/*',
      'error cache-key-includes-signature /members/*',
    ]);
    expect(findings[0]!.message).toMatch(/Expires, Signature, Key-Pair-Id/);
    expect(findings[1]!.message).toMatch(/CloudFront-Policy, CloudFront-Signature, CloudFront-Key-Pair-Id/);
  });

  it('a custom cache policy with all query strings, or one that lists a signing param, too', () => {
    const all = apiDistribution((docs) => {
      behaviorOf(docs, '/video/*').CachePolicyId = 'e5f6a7b8-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
      docs.extra = JSON.parse(JSON.stringify(docs['cache-policy-signed-media.json']));
      docs.extra.CachePolicy.Id = 'e5f6a7b8-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
      docs.extra.CachePolicy.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig = {
        QueryStringBehavior: 'all',
      };
    });
    expect(codes(checkDistribution(all, fixtureRules(), keys).findings)).toEqual([
      'error cache-key-includes-signature /video/*',
    ]);
    const listed = apiDistribution((docs) => {
      docs[
        'cache-policy-signed-media.json'
      ]!.CachePolicy.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStrings =
        { Quantity: 2, Items: ['quality', 'Signature'] };
    });
    const [finding] = checkDistribution(listed, fixtureRules(), keys).findings;
    expect(finding).toMatchObject({ code: 'cache-key-includes-signature', behavior: '/video/*' });
    expect(finding!.message).toMatch(/query strings Signature:/);
  });

  it('a cache policy the input does not describe is reported, not guessed', () => {
    const distribution = apiDistribution((docs) => {
      delete docs['cache-policy-signed-media.json'];
    });
    expect(codes(checkDistribution(distribution, fixtureRules(), keys).findings)).toEqual([
      'warning missing-input /video/*',
    ]);
  });

  it('IP-restricted rules on an IPv6-enabled distribution', () => {
    const rules = fixtureRules();
    rules.rules[2] = { ...rules.rules[2], ipAddress: 'client' };
    expect(checkDistribution(apiDistribution(), rules, keys).findings).toEqual([
      expect.objectContaining({
        code: 'ip-restriction-with-ipv6',
        severity: 'error',
        behavior: '/partner/*.pdf',
        rule: 'rules[2] /partner/**/*.pdf',
      }),
    ]);
    const ipv4Only = apiDistribution((docs) => {
      docs['distribution.json']!.DistributionConfig.IsIPV6Enabled = false;
    });
    expect(checkDistribution(ipv4Only, rules, keys).findings).toEqual([]);
  });

  it('cookie rules without an alternate domain name under the site domain', () => {
    for (const aliases of [{ Quantity: 0 }, { Quantity: 1, Items: ['media.example.net'] }]) {
      const distribution = apiDistribution((docs) => {
        docs['distribution.json']!.DistributionConfig.Aliases = aliases;
      });
      expect(checkDistribution(distribution, fixtureRules(), keys).findings).toEqual([
        expect.objectContaining({
          code: 'cookie-domain-mismatch',
          severity: 'error',
          behavior: '/members/*',
          rule: 'rules[3] /members/** (cookie)',
        }),
      ]);
    }
    // An alias under the site domain exists, but the links go to the cloudfront.net domain: the
    // rules themselves are refused (with or without the cookie domain), naming the alternate domain name.
    for (const withDomain of [true, false]) {
      const rules = fixtureRules();
      rules.cdn = 'https://d111111abcdef8.cloudfront.net';
      if (!withDomain) delete rules.rules.find((r) => r.match === '/members/**')!.cookie;
      expect(() => checkDistribution(apiDistribution(), rules, keys), `cookie domain: ${withDomain}`).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_COOKIE_OPTIONS',
          message: expect.stringMatching(/alternate domain name .*cdn\.example\.com/),
        }),
      );
    }
    // A host-only cookie rule with the site on the CDN's host, which has no alias under the site:
    const onCdnHost = fixtureRules();
    onCdnHost.cdn = 'https://d111111abcdef8.cloudfront.net';
    onCdnHost.origins = ['https://www.example.com', onCdnHost.cdn];
    delete onCdnHost.rules.find((r) => r.match === '/members/**')!.cookie;
    const [finding, ...rest] = checkDistribution(apiDistribution(), onCdnHost, keys).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ code: 'cookie-domain-mismatch', behavior: '/members/*' });
    expect(finding!.fix).toBe(
      "Set the rules' cdn to https://cdn.example.com and the cookies for the domain example.com.",
    );
    // The links go to cdn.example.com, which shares the cookie domain with the site, but the
    // distribution does not answer there: that is the problem named, not the cookies.
    const wwwOnly = apiDistribution((docs) => {
      docs['distribution.json']!.DistributionConfig.Aliases = { Quantity: 1, Items: ['www.example.com'] };
    });
    const [notAlias, ...others] = checkDistribution(wwwOnly, fixtureRules(), keys).findings;
    expect(others).toEqual([]);
    expect(notAlias).toMatchObject({ code: 'cookie-domain-mismatch', behavior: '/members/*' });
    expect(notAlias!.message).toMatch(
      /cdn\.example\.com is not an alternate domain name of this distribution/,
    );
    expect(notAlias!.message).not.toMatch(/never sent/);
    expect(notAlias!.fix).toMatch(/add cdn\.example\.com \(with its certificate\)/);
    // Without cookie rules the aliases do not matter.
    const urlRules = fixtureRules();
    urlRules.rules.pop();
    urlRules.rules.push({ match: '/members/**' });
    const noAliases = apiDistribution((docs) => {
      docs['distribution.json']!.DistributionConfig.Aliases = { Quantity: 0 };
    });
    expect(checkDistribution(noAliases, urlRules, keys).findings).toEqual([]);
  });

  it('every finding names its fix', () => {
    const rules = fixtureRules();
    rules.rules.push({ match: '/reports/**', ipAddress: '192.0.2.0/24' });
    const result = checkDistribution(apiDistribution(), rules, { keyPairIds: ['KNOTTRUSTED001'] });
    expect(result.findings.length).toBeGreaterThan(3);
    for (const f of result.findings) {
      expect(f.fix.length).toBeGreaterThan(20);
      expect(f.message.length).toBeGreaterThan(20);
    }
  });
});

describe('cookie reach', () => {
  it('follows cookie domain rules: shared parent, public suffixes, wildcard aliases, local hosts', async () => {
    const { cookieReachProblem, sharesCookieDomain } = await import('../src/check/cookie-domain.js');
    expect(sharesCookieDomain('cdn.example.com', 'www.example.com')).toBe(true);
    expect(sharesCookieDomain('cdn.example.com', 'example.com')).toBe(true);
    expect(sharesCookieDomain('media.example.co.uk', 'shop.other.co.uk')).toBe(false);
    expect(sharesCookieDomain('media.shop.co.uk', 'www.shop.co.uk')).toBe(true);
    expect(sharesCookieDomain('a.cloudfront.net', 'b.cloudfront.net')).toBe(false);
    expect(cookieReachProblem(['*.example.com'], 'cdn.example.com', ['www.example.com'])).toBeUndefined();
    expect(cookieReachProblem(['*.example.com'], 'a.b.example.com', ['www.example.com'])).toEqual({
      kind: 'no-alias',
      site: 'www.example.com',
    });
    expect(cookieReachProblem([], '127.0.0.1', ['www.example.com'])).toBeUndefined();
    expect(cookieReachProblem(['cdn.example.com'], 'cdn.example.com', [])).toBeUndefined();
  });
});
