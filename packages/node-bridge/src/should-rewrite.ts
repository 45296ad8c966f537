/**
 * `shouldRewrite`: the response layer's decision read from a Node request and response.
 * Exported from `'@cfsign/node-bridge'` (and re-exported by `@cfsign/express` and `@cfsign/koa`).
 * @module
 */
import { decideRewrite, type RewriteDecision } from '@cfsign/response';

/** The bits of a Node request `shouldRewrite` reads. */
export interface RequestLike {
  method?: string | undefined;
}

/** The bits of a Node response `shouldRewrite` reads (a `ServerResponse` fits). */
export interface ResponseLike {
  statusCode: number;
  getHeader(name: string): number | string | string[] | undefined;
}

/**
 * Decides whether a response is rewritten, from its request method, status and headers (see
 * `decideRewrite` of `@cfsign/response` for the reasons). Call it once the headers are final.
 *
 * @example
 * ```ts
 * const d = shouldRewrite(req, res, { optedOut: res.locals.signedUrls === false });
 * if (!d.rewrite) console.debug('cfsign skipped', d.reason); // e.g. 'not-rewritable-type'
 * ```
 */
export function shouldRewrite(
  req: RequestLike,
  res: ResponseLike,
  flags: { optedOut?: boolean; signJson?: boolean } = {},
): RewriteDecision {
  return decideRewrite({
    method: req.method ?? 'GET',
    status: res.statusCode,
    header: (name) => {
      const v = res.getHeader(name);
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v);
    },
    optedOut: flags.optedOut === true,
    signJson: flags.signJson === true,
  });
}
