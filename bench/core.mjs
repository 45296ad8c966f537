// pnpm bench: the core signer and verifier against bare node:crypto and the two common npm signers.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { getSignedUrl as awsGetSignedUrl } from '@aws-sdk/cloudfront-signer';
import awsCloudfrontSign from 'aws-cloudfront-sign';
import * as core from '../packages/core/dist/index.node.js';
import * as web from '../packages/core/dist/index.web.js';
import { fmt, machine, pairedRatio, run, versionOf, writeSection } from './lib.mjs';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' });
const ecPem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' });
const rsaKey = createPrivateKey(rsaPem);
const ecKey = createPrivateKey(ecPem);
const ID = 'KBENCHKEY1';
const CDN = 'https://d111111abcdef8.cloudfront.net/media/photo-';
const expires = new Date('2030-01-01T00:00:00Z');
const policy = Buffer.from(core.cannedPolicy(`${CDN}1.jpg`, 1893456000));

const rsaSigner = core.createSigner({ keyPairId: ID, privateKey: rsaPem, cache: false });
const ecSigner = core.createSigner({ keyPairId: ID, privateKey: ecPem, cache: false });
const rsaWeb = web.createSigner({ keyPairId: ID, privateKey: rsaPem, cache: false });
const ecWeb = web.createSigner({ keyPairId: ID, privateKey: ecPem, cache: false });
const cached = core.createSigner({ keyPairId: ID, privateKey: rsaPem });
const opts = { dateLessThan: expires };
const rel = { expiresIn: '10m' };

const signCases = [
  { name: 'RSA: bare crypto.sign (KeyObject)', group: 'rsa', fn: () => sign('sha1', policy, rsaKey) },
  {
    name: 'RSA: cfsign signUrlSync, uncached',
    group: 'rsa',
    fn: (i) => rsaSigner.signUrlSync(`${CDN}${i}.jpg`, opts),
  },
  {
    name: 'RSA: cfsign await signUrl, uncached',
    group: 'rsa',
    fn: (i) => rsaSigner.signUrl(`${CDN}${i}.jpg`, opts),
  },
  {
    name: 'RSA: cfsign WebCrypto signUrl, uncached',
    group: 'rsa',
    fn: (i) => rsaWeb.signUrl(`${CDN}${i}.jpg`, opts),
  },
  {
    name: 'RSA: cfsign getSignedUrl (PEM string)',
    group: 'rsa',
    fn: (i) =>
      core.getSignedUrl({ url: `${CDN}${i}.jpg`, keyPairId: ID, privateKey: rsaPem, dateLessThan: expires }),
  },
  {
    name: `RSA: @aws-sdk/cloudfront-signer ${versionOf('@aws-sdk/cloudfront-signer')} (PEM string)`,
    group: 'rsa',
    fn: (i) =>
      awsGetSignedUrl({ url: `${CDN}${i}.jpg`, keyPairId: ID, privateKey: rsaPem, dateLessThan: expires }),
  },
  {
    name: `RSA: aws-cloudfront-sign ${versionOf('aws-cloudfront-sign')} (PEM string)`,
    group: 'rsa',
    fn: (i) =>
      awsCloudfrontSign.getSignedUrl(`${CDN}${i}.jpg`, {
        keypairId: ID,
        privateKeyString: rsaPem,
        expireTime: expires.getTime(),
      }),
  },
  { name: 'ECDSA: bare crypto.sign (KeyObject)', group: 'ec', fn: () => sign('sha256', policy, ecKey) },
  {
    name: 'ECDSA: cfsign signUrlSync, uncached',
    group: 'ec',
    fn: (i) => ecSigner.signUrlSync(`${CDN}${i}.jpg`, opts),
  },
  {
    name: 'ECDSA: cfsign await signUrl, uncached',
    group: 'ec',
    fn: (i) => ecSigner.signUrl(`${CDN}${i}.jpg`, opts),
  },
  {
    name: 'ECDSA: cfsign WebCrypto signUrl, uncached',
    group: 'ec',
    fn: (i) => ecWeb.signUrl(`${CDN}${i}.jpg`, opts),
  },
  {
    name: 'cached: cfsign signUrlSync (300 links, hits)',
    group: 'cache',
    fn: (i) => cached.signUrlSync(`${CDN}${i % 300}.jpg`, rel),
  },
  {
    name: 'cached: cfsign await signUrl (300 links, hits)',
    group: 'cache',
    fn: (i) => cached.signUrl(`${CDN}${i % 300}.jpg`, rel),
  },
];

const rsaPub = createPublicKey(rsa.privateKey);
const ecPub = createPublicKey(ec.privateKey);
const rsaUrl = rsaSigner.signUrlSync(`${CDN}1.jpg`, opts);
const ecUrl = ecSigner.signUrlSync(`${CDN}1.jpg`, opts);
const rsaSig = sign('sha1', policy, rsaKey);
const ecSig = sign('sha256', policy, ecKey);
const keys = core.createKeyGroup({ [ID]: rsaPub.export({ type: 'spki', format: 'pem' }) });
const ecKeys = core.createKeyGroup({ [ID]: ecPub.export({ type: 'spki', format: 'pem' }) });
const now = Date.UTC(2026, 0, 1);
const verifyCases = [
  { name: 'RSA verify: bare crypto.verify', group: 'vrsa', fn: () => verify('sha1', policy, rsaPub, rsaSig) },
  {
    name: 'RSA verify: cfsign verifySignedUrl',
    group: 'vrsa',
    fn: () => core.verifySignedUrl(rsaUrl, { keys, now }),
  },
  {
    name: 'ECDSA verify: bare crypto.verify',
    group: 'vec',
    fn: () => verify('sha256', policy, ecPub, ecSig),
  },
  {
    name: 'ECDSA verify: cfsign verifySignedUrl',
    group: 'vec',
    fn: () => core.verifySignedUrl(ecUrl, { keys: ecKeys, now }),
  },
];

const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const results = await run([...signCases, ...verifyCases], { rounds, ms: 250 });
const base = Object.fromEntries(results.filter((r) => /bare/.test(r.name)).map((r) => [r.group, r.median]));
base.vrsa = results.find((r) => r.name === 'RSA verify: bare crypto.verify').median;
base.vec = results.find((r) => r.name === 'ECDSA verify: bare crypto.verify').median;
const aws = results.find((r) => r.name.startsWith('RSA: @aws-sdk')).median;
const rows = results.map((r) => {
  const ref = r.group === 'cache' ? aws : base[r.group];
  const refName = r.group === 'cache' ? 'AWS SDK' : 'bare';
  return `| ${r.name} | ${fmt(r.median)} | ${ref ? `${(r.median / ref).toFixed(2)} x ${refName}` : ''} |`;
});
const ours = (n) => results.find((r) => r.name === n).median;
// The ratio targets are also measured pairwise: alternating short batches of the bare call and ours,
// median of the per-pair ratios, which cancels this VM's drift between rounds.
const byName = (n) => [...signCases, ...verifyCases].find((c) => c.name === n).fn;
const paired = {
  rsa: await pairedRatio(
    byName('RSA: bare crypto.sign (KeyObject)'),
    byName('RSA: cfsign signUrlSync, uncached'),
    { pairs: 101, batch: 4 },
  ),
  ec: await pairedRatio(
    byName('ECDSA: bare crypto.sign (KeyObject)'),
    byName('ECDSA: cfsign signUrlSync, uncached'),
  ),
  vrsa: await pairedRatio(
    byName('RSA verify: bare crypto.verify'),
    byName('RSA verify: cfsign verifySignedUrl'),
  ),
  vec: await pairedRatio(
    byName('ECDSA verify: bare crypto.verify'),
    byName('ECDSA verify: cfsign verifySignedUrl'),
  ),
};
const targets = [
  ['uncached RSA >= 0.95 x bare', ours('RSA: cfsign signUrlSync, uncached') / base.rsa, 0.95, paired.rsa],
  ['uncached ECDSA >= 0.9 x bare', ours('ECDSA: cfsign signUrlSync, uncached') / base.ec, 0.9, paired.ec],
  ['cached >= 1,000,000 URLs/s', ours('cached: cfsign signUrlSync (300 links, hits)') / 1e6, 1, null],
  ['>= 3 x the AWS SDK given a PEM string', ours('RSA: cfsign getSignedUrl (PEM string)') / aws, 3, null],
  ['RSA verify >= 0.9 x bare', ours('RSA verify: cfsign verifySignedUrl') / base.vrsa, 0.9, paired.vrsa],
  ['ECDSA verify >= 0.9 x bare', ours('ECDSA verify: cfsign verifySignedUrl') / base.vec, 0.9, paired.vec],
].map(([t, v, goal, pair]) => {
  const shown = goal === 1 && t.startsWith('cached') ? `${fmt(v * 1e6)} URLs/s` : v.toFixed(2);
  const judged = pair ?? v;
  return `| ${t} | ${shown} | ${pair === null ? '' : pair.toFixed(2)} | ${judged >= goal ? 'met' : `missed by ${((1 - judged / goal) * 100).toFixed(0)}%`} |`;
});

const md = `## Core signer and verifier

Machine: ${machine()}. Medians of ${rounds} interleaved rounds of ~250 ms each, one process, same run
(\`pnpm bench\`, file \`bench/core.mjs\`). Uncached rows sign a different URL on every call; cached rows
cycle over 300 URLs with \`expiresIn: '10m'\` (60 s buckets).

| case | ops/s | ratio |
| --- | ---: | ---: |
${rows.join('\n')}

| target | rounds | paired batches | verdict (paired where measured) |
| --- | ---: | ---: | --- |
${targets.join('\n')}
`;
console.log(md);
if (!process.env.BENCH_NO_WRITE) writeSection('core', md);
