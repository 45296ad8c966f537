// A small Koa site: one page of private images (signed URLs) and a members area (signed cookies),
// behind the cfsign emulator standing in for CloudFront.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner } from '@cfsign/core';
import { createEmulator } from '@cfsign/emulator';
import { cloudfrontSigner, originGuard } from '@cfsign/koa';
import Koa from 'koa';

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'); // 1x1 GIF

/** Starts the Koa app and its distribution; a fresh key pair and bucket per run. */
export async function startKoaSite({ host = '127.0.0.1', cdnPort = 0 } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPairId = 'KKOAEXAMPLE1';
  const bucket = join(tmpdir(), `cfsign-koa-${randomBytes(4).toString('hex')}`);
  mkdirSync(join(bucket, 'private'), { recursive: true });
  for (const name of ['one', 'two', 'three']) writeFileSync(join(bucket, 'private', `${name}.gif`), PIXEL);
  const secret = randomBytes(24).toString('base64url');

  const app = new Koa();
  app.proxy = true; // the emulator adds X-Forwarded-For, as CloudFront does
  // Koa composes its middleware when the handler is created: create it once everything is mounted.
  let handler = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res)).listen(0, host);
  await once(server, 'listening');
  const appUrl = `http://${host}:${server.address().port}`;
  const emulator = await createEmulator({
    behaviors: [
      {
        pathPattern: '/private/*',
        trustedKeyGroups: [{ [keyPairId]: publicKey.export({ type: 'spki', format: 'pem' }) }],
        origin: 'bucket',
      },
    ],
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'app' },
    origins: {
      bucket: { type: 'directory', root: bucket },
      app: { type: 'http', url: appUrl, customHeaders: { 'x-origin-secret': secret } },
    },
  }).listen(cdnPort, host);

  const signer = createSigner({ keyPairId, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) });
  app.use(originGuard({ header: 'x-origin-secret', secrets: [secret] }));
  app.use(
    cloudfrontSigner({
      signer,
      rules: { cdn: emulator.url, rules: [{ match: '/private/**', expiresIn: '5m' }] },
    }),
  );
  app.use(async (ctx) => {
    if (ctx.path !== '/') return;
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Koa + cfsign</title><h1>Private pictures</h1>
${['one', 'two', 'three'].map((n) => `<img src="/private/${n}.gif" alt="${n}" width="40" height="40">`).join('\n')}
<p>Signed by <code>cloudfrontSigner</code> for Koa.</p>`;
  });
  handler = app.callback();
  return {
    url: `${emulator.url}/`,
    appUrl,
    keyPairId,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }),
    async close() {
      await emulator.close();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}
