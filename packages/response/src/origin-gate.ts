/**
 * The origin guard's options and decision, shared by every adapter (each answers the 403 its own way).
 * @module
 */
import { createOriginSecretCheck, type OriginSecretOptions } from '@cfsign/core';

/** Options of `originGuard(...)` in every adapter. */
export interface OriginGuardOptions extends OriginSecretOptions {
  /**
   * Remove the secret header from the request headers once it has been accepted, so request dumps
   * and loggers further down never see it. Default `true`.
   */
  stripHeader?: boolean;
  /**
   * Called for each refused request with a coarse reason, for your own logs. It never receives
   * the presented value. The client only ever sees a bare `403 Forbidden`.
   */
  onReject?: (info: { reason: 'missing' | 'mismatch'; method: string; path: string }) => void;
}

/** The request headers of a Node request (lower-case names), mutable so the secret can be stripped. */
export type MutableHeaders = Record<string, string | string[] | undefined>;

/** The refusal every adapter sends: a bare 403 that no cache keeps. */
export const FORBIDDEN = Object.freeze({
  status: 403,
  body: 'Forbidden',
  contentType: 'text/plain; charset=utf-8',
  cacheControl: 'no-store',
});

/**
 * Validates the options at once (an empty secret throws `CfsignError` `'ERR_INVALID_ORIGIN_SECRET'`)
 * and returns the gate: it resolves `true` for a request carrying an accepted secret (and strips
 * the header), else reports the refusal to `onReject` and resolves `false`.
 *
 * @example
 * ```ts
 * const gate = createOriginGate({ header: 'x-origin-secret', secrets: [process.env.ORIGIN_SECRET!] });
 * if (!(await gate(req.headers, { method: req.method, path: '/' }))) res.writeHead(403).end('Forbidden');
 * ```
 */
export function createOriginGate(
  options: OriginGuardOptions,
): (headers: MutableHeaders, request: { method: string; path: string }) => Promise<boolean> {
  const check = createOriginSecretCheck(options);
  const header = options.header.toLowerCase();
  const stripHeader = options.stripHeader ?? true;
  const onReject = options.onReject;
  return async (headers, request) => {
    if (await check(headers)) {
      if (stripHeader) delete headers[header];
      return true;
    }
    onReject?.({ reason: headers[header] === undefined ? 'missing' : 'mismatch', ...request });
    return false;
  };
}
