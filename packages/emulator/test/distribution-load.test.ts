import { describe, expect, it } from 'vitest';
import {
  type Distribution,
  emulatorConfigFromDistribution,
  loadDistribution,
  MANAGED_CACHE_POLICIES,
  parseDocument,
  readDistributionFiles,
} from '../src/index.js';
import { apiDistribution, fixture, readFixture } from './distribution-fixtures.js';

/** A `CfsignError` `ERR_INVALID_DISTRIBUTION` whose message matches. */
const invalid = (message: RegExp) =>
  expect.objectContaining({ code: 'ERR_INVALID_DISTRIBUTION', message: expect.stringMatching(message) });

/** The parts that must agree between the API and the CloudFormation forms (IDs differ before deploy). */
function shape(d: Distribution) {
  const behavior = (b: Distribution['defaultBehavior']) => ({
    pathPattern: b.pathPattern,
    targetOriginId: b.targetOriginId,
    keyGroups: b.trustedKeyGroupIds.map((id) => d.keyGroups[id]!.name),
    keys: b.trustedKeyGroupIds.flatMap((id) =>
      d.keyGroups[id]!.publicKeyIds.map((k) => d.publicKeys[k]!.name),
    ),
    viewerProtocolPolicy: b.viewerProtocolPolicy,
    cachePolicy: d.cachePolicies[b.cachePolicyId!]?.name,
  });
  return {
    aliases: d.aliases,
    ipv6Enabled: d.ipv6Enabled,
    origins: d.origins.map(({ id, originPath, customHeaders, kind }) => ({
      id,
      originPath,
      customHeaders,
      kind,
    })),
    behaviors: d.behaviors.map(behavior),
    defaultBehavior: behavior(d.defaultBehavior),
  };
}

describe('loadDistribution', () => {
  it('reads get-distribution-config, get-key-group, get-public-key and get-cache-policy output', () => {
    const d = apiDistribution();
    expect(shape(d)).toEqual({
      aliases: ['cdn.example.com'],
      ipv6Enabled: true,
      origins: [
        { id: 'media-bucket', originPath: '/prod', customHeaders: {}, kind: 's3' },
        {
          id: 'app',
          originPath: '',
          customHeaders: { 'x-origin-secret': 'fixture-origin-secret' },
          kind: 'custom',
        },
      ],
      behaviors: [
        {
          pathPattern: '/private/*',
          targetOriginId: 'media-bucket',
          keyGroups: ['site-signers'],
          keys: ['site-2026'],
          viewerProtocolPolicy: 'redirect-to-https',
          cachePolicy: 'CachingOptimized',
        },
        {
          pathPattern: '/video/*',
          targetOriginId: 'media-bucket',
          keyGroups: ['site-signers', 'partner-signers'],
          keys: ['site-2026', 'partner-2026'],
          viewerProtocolPolicy: 'https-only',
          cachePolicy: 'signed-media',
        },
        {
          pathPattern: '/partner/*.pdf',
          targetOriginId: 'media-bucket',
          keyGroups: ['partner-signers', 'site-signers'],
          keys: ['partner-2026', 'site-2026'],
          viewerProtocolPolicy: 'redirect-to-https',
          cachePolicy: 'CachingOptimized',
        },
        {
          pathPattern: '/members/*',
          targetOriginId: 'media-bucket',
          keyGroups: ['site-signers'],
          keys: ['site-2026'],
          viewerProtocolPolicy: 'redirect-to-https',
          cachePolicy: 'CachingOptimized',
        },
        {
          pathPattern: 'public/*',
          targetOriginId: 'media-bucket',
          keyGroups: [],
          keys: [],
          viewerProtocolPolicy: 'allow-all',
          cachePolicy: 'CachingOptimized',
        },
      ],
      defaultBehavior: {
        pathPattern: '*',
        targetOriginId: 'app',
        keyGroups: [],
        keys: [],
        viewerProtocolPolicy: 'redirect-to-https',
        cachePolicy: 'CachingDisabled',
      },
    });
    expect(d.cachePolicies['a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d']).toMatchObject({
      managed: false,
      queryStrings: { behavior: 'whitelist', names: ['quality'] },
      cookies: { behavior: 'none', names: [] },
    });
  });

  it('reads the same distribution from a YAML template (short tags) and a JSON template (long form)', () => {
    const api = shape(apiDistribution());
    const yaml = readDistributionFiles([fixture('template.yaml')]);
    const json = readDistributionFiles([fixture('template.json')]);
    expect(shape(yaml)).toEqual(api);
    expect(shape(json)).toEqual(api);
    // Refs between the template's resources resolve to logical IDs; parameters to their defaults.
    expect(yaml.behaviors[1]!.trustedKeyGroupIds).toEqual(['SiteKeyGroup', 'PartnerKeyGroup']);
    expect(yaml.keyGroups.PartnerKeyGroup!.publicKeyIds).toEqual(['PartnerPublicKey']);
    expect(yaml.origins[0]!.originAccessControlId).toBe('MediaOac');
    expect(yaml.id).toBe('Distribution');
  });

  it('knows the AWS-managed cache policies by their documented settings', () => {
    const byName = Object.fromEntries(Object.values(MANAGED_CACHE_POLICIES).map((p) => [p.name, p]));
    expect(byName.CachingOptimized).toMatchObject({
      id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      queryStrings: { behavior: 'none' },
      cookies: { behavior: 'none' },
    });
    expect(byName.CachingDisabled?.id).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(byName['UseOriginCacheControlHeaders-QueryStrings']?.queryStrings.behavior).toBe('all');
    expect(byName['Elemental-MediaPackage']?.queryStrings.names).toEqual([
      'aws.manifestfilter',
      'start',
      'end',
      'm',
    ]);
  });

  it('reads get-distribution and list-* outputs, and legacy ForwardedValues', () => {
    const config = readFixture('distribution.json').DistributionConfig;
    config.CacheBehaviors.Items[0].CachePolicyId = undefined;
    config.CacheBehaviors.Items[0].ForwardedValues = {
      QueryString: true,
      Cookies: { Forward: 'none' },
      Headers: { Quantity: 0 },
      QueryStringCacheKeys: { Quantity: 0 },
    };
    const kg = readFixture('key-group-main.json').KeyGroup;
    const pk = readFixture('public-key-main.json').PublicKey;
    const d = loadDistribution([
      {
        Distribution: {
          Id: 'E1A2B3C4D5E6F7',
          DomainName: 'd111111abcdef8.cloudfront.net',
          DistributionConfig: config,
        },
      },
      { KeyGroupList: { MaxItems: 100, Quantity: 1, Items: [{ KeyGroup: kg }] } },
      {
        PublicKeyList: {
          MaxItems: 100,
          Quantity: 1,
          Items: [
            { Id: pk.Id, Name: 'site-2026', CreatedTime: pk.CreatedTime, EncodedKey: 'PEM', Comment: '' },
          ],
        },
      },
      {
        CachePolicyList: {
          MaxItems: 100,
          Quantity: 1,
          Items: [{ Type: 'custom', CachePolicy: readFixture('cache-policy-signed-media.json').CachePolicy }],
        },
      },
    ]);
    expect(d.id).toBe('E1A2B3C4D5E6F7');
    expect(d.domainName).toBe('d111111abcdef8.cloudfront.net');
    expect(d.keyGroups[kg.Id]!.publicKeyIds).toEqual(['K2JCJMDEHXQW5F']);
    expect(d.publicKeys.K2JCJMDEHXQW5F!.encodedKey).toBe('PEM');
    expect(d.behaviors[0]!.legacyCacheKey?.queryStrings).toEqual({ behavior: 'all', names: [] });
  });

  it('sends an origin group to its primary origin', () => {
    const d = apiDistribution((docs) => {
      const config = docs['distribution.json'].DistributionConfig;
      config.OriginGroups = {
        Quantity: 1,
        Items: [
          {
            Id: 'media-group',
            FailoverCriteria: { StatusCodes: { Quantity: 2, Items: [500, 503] } },
            Members: { Quantity: 2, Items: [{ OriginId: 'media-bucket' }, { OriginId: 'app' }] },
          },
        ],
      };
      config.CacheBehaviors.Items[4].TargetOriginId = 'media-group';
    });
    const emulator = emulatorConfigFromDistribution(d, {
      origins: { 'media-bucket': '/srv/bucket', app: 'http://127.0.0.1:3000' },
    });
    expect(emulator.behaviors?.[4]).toMatchObject({ pathPattern: 'public/*', origin: 'media-bucket' });
    expect(emulator.origins).toEqual({
      'media-bucket': { type: 'directory', root: '/srv/bucket/prod' },
      app: {
        type: 'http',
        url: 'http://127.0.0.1:3000',
        customHeaders: { 'x-origin-secret': 'fixture-origin-secret' },
      },
    });
  });

  it('refuses input it cannot read, saying what to pass instead', () => {
    const config = () => readFixture('distribution.json').DistributionConfig;
    const bad: [unknown, RegExp][] = [
      [{ hello: 1 }, /get-distribution-config/],
      [{ KeyGroupConfig: { Name: 'x', Items: ['K1'] } }, /no Id; use get-key-group/],
      [readFixture('key-group-main.json'), /no distribution found/],
      [[config(), config()], /2 distributions found/],
      [
        { ...config(), DefaultCacheBehavior: { ...config().DefaultCacheBehavior, TargetOriginId: 'nope' } },
        /TargetOriginId "nope"/,
      ],
      [
        {
          Resources: {
            D: {
              Type: 'AWS::CloudFront::Distribution',
              Properties: { DistributionConfig: { 'Fn::If': ['c', 1, 2] } },
            },
          },
        },
        /Fn::If is not supported/,
      ],
      [
        {
          Resources: {
            D: {
              Type: 'AWS::CloudFront::Distribution',
              Properties: { DistributionConfig: { Ref: 'Missing' } },
            },
          },
        },
        /Ref Missing/,
      ],
    ];
    for (const [input, message] of bad)
      expect(() => loadDistribution(input), message.source).toThrow(invalid(message));
    expect(() => parseDocument('a: [1, 2', 'bad.yaml')).toThrow(
      invalid(/bad\.yaml: neither JSON nor valid YAML/),
    );
    expect(() => readDistributionFiles([fixture('rules.json')])).toThrow(
      invalid(/rules\.json: not a shape cfsign reads/),
    );
    expect(() => readDistributionFiles([fixture('no-such-file.json')])).toThrow(
      invalid(/cannot read .*no-such-file\.json; pass a readable JSON or YAML file/),
    );
  });

  it('refuses to emulate what it cannot map: an origin without a stand-in, a key it does not have', () => {
    const d = apiDistribution();
    expect(() => emulatorConfigFromDistribution(d, { origins: { app: 'http://127.0.0.1:1' } })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringMatching(
          /origin "media-bucket" \(example-media\.s3\.us-east-1\.amazonaws\.com\), which has no local stand-in; add origins:/,
        ),
      }),
    );
    const noKeys = apiDistribution((docs) => {
      delete docs['public-key-partner.json'];
    });
    expect(() =>
      emulatorConfigFromDistribution(noKeys, {
        origins: { app: 'http://127.0.0.1:1', 'media-bucket': '/tmp' },
      }),
    ).toThrow(invalid(/public key K3PARTNER0KEY1 of key group partner-signers has no EncodedKey/));
    const noGroup = apiDistribution((docs) => {
      delete docs['key-group-partner.json'];
    });
    expect(() =>
      emulatorConfigFromDistribution(noGroup, {
        origins: { app: 'http://127.0.0.1:1', 'media-bucket': '/tmp' },
      }),
    ).toThrow(invalid(/get-key-group --id 9b7c3e21/));
  });
});

describe('CloudFormation intrinsic functions', () => {
  it('resolves nested short tags and long forms between the CloudFront resources', () => {
    const template = `\ufeffParameters:
  Env: { Type: String, Default: prod }
Resources:
  Pk:
    Type: AWS::CloudFront::PublicKey
    Properties:
      PublicKeyConfig: { CallerReference: r, Name: !Sub 'key-\${Env}', EncodedKey: PEM }
  Kg:
    Type: AWS::CloudFront::KeyGroup
    Properties:
      KeyGroupConfig:
        Name: !Join ['-', [group, !Ref Env]]
        Items: [!Select [0, [!GetAtt Pk.Id, other]]]
  Cp:
    Type: AWS::CloudFront::CachePolicy
    Properties:
      CachePolicyConfig:
        Name: !Sub ['\${Prefix}-policy', { Prefix: !Ref Env }]
        ParametersInCacheKeyAndForwardedToOrigin:
          QueryStringsConfig: { QueryStringBehavior: allExcept, QueryStrings: [Signature] }
  D:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Comment: !Sub 'literal \${!NotResolved}'
        Origins: [{ Id: o, DomainName: !Sub '\${AWS::StackName}.example.com', OriginPath: !Sub '/\${Env}', CustomOriginConfig: {} }]
        DefaultCacheBehavior: { TargetOriginId: o, ViewerProtocolPolicy: allow-all, TrustedKeyGroups: [!Ref Kg], CachePolicyId: !GetAtt [Cp, Id] }
`;
    const d = loadDistribution(parseDocument(template, 'nested.yaml'));
    expect(d.publicKeys.Pk?.name).toBe('key-prod');
    expect(d.keyGroups.Kg).toEqual({ id: 'Kg', name: 'group-prod', publicKeyIds: ['Pk'] });
    expect(d.cachePolicies.Cp).toMatchObject({
      name: 'prod-policy',
      queryStrings: { behavior: 'allExcept', names: ['Signature'] },
    });
    expect(d.origins[0]).toMatchObject({ originPath: '/prod', domainName: 'AWS::StackName.example.com' });
    expect(d.defaultBehavior).toMatchObject({ trustedKeyGroupIds: ['Kg'], cachePolicyId: 'Cp' });
  });
});
