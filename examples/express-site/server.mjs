// npm run demo: starts the site on its local CloudFront distribution and prints the URL to open.
import { startDemo } from './src/demo.mjs';

const demo = await startDemo({
  cdnPort: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
  log: (line) => console.log(`[cloudfront] ${line}`),
});
console.log(`
  cfsign demo is running.

  Open ${demo.url}            (the site, through the local CloudFront distribution)
  Origin ${demo.appUrl}       (the Express app: direct requests are refused, try it)

  Key pair id ${demo.keyPairId}; the dev key pair lives in examples/express-site/.keys/ (never committed).
  Explain a signed link: pnpm exec cfsign explain "<url>" --public-key file://examples/express-site/.keys/public_key.pem
  Ctrl-C to stop.
`);
const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
