// npm run demo: starts the site on its local CloudFront distribution and prints the URL to open.
// PORT (default 8080) is the port of the distribution, the URL to open; HOST (default 127.0.0.1).
import { startDemo } from './src/demo.mjs';

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`cfsign demo: PORT must be a port number (0-65535), not "${process.env.PORT}".`);
  process.exit(2);
}

let demo;
try {
  demo = await startDemo({
    cdnPort: port,
    host: process.env.HOST ?? '127.0.0.1',
    log: (line) => console.log(`[cloudfront] ${line}`),
  });
} catch (err) {
  if (err?.code === 'EADDRINUSE')
    console.error(`cfsign demo: port ${port} is in use; set PORT to a free one, e.g. PORT=8081 npm run demo`);
  else if (err?.code === 'EADDRNOTAVAIL' || err?.code === 'ENOTFOUND')
    console.error(`cfsign demo: cannot listen on HOST=${process.env.HOST}; unset HOST to use 127.0.0.1`);
  else console.error(`cfsign demo: could not start: ${err?.message ?? err}`);
  process.exit(1);
}
console.log(`
  cfsign demo is running.

  Open ${demo.url}            (the site, through the local CloudFront distribution)
  Origin ${demo.appUrl}       (the Express app: direct requests are refused, try it)

  Key pair id ${demo.keyPairId}; the dev key pair lives in examples/express-site/.keys/ (never committed).
  Explain a signed link: pnpm exec cfsign explain "<url>" --public-key file://examples/express-site/.keys/public_key.pem
  Ctrl-C to stop (PORT=8081 npm run demo to use another port).
`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 3000).unref();
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
