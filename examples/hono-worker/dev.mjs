// npm run dev: the Worker on workerd (Miniflare) at 127.0.0.1:8787, with a throwaway key pair.
// In production, `wrangler secret put CLOUDFRONT_KEY` and set KEY_PAIR_ID and CDN as vars.
import { generateKeyPairSync } from 'node:crypto';
import { Miniflare } from 'miniflare';
import { bundleWorker } from './src/bundle.mjs';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const mf = new Miniflare({
  modules: [{ type: 'ESModule', path: 'worker.mjs', contents: await bundleWorker() }],
  compatibilityDate: '2025-01-01',
  host: '127.0.0.1',
  port: Number(process.env.PORT ?? 8787),
  bindings: {
    CLOUDFRONT_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    KEY_PAIR_ID: 'KHONOEXAMPLE1',
    CDN: process.env.CDN ?? 'https://d111111abcdef8.cloudfront.net',
  },
});
console.log(`Open ${await mf.ready}`);
const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
