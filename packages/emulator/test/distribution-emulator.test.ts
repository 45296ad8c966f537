import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from '@cfsign/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmulator,
  type Distribution,
  emulatorConfigFromDistribution,
  type RunningEmulator,
  readDistributionFiles,
} from '../src/index.js';
import { apiDistribution, fixture, PARTNER_KEY, SITE_KEY } from './distribution-fixtures.js';
import { makeBucket, makeKey, rawRequest } from './helpers.js';

// The fixture's public keys are replaced by fresh ones whose private halves this test holds.
const site = makeKey('ec');
const partner = makeKey('ec');
const siteSigner = createSigner({ keyPairId: SITE_KEY, privateKey: site.privatePem, cache: false });
const partnerSigner = createSigner({ keyPairId: PARTNER_KEY, privateKey: partner.privatePem, cache: false });

// The S3 origin has OriginPath /prod: the bucket folder holds the objects under prod/.
const bucket = makeBucket({
  'prod/private/a.txt': 'private a',
  'prod/partner/q3/report.pdf': '%PDF-1.4 partner',
  'prod/video/42/master.m3u8': '#EXTM3U',
  'prod/members/m.txt': 'members only',
  'prod/public/hello.txt': 'hello',
});
let app: Server;
let appUrl: string;
const seenByApp: { url: string; secret: string | undefined }[] = [];

function distribution(): Distribution {
  return apiDistribution((docs) => {
    docs['public-key-main.json']!.PublicKey.PublicKeyConfig.EncodedKey = site.publicPem;
    docs['public-key-partner.json']!.PublicKey.PublicKeyConfig.EncodedKey = partner.publicPem;
  });
}

async function start(options: { enforceViewerProtocolPolicy?: boolean } = {}): Promise<RunningEmulator> {
  return createEmulator(
    emulatorConfigFromDistribution(distribution(), {
      origins: { 'media-bucket': bucket.root, app: appUrl },
      ...options,
    }),
  ).listen();
}

beforeAll(async () => {
  app = createServer((req, res) => {
    seenByApp.push({ url: req.url ?? '', secret: req.headers['x-origin-secret'] as string | undefined });
    res.end(`app ${req.url}`);
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
afterAll(async () => {
  app.closeAllConnections();
  await new Promise((r) => app.close(r));
  bucket.cleanup();
});

describe('the emulator serving a distribution loaded from get-distribution-config output', () => {
  let cdn: RunningEmulator;
  beforeAll(async () => {
    cdn = await start();
  });
  afterAll(() => cdn.close());

  it('serves a signed private object from the S3 origin under its OriginPath; refuses it unsigned', async () => {
    const url = await siteSigner.signUrl(`${cdn.url}/private/a.txt`, { expiresIn: 600 });
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('private a');
    const unsigned = await fetch(`${cdn.url}/private/a.txt`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingKey</Code>');
  });

  it('trusts each key only on the behaviors whose key groups hold it', async () => {
    const onPrivate = await partnerSigner.signUrl(`${cdn.url}/private/a.txt`, { expiresIn: 600 });
    const refused = await fetch(onPrivate);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>UnknownKey</Code>');
    for (const signer of [partnerSigner, siteSigner]) {
      const pdf = await fetch(await signer.signUrl(`${cdn.url}/partner/q3/report.pdf`, { expiresIn: 600 }));
      expect(pdf.status).toBe(200);
      expect(await pdf.text()).toBe('%PDF-1.4 partner');
      const m3u8 = await signer.signUrl(`${cdn.url}/video/42/master.m3u8`, {
        expiresIn: 600,
        resource: `${cdn.url}/video/42/*`,
      });
      expect((await fetch(m3u8)).status).toBe(200);
    }
  });

  it('accepts signed cookies on the members behavior', async () => {
    const { values } = await siteSigner.signCookies(`${cdn.url}/members/*`, { expiresIn: 600 });
    const cookie = Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const res = await fetch(`${cdn.url}/members/m.txt`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('members only');
  });

  it('serves the public behavior (pattern written without the leading /) unsigned', async () => {
    const res = await fetch(`${cdn.url}/public/hello.txt`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
  });

  it('matches path patterns case-sensitively: /Private/ falls through to the default behavior (the app)', async () => {
    const before = seenByApp.length;
    const res = await rawRequest(cdn.url, '/Private/a.txt?x=1');
    expect(res.status).toBe(200);
    expect(res.body).toBe('app /Private/a.txt?x=1');
    // The origin custom header of the app origin, from CustomHeaders in the distribution.
    expect(seenByApp.slice(before)).toEqual([{ url: '/Private/a.txt?x=1', secret: 'fixture-origin-secret' }]);
  });
});

describe('viewer protocol policy, when enforced', () => {
  it('redirects or refuses plain HTTP as the behavior says, and serves allow-all', async () => {
    const cdn = await start({ enforceViewerProtocolPolicy: true });
    const redirect = await rawRequest(cdn.url, '/private/a.txt');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://${new URL(cdn.url).host}/private/a.txt`);
    expect((await rawRequest(cdn.url, '/video/42/master.m3u8')).status).toBe(403);
    expect((await rawRequest(cdn.url, '/public/hello.txt')).status).toBe(200);
    await cdn.close();
  });
});

describe('the emulator serving a distribution loaded from a CloudFormation template', () => {
  it('uses the logical IDs as key IDs and maps origins by Id', async () => {
    const fromTemplate = readDistributionFiles([fixture('template.yaml')]);
    fromTemplate.publicKeys.SitePublicKey!.encodedKey = site.publicPem;
    const cdn = await createEmulator(
      emulatorConfigFromDistribution(fromTemplate, { origins: { 'media-bucket': bucket.root, app: appUrl } }),
    ).listen();
    const signer = createSigner({ keyPairId: 'SitePublicKey', privateKey: site.privatePem, cache: false });
    const res = await fetch(await signer.signUrl(`${cdn.url}/private/a.txt`, { expiresIn: 600 }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('private a');
    expect(
      (await fetch(await siteSigner.signUrl(`${cdn.url}/private/a.txt`, { expiresIn: 600 }))).status,
    ).toBe(403);
    await cdn.close();
  });
});
