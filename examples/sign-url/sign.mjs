// Signs a CloudFront URL with a throw-away key and checks it the way the edge would.
// Usage: node sign.mjs [url] [expiresIn]
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createSigner, verifySignedUrl } from '@cfsign/core';

const dir = new URL('./.keys/', import.meta.url);
const keyFile = new URL('dev-private.pem', dir);
const pubFile = new URL('dev-public.pem', dir);
if (!existsSync(keyFile)) {
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(pubFile, publicKey.export({ type: 'spki', format: 'pem' }));
  console.log('Generated a development key pair in examples/sign-url/.keys/ (never commit it).');
}

const url = process.argv[2] ?? 'https://d111111abcdef8.cloudfront.net/private/report.pdf';
const expiresIn = process.argv[3] ?? '10m';
const keyPairId = 'KDEVEXAMPLE1';
const signer = createSigner({ keyPairId, privateKey: readFileSync(keyFile, 'utf8') });
const signed = await signer.signUrl(url, { expiresIn });
const keys = { [keyPairId]: readFileSync(pubFile, 'utf8') };

console.log(
  `\nSigned URL (${signed.length} bytes, ${signer.keyType} ${signer.hashAlgorithm}, expires in ${expiresIn}):\n\n  ${signed}\n`,
);
const verdict = await verifySignedUrl(signed, { keys });
console.log(`Edge check:           ${verdict.ok ? '200 OK' : `403 ${verdict.error} (${verdict.reason})`}`);
const tampered = await verifySignedUrl(signed.replace('/private/', '/privatE/'), { keys });
console.log(`Edge check, tampered: 403 ${tampered.error} (${tampered.reason}: ${tampered.detail})`);
