/**
 * `beginRequest`: the per-request half of the Node bridge, shared by Express and Koa.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AnySkipReason,
  createSession,
  isJsonType,
  type PageMemo,
  type PreparedOptions,
  pageMemoFor,
  type RewriteDecision,
  type SigningSession,
} from '@cfsign/response';
import { formatFor } from '@cfsign/rewriter';
import { guardRequest } from './request-guard.js';
import { shouldRewrite } from './should-rewrite.js';

/** What the adapter tells {@link beginRequest} about the request. */
export interface NodeRequestInfo {
  /** Absolute URL of the page (called once, when a session is needed). */
  url(): string;
  /** Client address as the framework resolves it (`req.ip`, `ctx.ip`). */
  clientIp(): string | undefined;
  /** The framework's request (`req`, `ctx`), handed to `authorize`. */
  frameworkReq: unknown;
  /** Path and query as the app saw it, for `onSkip`. */
  path: string;
  /** True when the app opted this response out (`res.locals.signedUrls === false`, ...). */
  optedOut(): boolean;
}

/** One request's signing state on Node: its session, its decision, its skips. */
export interface NodeSigning {
  readonly prepared: PreparedOptions;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The page memo of these options, or `null`. */
  readonly memo: PageMemo | null;
  /** The session, created on first use. */
  session(): SigningSession;
  /** For templates and APIs: the signed form of `url`, or `url` when no rule covers it. */
  signUrl(url: string): Promise<string>;
  signUrlSync(url: string): string;
  optedOut(): boolean;
  /** The decision for the response as its headers are now. */
  decide(): RewriteDecision;
  /** Reports a skip to `onSkip`. */
  skip(reason: AnySkipReason): void;
}

/**
 * Starts signing one request: guards its conditional and range headers (see `guardRequest`) and
 * returns the state the response side (`interceptResponse`, `rewriteBody`) works from.
 *
 * @example
 * ```ts
 * const signing = beginRequest(prepared, req, res, {
 *   url: () => `${req.protocol}://${req.headers.host}${req.originalUrl}`,
 *   clientIp: () => req.ip, frameworkReq: req, path: req.originalUrl,
 *   optedOut: () => res.locals.signedUrls === false,
 * });
 * res.locals.signUrl = signing.signUrl;
 * ```
 */
export function beginRequest(
  prepared: PreparedOptions,
  req: IncomingMessage,
  res: ServerResponse,
  info: NodeRequestInfo,
): NodeSigning {
  const memo = pageMemoFor(prepared);
  let session: SigningSession | undefined;
  const method = req.method ?? 'GET';
  const signJson = prepared.signJson !== false;
  const getSession = () =>
    (session ??= createSession(prepared, {
      url: info.url(),
      clientIp: info.clientIp(),
      req: info.frameworkReq,
      method,
      path: info.path,
    }));
  guardRequest(
    req,
    res,
    (type) => !info.optedOut() && (formatFor(type).format !== null || (signJson && isJsonType(type))),
  );
  return {
    prepared,
    req,
    res,
    memo,
    session: getSession,
    signUrl: async (url) => getSession().signUrl(url),
    signUrlSync: (url) => getSession().signUrlSync(url),
    optedOut: info.optedOut,
    decide: () => shouldRewrite(req, res, { optedOut: info.optedOut(), signJson }),
    skip: (reason) => prepared.onSkip?.(reason, { method, url: info.path }),
  };
}
