#!/usr/bin/env node
// Regenerates the known-answer RSA vectors in this folder with the OpenSSL CLI only (no cfsign code):
//   node test/conformance/vectors/generate.mjs
// Policies are written out by hand from the templates of docs/signing.md (§5.1 canned, §5.2 custom, botocore order),
// each signature is `openssl dgst -<hash> -sign <key>` over the exact policy bytes, then CF-base64 (§3),
// and the URL is assembled per §6. The resources are the canonical forms of the inputs as given by
// docs/signing.md §4 (typed by hand, not computed by cfsign).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const keyRel = 'packages/core/test/fixtures/keys/rsa-pkcs8.pem';
const keyPath = fileURLToPath(new URL(`../../../${keyRel}`, import.meta.url));
const KEY_ID = 'KCONFORMANCE01';
const cf64 = (buf) => buf.toString('base64').replaceAll('+', '-').replaceAll('=', '_').replaceAll('/', '~');
const sign = (policy, hash) =>
  cf64(
    execFileSync('openssl', ['dgst', `-${hash.toLowerCase()}`, '-sign', keyPath], {
      input: Buffer.from(policy, 'utf8'),
    }),
  );
const source = (hash) =>
  `printf '%s' "$POLICY" | openssl dgst -${hash.toLowerCase()} -sign ${keyRel} | base64 -w0 | tr '+=/' '-_~'  (generate.mjs, OpenSSL ${execFileSync('openssl', ['version']).toString().trim().split(' ')[1]})`;

const canned = (r, e) =>
  `{"Statement":[{"Resource":"${r}","Condition":{"DateLessThan":{"AWS:EpochTime":${e}}}}]}`;
const custom = (r, e, ip, s) =>
  `{"Statement":[{"Resource":"${r}","Condition":{"DateLessThan":{"AWS:EpochTime":${e}}${ip ? `,"IpAddress":{"AWS:SourceIp":"${ip}"}` : ''}${s ? `,"DateGreaterThan":{"AWS:EpochTime":${s}}` : ''}}}]}`;

const E = 1893456000; // 2030-01-01T00:00:00Z
// [title, input url, canonical resource (docs/signing.md §4, by hand), fragment]
const cannedCases = [
  [
    'plain path',
    'https://d111111abcdef8.cloudfront.net/images/photo.jpg',
    'https://d111111abcdef8.cloudfront.net/images/photo.jpg',
    '',
  ],
  [
    'existing query string',
    'https://d111111abcdef8.cloudfront.net/images/photo.jpg?size=large',
    'https://d111111abcdef8.cloudfront.net/images/photo.jpg?size=large',
    '',
  ],
  [
    'docs/signing.md §4 row 1: case, port, dot segments, space, quote, fragment',
    "HTTPS://CDN.Example.com:443/a/./b/../Photo 1.jpg?x=it's#top",
    'https://cdn.example.com/a/Photo%201.jpg?x=it%27s',
    '#top',
  ],
  [
    'docs/signing.md §4 row 2: non-ASCII path and query',
    'https://cdn.example.com/café/文.png?q=é',
    'https://cdn.example.com/caf%C3%A9/%E6%96%87.png?q=%C3%A9',
    '',
  ],
  [
    'docs/signing.md §4 row 3: encoded dot segment',
    'https://cdn.example.com/%7Euser/%2e%2e/x',
    'https://cdn.example.com/x',
    '',
  ],
  [
    'docs/signing.md §4 row 4: IDN host',
    'https://bücher.example/x.jpg',
    'https://xn--bcher-kva.example/x.jpg',
    '',
  ],
  [
    'docs/signing.md §4 row 5: plus and lower-case escape kept',
    'https://cdn.example.com/p?a=b+c&d=%7e',
    'https://cdn.example.com/p?a=b+c&d=%7e',
    '',
  ],
  [
    'docs/signing.md §4 row 6: backslash in query',
    'https://cdn.example.com/p?x=a\\b',
    'https://cdn.example.com/p?x=a%5Cb',
    '',
  ],
  [
    'http scheme with explicit non-default port',
    'http://cdn.example.com:8080/v/seg-001.ts',
    'http://cdn.example.com:8080/v/seg-001.ts',
    '',
  ],
];
const vectors = { 'rsa-canned.json': [], 'rsa-custom.json': [] };
for (const hash of ['SHA1', 'SHA256']) {
  for (const [title, url, resource, fragment] of cannedCases) {
    const policy = canned(resource, E);
    const signature = sign(policy, hash);
    const tail = hash === 'SHA256' ? '&Hash-Algorithm=SHA256' : '';
    vectors['rsa-canned.json'].push({
      title: `canned ${hash}: ${title}`,
      source: source(hash),
      input: { key: 'rsa-pkcs8.pem', keyPairId: KEY_ID, url, dateLessThan: E, hashAlgorithm: hash },
      expected: {
        resource,
        policy,
        signature,
        url: `${resource}${resource.includes('?') ? '&' : '?'}Expires=${E}&Signature=${signature}&Key-Pair-Id=${KEY_ID}${tail}${fragment}`,
      },
    });
  }
}
// [title, url, resource (wildcards), ip, start]
const customCases = [
  [
    'wildcard + start + IP (docs/signing.md §13 C shape)',
    'https://d111111abcdef8.cloudfront.net/images/cat.png',
    'https://d111111abcdef8.cloudfront.net/images/*',
    '192.0.2.0/24',
    1893452400,
  ],
  [
    'IP only, bare address becomes /32',
    'https://cdn.example.com/docs/a.pdf',
    'https://cdn.example.com/docs/a.pdf',
    '203.0.113.7',
    undefined,
  ],
  [
    'start only',
    'https://cdn.example.com/live/m.m3u8?v=2',
    'https://cdn.example.com/live/m.m3u8?v=2',
    undefined,
    1893400000,
  ],
  [
    'wildcard only, ? single-char wildcard',
    'https://cdn.example.com/v/seg-7.ts',
    'https://cdn.example.com/v/seg-?.ts',
    undefined,
    undefined,
  ],
  [
    'wildcard in host and query',
    'https://a1.cdn.example.com/x/y.jpg?w=100',
    'https://*.cdn.example.com/x/*',
    '10.0.0.0/8',
    undefined,
  ],
];
for (const hash of ['SHA1', 'SHA256']) {
  for (const [title, url, resource, ip, start] of customCases) {
    const cidr = ip && !ip.includes('/') ? `${ip}/32` : ip;
    const policy = custom(resource, E, cidr, start);
    const signature = sign(policy, hash);
    const tail = hash === 'SHA256' ? '&Hash-Algorithm=SHA256' : '';
    const input = {
      key: 'rsa-pkcs8.pem',
      keyPairId: KEY_ID,
      url,
      resource,
      dateLessThan: E,
      hashAlgorithm: hash,
    };
    if (ip) input.ipAddress = ip;
    if (start) input.dateGreaterThan = start;
    vectors['rsa-custom.json'].push({
      title: `custom ${hash}: ${title}`,
      source: source(hash),
      input,
      expected: {
        policy,
        signature,
        url: `${url}${url.includes('?') ? '&' : '?'}Policy=${cf64(Buffer.from(policy))}&Signature=${signature}&Key-Pair-Id=${KEY_ID}${tail}`,
      },
    });
  }
}
for (const [file, list] of Object.entries(vectors))
  writeFileSync(new URL(file, import.meta.url), `${JSON.stringify(list, null, 2)}\n`);
console.log(
  Object.entries(vectors)
    .map(([f, l]) => `${f}: ${l.length}`)
    .join(', '),
);
