/**
 * `cfsign serve`: the local CloudFront emulator in front of a directory or an origin.
 * @module
 */

import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createEmulator, type OriginConfig } from '@cfsign/emulator';
import { pathOf, readFlagFile } from '../files.js';
import { type CliIo, EXIT, InputError, UsageError } from '../io.js';

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

export const serveHelp = `cfsign serve (--dir DIR | --origin URL) --public-key file://PUB --key-pair-id ID [options]

Runs a local CloudFront distribution: requests under --path-pattern must carry a valid signed URL
or signed cookies for the trusted key; everything else is public. Refusals are CloudFront's 403 XML.
One log line per request with the decision and its reason (never signatures or keys).

  --dir            folder to serve (stands in for the private S3 bucket)
  --origin         HTTP origin to proxy to instead (your app), e.g. http://127.0.0.1:3000
  --origin-header  name=value added to origin requests (the origin guard secret); repeatable
  --public-key     file://path of the public key in the trusted key group
  --key-pair-id    its ID
  --path-pattern   protected path pattern (default /*, everything)
  --port           default 8080; --host default 127.0.0.1

Examples:
  cfsign serve --dir ./bucket --public-key file://keys/public_key.pem --key-pair-id K2JCJMDEHXQW5F
  cfsign serve --origin http://127.0.0.1:3000 --origin-header x-origin-secret=$SECRET \\
    --path-pattern '/private/*' --public-key file://keys/public_key.pem --key-pair-id K2JCJMDEHXQW5F`;

export async function serve(argv: string[], io: CliIo): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      origin: { type: 'string' },
      'origin-header': { type: 'string', multiple: true },
      'public-key': { type: 'string' },
      'key-pair-id': { type: 'string' },
      'path-pattern': { type: 'string', default: '/*' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  if (!v.dir === !v.origin) throw new UsageError('Pass exactly one of --dir or --origin.');
  if (!v['key-pair-id']) throw new UsageError('--key-pair-id is required.');
  const publicKey = readFlagFile('public-key', v['public-key'], io.cwd);
  const headers: Record<string, string> = {};
  for (const h of v['origin-header'] ?? []) {
    const eq = h.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`--origin-header ${JSON.stringify(h.split('=')[0])} must be name=value.`);
    headers[h.slice(0, eq)] = h.slice(eq + 1);
  }
  const root = v.dir === undefined ? undefined : pathOf(v.dir, io.cwd);
  if (root !== undefined && !isDirectory(root))
    throw new InputError(`--dir ${JSON.stringify(v.dir)} is not a directory; pass the folder to serve.`);
  const origin: OriginConfig =
    root !== undefined
      ? { type: 'directory', root }
      : { type: 'http', url: v.origin!, customHeaders: headers };
  const port = Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a port number.');
  const running = await createEmulator({
    behaviors: [
      {
        pathPattern: v['path-pattern']!,
        trustedKeyGroups: [{ [v['key-pair-id']]: publicKey }],
        origin: 'main',
      },
    ],
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'main' },
    origins: { main: origin },
    logger: (e) =>
      io.out(`${e.status} ${e.decision}${e.reason ? ` (${e.reason})` : ''} ${e.method} ${e.path}`),
  }).listen(port, v.host);
  io.out(
    `cfsign emulator on ${running.url} — ${v['path-pattern']} needs a signature from ${v['key-pair-id']}. Ctrl-C to stop.`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      void running.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}
