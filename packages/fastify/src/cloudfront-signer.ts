/**
 * `cloudfrontSigner`: the Fastify 4 and 5 plugin. Every HTML, CSS, HLS and DASH reply leaves with
 * its protected links signed, through the one response layer of `@cfsign/response`.
 * @module
 */
import {
  createSession,
  isJsonType,
  type PreparedOptions,
  prepareOptions,
  type SignerMiddlewareOptions,
  type SigningSession,
} from '@cfsign/response';
import { formatFor } from '@cfsign/rewriter';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyPlugin } from 'fastify-plugin';
import { guardRequest } from './request-guard.js';
import { signPayload } from './sign-payload.js';

declare module 'fastify' {
  interface FastifyReply {
    /** The signed form of `url` by the plugin's rules, or `url` when no rule covers it. */
    signUrl(url: string): Promise<string>;
    /** Same, synchronously; throws `ERR_SYNC_UNAVAILABLE` when the signer or rule needs an await. */
    signUrlSync(url: string): string;
    /** Set to `false` to send this reply unsigned (reason `'opted-out'`). */
    signedUrls: boolean;
  }
  interface FastifyContextConfig {
    /** `false`: the replies of this route are never rewritten (`{ config: { signedUrls: false } }`). */
    signedUrls?: boolean;
  }
}

/** Options of {@link cloudfrontSigner}; `authorize` receives Fastify's `request`. */
export type CloudfrontSignerOptions = SignerMiddlewareOptions<FastifyRequest>;

const kSession = Symbol('cfsign.session');
type WithSession = FastifyReply & { [kSession]: SigningSession | null };

function sessionOf(reply: FastifyReply, p: PreparedOptions): SigningSession {
  const r = reply as WithSession;
  if (r[kSession] !== null) return r[kSession];
  const request = reply.request;
  const host = request.headers.host ?? 'localhost';
  r[kSession] = createSession(p, {
    url: `${request.protocol}://${host}${request.url}`,
    clientIp: request.ip,
    req: request,
    method: request.method,
    path: request.url,
  });
  return r[kSession];
}

const optedOut = (reply: FastifyReply) =>
  reply.signedUrls === false ||
  (reply.request.routeOptions?.config as { signedUrls?: boolean } | undefined)?.signedUrls === false;

const plugin: FastifyPluginAsync<CloudfrontSignerOptions> = async (fastify, options) => {
  const p = prepareOptions(options);
  const signJson = p.signJson !== false;
  const skip = (request: FastifyRequest, reason: string) =>
    p.onSkip?.(reason as never, { method: request.method, url: request.url });
  fastify.decorateReply(kSession, null);
  fastify.decorateReply('signedUrls', true);
  fastify.decorateReply('signUrl', async function signUrl(this: FastifyReply, url: string) {
    return sessionOf(this, p).signUrl(url);
  });
  fastify.decorateReply('signUrlSync', function signUrlSync(this: FastifyReply, url: string) {
    return sessionOf(this, p).signUrlSync(url);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    guardRequest(
      request.raw.headers,
      request.url,
      reply as never,
      (type) => !optedOut(reply) && (formatFor(type).format !== null || (signJson && isJsonType(type))),
      request.routeOptions?.url,
    );
  });
  fastify.addHook('onSend', async (request, reply, payload) =>
    signPayload(payload, {
      method: request.method,
      reply,
      prepared: p,
      optedOut: optedOut(reply),
      session: () => sessionOf(reply, p),
      skip: (reason) => skip(request, reason),
    }),
  );
};

/**
 * Fastify plugin signing the protected links of every reply in the context it is registered in
 * (string, Buffer, Node stream, Web stream and Fetch `Response` payloads; JSON with `signJson`).
 * Decorates `reply.signUrl(url)` (and `signUrlSync`) for templates and APIs; `reply.signedUrls =
 * false`, or a route's `config: { signedUrls: false }`, opts out.
 *
 * @remarks
 * Wrapped in `fastify-plugin`: its `onSend` hook and decorators land in the context you register it
 * in, not in a new child. Register it at the root to sign the whole site, or inside a plugin to sign
 * only that plugin's routes; register it once per tree. `@fastify/compress` adds its `onSend` to
 * each route, after the hooks of the context, so the order of registration does not matter:
 * replies are signed first, then compressed. Works with `@fastify/static` (pages it serves are
 * answered whole, never 304 or 206).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import compress from '@fastify/compress';
 * import { createSigner } from '@cfsign/core';
 * import { cloudfrontSigner } from '@cfsign/fastify';
 *
 * const app = Fastify({ trustProxy: '127.0.0.1' });
 * await app.register(compress);
 * await app.register(cloudfrontSigner, {
 *   signer: createSigner({ keyPairId: 'K2JCJMDEHXQW5F', privateKey: process.env.CLOUDFRONT_KEY! }),
 *   rules: { cdn: 'https://cdn.example.com', origins: ['https://www.example.com'], rules: [{ match: '/private/**', expiresIn: '10m' }] },
 * });
 * app.get('/', (request, reply) => reply.type('text/html').send('<img src="/private/a.jpg">'));
 * ```
 */
export const cloudfrontSigner = fastifyPlugin(plugin, { fastify: '4.x || 5.x', name: '@cfsign/fastify' });
