// The demo: an Express site behind a local CloudFront distribution (the cfsign emulator), which runs
// the real distribution config in distribution.json (aws cloudfront get-distribution-config output)
// with its key group (key-group.json); `cfsign check` verifies it against rules.json.
//   viewer -> emulator :8080 -> /private/*, /public/*  the bucket folder (private behind a trusted key group)
//                            -> /video/*               the app (trusted key group; playlists rewritten)
//                            -> everything else        the app, with the origin secret header
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSigner } from '@cfsign/core';
import { createEmulator, emulatorConfigFromDistribution, readDistributionFiles } from '@cfsign/emulator';
import { cloudfrontSigner, originGuard } from '@cfsign/express';
import express from 'express';
import { createCommentStore } from './comments.mjs';
import { ensureKeys } from './keys.mjs';
import { ensureBucket } from './media.mjs';
import { aboutPage, commentsPage, downloadsPage, galleryPage, videoPage } from './pages.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const rules = JSON.parse(readFileSync(here('../rules.json'), 'utf8'));

/**
 * Starts the site and its distribution. Returns their URLs and a close function.
 * @param {{ appPort?: number, cdnPort?: number, host?: string, log?: (line: string) => void }} [options]
 */
export async function startDemo({ appPort = 0, cdnPort = 0, host = '127.0.0.1', log = () => {} } = {}) {
  const keys = ensureKeys(here('../.keys'));
  const bucket = ensureBucket(here('../.bucket'));
  const originSecret = randomBytes(24).toString('base64url');
  const signer = createSigner({ keyPairId: keys.keyPairId, privateKey: keys.privateKey });

  const app = express();
  app.disable('x-powered-by');
  const appServer = app.listen(appPort, host);
  await once(appServer, 'listening');
  const appUrl = `http://${host}:${appServer.address().port}`;

  // Origins are mapped by their Id; the dev public key stands in for the key group's key.
  const distribution = readDistributionFiles([here('../distribution.json'), here('../key-group.json')]);
  const emulator = await createEmulator(
    emulatorConfigFromDistribution(distribution, {
      origins: {
        bucket,
        app: { type: 'http', url: appUrl, customHeaders: { 'x-origin-secret': originSecret } },
      },
      publicKeys: { [keys.keyPairId]: keys.publicKey },
      logger: (e) =>
        log(`${e.status} ${e.decision}${e.reason ? ` (${e.reason})` : ''} ${e.method} ${e.path}`),
    }),
  ).listen(cdnPort, host);
  const cdnUrl = emulator.url;

  app.use(originGuard({ header: 'x-origin-secret', secrets: [originSecret] }));
  app.use(
    cloudfrontSigner({
      signer,
      // rules.json names the production host; locally the links go to the emulator.
      rules: { ...rules, cdn: cdnUrl, origins: [cdnUrl, appUrl] },
      referrerPolicy: 'strict-origin-when-cross-origin',
    }),
  );
  app.get('/', (_req, res) => res.type('html').send(galleryPage()));
  app.get('/downloads', (_req, res) => res.type('html').send(downloadsPage()));
  app.get('/video', (_req, res) => res.type('html').send(videoPage()));
  app.get('/about', (_req, res) => res.type('html').send(aboutPage()));
  const comments = createCommentStore();
  app.get('/comments', (_req, res) => res.type('html').send(commentsPage(comments.html())));
  app.post('/comments', express.urlencoded({ extended: false, limit: '8kb' }), (req, res) => {
    comments.add(req.body?.comment);
    res.redirect(303, '/comments');
  });
  app.use('/assets', express.static(here('../assets')));
  app.use('/video', express.static(`${bucket}/video`));

  return {
    url: `${cdnUrl}/`,
    appUrl,
    cdnUrl,
    keyPairId: keys.keyPairId,
    publicKey: keys.publicKey,
    async close() {
      await emulator.close();
      appServer.closeAllConnections?.();
      await new Promise((resolve) => appServer.close(resolve));
    },
  };
}
