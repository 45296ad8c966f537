/**
 * A plain `node:http` server (no framework) with the bridge in front of a handler, and a client.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from '@cfsign/core';
import {
  beginRequest,
  interceptResponse,
  prepareOptions,
  type SignerMiddlewareOptions,
} from '../src/index.js';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const KEY_ID = 'K2BRIDGETEST1';
export const PUBLIC_PEM = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
export const signer = createSigner({
  keyPairId: KEY_ID,
  privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
export const CDN = 'https://d111111abcdef8.cloudfront.net';
export const RULES = {
  cdn: CDN,
  origins: ['http://www.example.com'],
  rules: [{ match: '/private/**', expiresIn: '10m' }],
};

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Served {
  base: string;
  errors: unknown[];
  close(): Promise<void>;
}

/** Serves `handler` behind `beginRequest` + `interceptResponse` (or plain, with `signed: false`). */
export async function serve(
  handler: Handler,
  o: { signed?: boolean; options?: Partial<SignerMiddlewareOptions<IncomingMessage>> } = {},
): Promise<Served> {
  const prepared = prepareOptions({ rules: RULES, signer, ...o.options });
  const errors: unknown[] = [];
  const server = createServer((req, res) => {
    if (o.signed !== false) {
      const signing = beginRequest(prepared, req, res, {
        url: () => `http://www.example.com${req.url}`,
        clientIp: () => req.socket.remoteAddress,
        frameworkReq: req,
        path: req.url ?? '/',
        optedOut: () => false,
      });
      interceptResponse(signing, (err) => {
        errors.push(err);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end('error');
        }
      });
    }
    void handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with an optional slow reader (pauses `ms` after each chunk). */
export function fetchText(
  base: string,
  path: string,
  o: { method?: string; headers?: Record<string, string>; slowMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: o.method ?? 'GET', headers: { host: 'www.example.com', ...o.headers }, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          parts.push(c);
          if (o.slowMs !== undefined) {
            res.pause();
            setTimeout(() => res.resume(), o.slowMs);
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Signed CDN links in a body. */
export const signedLinks = (text: string) =>
  [...text.matchAll(/https:\/\/d111111abcdef8\.cloudfront\.net\/private\/[^"'\s<>]+/g)].map((m) => m[0]);
