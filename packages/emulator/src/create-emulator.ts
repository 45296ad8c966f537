/**
 * `createEmulator(config)`: a local CloudFront distribution over real HTTP.
 * @module
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestHandler, type RequestHandler } from './handle-request.js';
import type { EmulatorConfig } from './types.js';

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:49152` — sign URLs for this origin. */
  url: string;
  port: number;
  /** Stop accepting connections, end open ones, and resolve once the server is closed. */
  close(): Promise<void>;
}

/** What {@link createEmulator} returns. */
export interface Emulator {
  /** Listen on `port` (default 0: a free port) and `host` (default `127.0.0.1`, loopback only). */
  listen(port?: number, host?: string): Promise<RunningEmulator>;
  /** The Node request listener, to mount in a server of your own. */
  handler: RequestHandler;
}

/**
 * Create an emulated CloudFront distribution: ordered cache behaviors with trusted key groups or
 * public access, directory and HTTP origins, CloudFront-style 403 XML refusals, streamed bodies,
 * Range requests, and one log entry per request (never containing secrets). The configuration is
 * validated and the public keys are imported at once.
 *
 * @example
 * ```ts
 * import { createEmulator } from '@cfsign/emulator';
 *
 * const cdn = await createEmulator({
 *   behaviors: [{ pathPattern: '/private/*', trustedKeyGroups: [{ K2JCJMDEHXQW5F: publicKeyPem }], origin: 'bucket' }],
 *   defaultBehavior: { trustedKeyGroups: 'public', origin: 'bucket' },
 *   origins: { bucket: { type: 'directory', root: './bucket' } },
 *   logger: (entry) => console.log(JSON.stringify(entry)),
 * }).listen(8080);
 * const url = await signer.signUrl(`${cdn.url}/private/movie.mp4`, { expiresIn: 600 });
 * await fetch(url); // 200
 * await cdn.close();
 * ```
 */
export function createEmulator(config: EmulatorConfig): Emulator {
  const handler = createRequestHandler(config);
  return {
    handler,
    listen(port = 0, host = '127.0.0.1') {
      // CloudFront accepts up to 20,480 bytes of request line and headers.
      const server = createServer({ maxHeaderSize: 20_480 }, handler);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({
            url: `http://${hostPart}:${address.port}`,
            port: address.port,
            close: () =>
              new Promise<void>((done, fail) => {
                server.close((err) => (err ? fail(err) : done()));
                server.closeAllConnections();
              }),
          });
        });
      });
    },
  };
}
