/**
 * The response layer on Web `Request`/`Response`: used by `@cfsign/next`, and by any adapter that
 * speaks the Fetch API.
 * @module
 */
import { createRewriteStream, type RewriteFormat, rewriteBytes } from '@cfsign/rewriter';
import { issueCookies } from './cookies.js';
import { decideRewrite } from './decide.js';
import { applyHeaderPolicy } from './header-policy.js';
import { keepLatestOutput } from './latest-output.js';
import type { PreparedOptions } from './options.js';
import { pageMemoFor } from './page-memo.js';
import { MAX_WHOLE_BODY, type ReadyBody, readyBody } from './ready-body.js';
import type { SigningSession } from './session.js';
import { signJsonText } from './sign-json.js';
import type { SkipReason } from './skip-reasons.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What {@link signWebResponse} needs besides the request and the response. */
export interface WebSigningContext {
  /** JSON bodies are signed too (the `signJson` option). */
  signJson: boolean;
  /** The options and the session of this request, asked for only when the response is rewritten. */
  begin(): WebSigning | Promise<WebSigning>;
  optedOut?: boolean;
  /** Called when the response passes through unchanged. */
  onSkip?: (reason: SkipReason) => void;
  /**
   * Largest body rewritten whole, in one pass, when it is complete at once (default 1 MiB); `0`
   * streams every body whose stream is read (a {@link WebSigningContext.knownBody} is in memory
   * already and is always rewritten whole).
   */
  wholeBodyBytes?: number;
  /**
   * Called with a response whose body streams through the rewriter, before it is returned (for
   * example to wait for its first rewritten bytes, so that an early signing failure rejects).
   * Never called for a body rewritten whole: its failures already reject.
   */
  prime?: (streamed: Response) => Response | Promise<Response>;
  /**
   * The whole body of `response` when the adapter can tell it without reading the stream (the
   * string or bytes the response was built from, `null` for none), else `undefined`. Such a body is
   * rewritten in one pass and its stream is never built: `@hono/node-server`'s lightweight
   * `Response` builds a real one, and a stream, as soon as `body` is read. The `statusText` of such
   * a response is not read either (those runtimes do not send it).
   */
  knownBody?: (response: Response) => string | Uint8Array | null | undefined;
}

/** The options and the session a rewritten Web response uses. */
export interface WebSigning {
  prepared: PreparedOptions;
  session: SigningSession;
}

/**
 * Returns the response with its protected links signed: HTML, CSS, HLS and DASH bodies streamed
 * through the rewriter, JSON bodies (with `signJson`) signed whole, headers set by the one header
 * policy (see `applyHeaderPolicy`), the cookies of cookie-mode rules added. `HEAD` gets the
 * headers GET would send and no body. Anything else is returned as it is.
 *
 * @example
 * ```ts
 * const prepared = prepareOptions({ rules, signer, signJson: true });
 * const out = await signWebResponse(request, await handler(request), {
 *   signJson: true,
 *   begin: () => ({ prepared, session: createSession(prepared, { url: request.url, clientIp: undefined, req: request }) }),
 * });
 * ```
 */
export async function signWebResponse(
  request: Request,
  response: Response,
  ctx: WebSigningContext,
): Promise<Response> {
  const known = ctx.knownBody?.(response);
  const d = decideRewrite({
    method: request.method,
    status: response.status,
    header: (n) => response.headers.get(n),
    optedOut: ctx.optedOut === true,
    signJson: ctx.signJson,
    hasBody: known !== undefined ? known !== null : response.body !== null,
  });
  if (!d.rewrite) {
    ctx.onSkip?.(d.reason);
    return response;
  }
  const { prepared: p, session } = await ctx.begin();
  const headers = new Headers(response.headers);
  const init: ResponseInit = { status: response.status, headers };
  if (known === undefined) init.statusText = response.statusText;
  await issueCookies(headers, session);
  if (d.headOnly || known === null || (known === undefined && response.body === null)) {
    if (known === undefined) await response.body?.cancel();
    applyHeaderPolicy(headers, p, {});
    return new Response(null, init);
  }
  if (d.format === 'json') {
    const keys = p.signJson === false ? null : p.signJson;
    const out = encoder.encode(
      await signJsonText(
        known === undefined
          ? await response.text()
          : typeof known === 'string'
            ? known
            : decoder.decode(known),
        session,
        keys,
        p.maxJsonBytes,
      ),
    );
    applyHeaderPolicy(headers, p, { length: out.length });
    return new Response(out, init);
  }
  // The same headers whether the body is rewritten whole or streamed (no Content-Length: the
  // runtime measures a whole body itself).
  applyHeaderPolicy(headers, p, {});
  const format: RewriteFormat = d.format;
  const options = session.streamOptions(d.charset);
  const max = ctx.wholeBodyBytes ?? MAX_WHOLE_BODY;
  // A known body is in memory already: rewritten whole, whatever its size (a string is handed to
  // the rewriter as it is, which encodes it into a reused buffer).
  const ready: ReadyBody | { whole: string; stream?: undefined } =
    known !== undefined && known !== null
      ? { whole: known }
      : max > 0
        ? await readyBody(response.body!, max)
        : { stream: response.body! };
  if (ready.whole !== undefined) {
    // Through the page memo of the options, as on Node: an unchanged page is rewritten once. A kept
    // output is only ever read: `new Response` copies it (Fetch) or writes it as it is
    // (`@hono/node-server`). The rewriter's output is its input or fresh bytes: never on a
    // SharedArrayBuffer.
    const body = ready.whole;
    const run = (kept: boolean) =>
      kept ? rewriteBytes(format, body, options) : keepLatestOutput(rewriteBytes(format, body, options));
    const memo = pageMemoFor(p);
    const out = (await (memo === null
      ? run(false)
      : memo.rewrite(session.url, format, d.charset, body, run))) as Uint8Array<ArrayBuffer>;
    return new Response(out, init);
  }
  const streamed = new Response(ready.stream.pipeThrough(createRewriteStream(format, options)), init);
  return ctx.prime === undefined ? streamed : ctx.prime(streamed);
}
