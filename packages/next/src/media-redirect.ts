/**
 * `createMediaRedirect`: a `GET /media/[...path]` route handler answering 307 to a freshly signed URL.
 * @module
 */
import 'server-only';
import { isCfsignError } from '@cfsign/core';
import type { GetSigning } from './config.js';
import { ensureDynamic } from './dynamic.js';
import { type SignOptions, signWithoutDynamic } from './sign-url.js';

/** Options of {@link createMediaRedirect}. */
export interface MediaRedirectOptions {
  /** Entitlement check; `false` answers 403. Runs before anything is signed. */
  authorize?: (request: Request, path: string) => boolean | Promise<boolean>;
  /** Maps the request path (with query) to the CDN path, e.g. strip a `/go` prefix. Default: unchanged. */
  mapPath?: (pathWithQuery: string) => string;
  /** Lifetime and other signing options (default: the matching rule's). Keep it short: the link is fresh. */
  signing?: Omit<SignOptions, 'revalidate' | 'margin'>;
}

const NO_STORE = { 'cache-control': 'private, no-store', 'referrer-policy': 'no-referrer' };

/** The `mediaRedirect` of one configuration. */
export type MediaRedirect = (options?: MediaRedirectOptions) => (request: Request) => Promise<Response>;

/**
 * Creates `mediaRedirect(options?)`, which makes the `GET` handler of a stable media route: pages
 * (even static or ISR ones) link to `/media/cat.jpg` on the site; each request is checked by the
 * configuration's `authorize` (and the route's own, if given) and redirected (307) to a signed CDN
 * URL minted for it, with `Cache-Control: private, no-store`. Denied: 403. Unknown paths: 404.
 *
 * @example
 * ```ts
 * // app/media/[...path]/route.ts
 * import { mediaRedirect } from '@/lib/cfsign'; // from cfsign({ rules, authorize })
 * import { cookies } from 'next/headers';
 *
 * export const GET = mediaRedirect({ authorize: async () => (await cookies()).has('session') });
 * ```
 */
export function createMediaRedirect(get: GetSigning): MediaRedirect {
  return (options = {}) =>
    async (request) => {
      await ensureDynamic();
      const url = new URL(request.url);
      const path = url.pathname + url.search;
      if (options.authorize !== undefined && !(await options.authorize(request, path)))
        return new Response('Forbidden', { status: 403, headers: NO_STORE });
      const target = options.mapPath ? options.mapPath(path) : path;
      const { cdn, rules } = await get();
      const m = rules.match(target.startsWith('/') ? cdn + target : target);
      if (m === null || m.rule.mode === 'cookie')
        return new Response('Not Found', { status: 404, headers: NO_STORE });
      let location: string;
      try {
        location = await signWithoutDynamic(get, target, options.signing ?? {}, request);
      } catch (err) {
        // A rule covers the path, so a refusal here is the configuration's `authorize`.
        if (isCfsignError(err, 'ERR_NO_MATCHING_RULE'))
          return new Response('Forbidden', { status: 403, headers: NO_STORE });
        throw err;
      }
      return new Response(null, { status: 307, headers: { ...NO_STORE, location } });
    };
}
