/**
 * `decideRewrite`: the one named predicate deciding whether a response body is rewritten, with a
 * reason for every skip. Exported from `'@cfsign/response'`.
 * @module
 */
import { formatFor } from '@cfsign/rewriter';
import type { RewriteDecision, SkipReason } from './skip-reasons.js';

/** What {@link decideRewrite} reads of a request and its response. */
export interface ResponseFacts {
  /** Request method (`HEAD` gets GET's headers and no body). */
  method: string;
  status: number;
  /** A response header (values joined with `, `), or `null`/`undefined` when absent. */
  header(name: string): string | null | undefined;
  /** The app opted this response out (`res.locals.signedUrls = false`, `ctx.state.signedUrls = false`). */
  optedOut?: boolean;
  /** `signJson` is on: JSON bodies are signed too. */
  signJson?: boolean;
  /** `false` when the response is known to have no body (a Web `Response` with `body === null`). */
  hasBody?: boolean;
}

const JSON_TYPE = /^application\/(?:[a-z0-9.!#$&^_+-]+\+)?json$/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/**
 * True for a JSON media type (`application/json`, `application/ld+json`, ...).
 *
 * @example
 * ```ts
 * isJsonType('application/json; charset=utf-8'); // true
 * ```
 */
export function isJsonType(contentType: string | null | undefined): boolean {
  return typeof contentType === 'string' && JSON_TYPE.test(contentType.split(';', 1)[0]!.trim());
}

/**
 * Decides whether a response is rewritten, from its request method, status and headers. Call it
 * once the headers are final. Each skip carries a reason your `onSkip` hook can log.
 *
 * @remarks
 * `HEAD` is not a skip: it gets `headOnly: true`, so that the adapter applies the same header
 * policy as for GET (RFC 9110 §9.3.2). Range requests are not decided here: adapters remove the
 * `Range` request header as soon as a rewritable type is set, so that the app answers a full 200
 * that is then rewritten; a 206 that still comes through passes as `'partial-content'`.
 *
 * @example
 * ```ts
 * const d = decideRewrite({ method: 'GET', status: 200, header: (n) => res.headers.get(n) });
 * if (!d.rewrite) console.debug('cfsign skipped', d.reason); // e.g. 'not-rewritable-type'
 * ```
 */
export function decideRewrite(f: ResponseFacts): RewriteDecision {
  const skip = (reason: SkipReason): RewriteDecision => ({ rewrite: false, reason });
  // The app said no for this request.
  if (f.optedOut === true) return skip('opted-out');
  // 204 and 304 never carry a body.
  if (f.status === 204 || f.status === 304) return skip('no-body-status');
  // A byte range of the page: rewriting would change the offsets the client asked for.
  if (f.status === 206) return skip('partial-content');
  // 1xx: no page (error pages are still rewritten).
  if (f.status < 200) return skip('not-ok-status');
  const headOnly = f.method.toUpperCase() === 'HEAD';
  // A Web response without a body (and not HEAD, whose body is never there).
  if (f.hasBody === false && !headOnly) return skip('no-body');
  const type = f.header('content-type');
  // JSON: its URL-valued strings, when signJson is on.
  const json = f.signJson === true && isJsonType(type);
  // Only HTML, CSS, HLS and DASH carry links the rewriter understands.
  const choice = json ? null : formatFor(type);
  if (choice !== null && choice.format === null) return skip(choice.reason);
  // Bytes already compressed (or otherwise encoded) by something else: we cannot see the links.
  const encoding = (f.header('content-encoding') ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') return skip('already-encoded');
  // The origin forbids intermediaries from changing the body (RFC 9111 §5.2.2.6).
  if (NO_TRANSFORM.test(f.header('cache-control') ?? '')) return skip('no-transform');
  if (choice === null) return { rewrite: true, format: 'json', charset: undefined, headOnly };
  return { rewrite: true, format: choice.format, charset: choice.charset, headOnly };
}
