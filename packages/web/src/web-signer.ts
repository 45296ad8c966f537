/**
 * `createWebSigner`: the options validated once, then one lazy signing state per request.
 * @module
 */
import {
  createSession,
  type PreparedOptions,
  prepareOptions,
  type SignerMiddlewareOptions,
  type SigningSession,
  signWebResponse,
} from '@cfsign/response';
import { primeBody } from './prime-body.js';
import { guardRequest } from './request-guard.js';

/** Options of the Web adapter; `Req` is what `authorize` receives (default: the `Request`). */
export type WebSignerOptions<Req = Request> = SignerMiddlewareOptions<Req>;

/** What the adapter knows about a request besides the `Request` itself. */
export interface WebRequestInfo {
  /** The viewer's address (IP rules); for example `cf-connecting-ip` on Workers, the socket's on Node. */
  clientIp?: string | undefined;
  /** Handed to `authorize` (a framework's context); default the `Request`. */
  req?: unknown;
  /** True when this response must pass unsigned (reason `'opted-out'`), asked once the response is there. */
  optedOut?: () => boolean;
  /**
   * The whole body of a response when the runtime can tell it without a stream (see
   * `WebSigningContext.knownBody`); for example the string a lightweight `Response` was built from.
   */
  knownBody?: (response: Response) => string | Uint8Array | null | undefined;
}

/** One request's signing state. */
export interface WebRequestSigning {
  /** The signed form of `url` by the rules, or `url` when no rule covers it. */
  signUrl(url: string): Promise<string>;
  /** Same, synchronously; throws `ERR_SYNC_UNAVAILABLE` when the signer or the rule needs an await. */
  signUrlSync(url: string): string;
  /** The response with its protected links signed (see `signResponse`); rejects when signing fails in a body rewritten whole, or before the first byte of a streamed one. */
  sign(response: Response): Promise<Response>;
}

/** A Web signer: validated options, per-request states. */
export interface WebSigner {
  readonly prepared: PreparedOptions;
  /** The request without validators or ranges when it names a page that will be rewritten (see `guardRequest`). */
  guard(request: Request): Request;
  /** Starts signing one request (nothing is computed until a URL or a response needs it). */
  begin(request: Request, info?: WebRequestInfo): WebRequestSigning;
}

/**
 * A HEAD answer whose body is still there (Hono and others run the GET handler for HEAD): the GET
 * answer is built and measured, so HEAD carries GET's headers with its exact `Content-Length`
 * (runtimes such as Bun and Deno would otherwise claim `Content-Length: 0` for a bodiless answer).
 */
async function exactHead(
  request: Request,
  response: Response,
  ctx: Parameters<typeof signWebResponse>[2],
): Promise<Response> {
  const get = new Request(request.url, { method: 'GET', headers: request.headers });
  const full = await signWebResponse(get, response, ctx);
  if (full === response) return response;
  const length = (await full.arrayBuffer()).byteLength;
  const headers = new Headers(full.headers);
  headers.set('content-length', String(length));
  return new Response(null, { status: full.status, statusText: full.statusText, headers });
}

/**
 * Validates the options once and returns the signer that every request uses. Bad options throw
 * at once, at start-up (`CfsignError` `ERR_INVALID_OPTIONS`, `ERR_INVALID_RULE` for bad rules);
 * the per-request `signUrl` and `sign` report every failure by rejection.
 *
 * @example
 * ```ts
 * const web = createWebSigner({ signer, rules: { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] } });
 * export default {
 *   async fetch(request: Request) {
 *     const signing = web.begin(request, { clientIp: request.headers.get('cf-connecting-ip') ?? undefined });
 *     return signing.sign(await render(request));
 *   },
 * };
 * ```
 */
export function createWebSigner<Req = Request>(options: WebSignerOptions<Req>): WebSigner {
  const prepared = prepareOptions(options);
  const signJson = prepared.signJson !== false;
  return {
    prepared,
    guard: (request) => guardRequest(request, signJson),
    begin(request, info = {}) {
      let session: SigningSession | undefined;
      const url = new URL(request.url);
      const path = url.pathname + url.search;
      const getSession = () =>
        (session ??= createSession(prepared, {
          url: request.url,
          clientIp: info.clientIp,
          req: info.req ?? request,
          method: request.method,
          path,
        }));
      return {
        signUrl: async (u) => getSession().signUrl(u),
        signUrlSync: (u) => getSession().signUrlSync(u),
        async sign(response) {
          const ctx = {
            signJson,
            optedOut: info.optedOut?.() === true,
            begin: () => ({ prepared, session: getSession() }),
            onSkip: (reason: string) =>
              prepared.onSkip?.(reason as never, { method: request.method, url: path }),
            prime: primeBody,
            knownBody: info.knownBody,
          };
          if (request.method === 'HEAD' && response.body !== null) return exactHead(request, response, ctx);
          return signWebResponse(request, response, ctx);
        },
      };
    },
  };
}
