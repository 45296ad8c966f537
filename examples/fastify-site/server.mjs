// npm start: the site on 127.0.0.1:3000, its private files behind a local CloudFront emulator.
// An ephemeral key pair is made at start: nothing to configure, nothing secret on disk.
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createSigner } from '@cfsign/core';
import { createEmulator } from '@cfsign/emulator';
import { buildSite } from './src/site.mjs';

const keyPairId = 'KFASTIFYEXAMPLE';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const cdn = await createEmulator({
  behaviors: [
    {
      pathPattern: '/private/*',
      trustedKeyGroups: [{ [keyPairId]: publicKey.export({ type: 'spki', format: 'pem' }) }],
      origin: 'media',
    },
  ],
  defaultBehavior: { trustedKeyGroups: 'public', origin: 'media' },
  origins: { media: { type: 'directory', root: fileURLToPath(new URL('./media', import.meta.url)) } },
}).listen(Number(process.env.CDN_PORT ?? 0));
const port = Number(process.env.PORT ?? 3000);
const app = await buildSite({
  signer: createSigner({ keyPairId, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) }),
  cdn: cdn.url,
  origin: `http://127.0.0.1:${port}`,
});
const address = await app.listen({ port, host: '127.0.0.1' });
console.log(`Open ${address}/ (private files from the emulator at ${cdn.url})`);
const stop = async () => {
  await app.close();
  await cdn.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
