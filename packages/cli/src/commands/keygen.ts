/**
 * `cfsign keygen`: a key pair for a CloudFront key group.
 * @module
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathOf } from '../files.js';
import { type CliIo, EXIT, UsageError } from '../io.js';

export const keygenHelp = `cfsign keygen [--type rsa|ecdsa] [--out DIR] [--force] [--json]

Writes a private key (mode 0600) and its public key, and prints the public key PEM to upload
to a CloudFront key group.

  --type    rsa (RSA-2048, works everywhere) or ecdsa (P-256: 4x shorter signatures). Default: ecdsa
  --out     directory for private_key.pem and public_key.pem. Default: current directory
  --force   overwrite existing files

Examples:
  cfsign keygen --type ecdsa --out ./keys
  cfsign keygen --type rsa --json`;

export function keygen(argv: string[], io: CliIo): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      type: { type: 'string', default: 'ecdsa' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (values.type !== 'rsa' && values.type !== 'ecdsa') throw new UsageError('--type must be rsa or ecdsa.');
  const dir = pathOf(values.out ?? '.', io.cwd);
  const privatePath = join(dir, 'private_key.pem');
  const publicPath = join(dir, 'public_key.pem');
  if (!values.force && (existsSync(privatePath) || existsSync(publicPath)))
    throw new UsageError(
      `${privatePath} or public_key.pem already exists; pass --force to overwrite or --out to choose another directory.`,
    );
  const pair =
    values.type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  mkdirSync(dir, { recursive: true });
  // A file's mode is set only when it is created: an old key file (maybe 0644) is removed first, so
  // the new private key is never readable by others, not even for a moment.
  rmSync(privatePath, { force: true });
  writeFileSync(privatePath, privatePem, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicPath, publicPem, { mode: 0o644 });
  if (values.json) {
    io.out(
      JSON.stringify({
        type: values.type,
        privateKeyPath: privatePath,
        publicKeyPath: publicPath,
        publicKey: publicPem,
      }),
    );
    return EXIT.ok;
  }
  io.out(`Wrote ${privatePath} (mode 0600; keep it secret, never commit it) and ${publicPath}.

Public key to upload (${values.type === 'rsa' ? 'RSA-2048' : 'ECDSA P-256'}):

${publicPem}
Next steps:
  1. CloudFront console > Key management > Public keys > Create, paste the key above
     (or: aws cloudfront create-public-key ...). Note its ID (K...): that is your key pair id.
  2. Key groups > Create, add the public key; attach the key group to the cache behaviors to protect.
  3. Sign: cfsign sign url --url https://dxxx.cloudfront.net/private/a.jpg --key-pair-id K... \\
       --private-key file://${privatePath} --expires-in 1h`);
  return EXIT.ok;
}
