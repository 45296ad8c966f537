// The demo's development key pair: generated on first run into .keys/ (gitignored), never committed.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_KEY_PAIR_ID = 'KDEMO0EXAMPLE1';

export function ensureKeys(dir) {
  const privatePath = join(dir, 'private_key.pem');
  const publicPath = join(dir, 'public_key.pem');
  if (!existsSync(privatePath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return {
    keyPairId: DEMO_KEY_PAIR_ID,
    privateKey: readFileSync(privatePath, 'utf8'),
    publicKey: readFileSync(publicPath, 'utf8'),
  };
}
