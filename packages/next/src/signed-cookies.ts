/**
 * Signed cookies from a route handler or a server action, with the attributes of the cookie-mode
 * rule that covers them.
 * @module
 */
import 'server-only';
import { CfsignError, type Cookie, type Duration, serializeCookie } from '@cfsign/core';
import { type CompiledRule, checkPageReach } from '@cfsign/rewriter';
import { cookies, headers } from 'next/headers';
import type { GetSigning } from './config.js';
import { toCdnUrl } from './sign-url.js';

/** Options of `setSignedCookies` and `signedCookieHeaders`. */
export interface SignedCookieOptions {
  /** Lifetime of the grant (default: the rule's `expiresIn`). The cookies live exactly as long. */
  expiresIn?: Duration;
  /** IPv4 address or CIDR the grant is bound to (default: the rule's, unless it is `'client'`). */
  ipAddress?: string;
  /** The route handler's `Request`, handed to `authorize` as `request.req`. */
  request?: Request;
}

/** The cookie helpers of one configuration. */
export interface SignedCookieHelpers {
  /**
   * Sets the cookies through `next/headers` `cookies()`. Without `resource`: the grants of every
   * cookie-mode rule; with it (a path pattern such as `/courses/42/*`): that grant, which a
   * cookie-mode rule must cover.
   */
  setSignedCookies(resource?: string, options?: SignedCookieOptions): Promise<void>;
  /** The same grants as `Set-Cookie` header values, for a `Response` you build yourself. */
  signedCookieHeaders(resource?: string, options?: SignedCookieOptions): Promise<string[]>;
}

/** The path a resource pattern starts with, up to its first wildcard, as rules match it. */
function prefixPath(resource: string, cdn: string): string {
  // The policy holds the resource as written: no dot segments that the rule check would normalize away.
  if (/(^|\/)\.\.?(\/|$)|\\|%2e|%2f/i.test(resource))
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `The cookie resource ${JSON.stringify(resource)} has dot segments, backslashes or encoded dots/slashes; write the path as the CDN serves it, such as "/courses/42/*".`,
    );
  const text = toCdnUrl(resource.replace(/[*?].*$/s, ''), cdn);
  if (!URL.canParse(text))
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `The cookie resource ${JSON.stringify(resource.slice(0, 200))} is neither a path pattern nor a CDN URL; pass one such as "/courses/42/*".`,
    );
  const url = new URL(text);
  if (url.origin !== cdn)
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `Signed cookies are for the CDN (${cdn}), not ${url.origin}; pass a path pattern such as "/courses/42/*".`,
    );
  return url.pathname;
}

/**
 * Creates `setSignedCookies` and `signedCookieHeaders` for a configuration. The grant (policy
 * resource, lifetime, IP) and the cookie attributes (`domain`, `path`, `sameSite`, `secure`,
 * `httpOnly`) come from the cookie-mode rule; `authorize` is asked first; `Max-Age` ends with the
 * policy. The CDN must be on an alternate domain name under the site's domain (cookies for
 * `*.cloudfront.net` cannot be set by your site): the rule's `cookie.domain` is checked at start-up.
 *
 * @example
 * ```ts
 * // lib/cfsign.ts: rules: [{ match: '/courses/**', mode: 'cookie', expiresIn: '12h', cookie: { domain: 'example.com' } }]
 * 'use server';
 * import { setSignedCookies } from '@/lib/cfsign';
 *
 * export async function unlockCourse() {
 *   await setSignedCookies('/courses/42/*');
 * }
 * ```
 */
export function createSignedCookies(get: GetSigning): SignedCookieHelpers {
  async function signed(resource: string | undefined, o: SignedCookieOptions): Promise<Cookie[]> {
    const { signer, cdn, rules } = await get();
    const cookieRules = rules.list.filter((r) => r.mode === 'cookie');
    let grants: { rule: CompiledRule; resource: string }[];
    if (resource === undefined) {
      if (cookieRules.length === 0)
        throw new CfsignError(
          'ERR_NO_MATCHING_RULE',
          'No cookie-mode rule: add one such as { match: "/members/**", mode: "cookie", cookie: { domain: "example.com" } }.',
        );
      grants = cookieRules.map((rule) => ({ rule, resource: cdn + rule.resource! }));
    } else {
      if (typeof resource !== 'string' || resource === '')
        throw new CfsignError(
          'ERR_INVALID_RESOURCE',
          'setSignedCookies(resource) takes a path pattern such as "/courses/42/*", or nothing for every cookie-mode rule.',
        );
      const m = rules.matchPath(prefixPath(resource, cdn));
      if (m === null || m.rule.mode !== 'cookie')
        throw new CfsignError(
          'ERR_NO_MATCHING_RULE',
          `No cookie-mode rule covers ${JSON.stringify(resource)}; add one such as { match: "${prefixPath(resource, cdn)}**", mode: "cookie" }.`,
        );
      grants = [{ rule: m.rule, resource: toCdnUrl(resource, cdn) }];
    }
    // A host-only cookie rule without listed origins: the cookies reach the CDN only from its own host.
    if (grants.some((g) => g.rule.checkPageHost)) {
      const page = await pageUrlOf(o);
      if (page !== undefined) for (const g of grants) checkPageReach(g.rule, page, cdn);
    }
    const out: Cookie[] = [];
    for (const { rule, resource: r } of grants) {
      const match = { rule, glob: rule.globs[0]!, params: {}, path: rule.resource! };
      if (
        rules.authorize !== undefined &&
        !rule.anyViewer &&
        !(await rules.authorize({ url: `${cdn}/`, req: o.request }, r, match))
      )
        throw new CfsignError('ERR_NO_MATCHING_RULE', `"authorize" refused the cookies for ${r}.`);
      const ip = o.ipAddress ?? (rule.ipAddress === 'client' ? undefined : rule.ipAddress);
      if (rule.ipAddress === 'client' && o.ipAddress === undefined)
        throw new CfsignError(
          'ERR_INVALID_IP_RANGE',
          `The rule for ${r} binds cookies to the client IP: pass { ipAddress } (from your proxy's header).`,
        );
      const now = Date.now();
      const s = await signer.signCookies(r, {
        expiresIn: o.expiresIn ?? rule.expiresIn,
        ...(ip !== undefined && { ipAddress: ip }),
        ...(rule.hashAlgorithm !== undefined && { hashAlgorithm: rule.hashAlgorithm }),
        ...rule.cookie,
        now,
      });
      const maxAge = Math.max(0, s.expires - Math.floor(now / 1000));
      out.push(...s.cookies.map((c) => ({ ...c, maxAge })));
    }
    return out;
  }
  return {
    async setSignedCookies(resource, options = {}) {
      const list = await signed(resource, options);
      const jar = await cookies();
      for (const c of list)
        jar.set(c.name, c.value, {
          path: c.path,
          secure: c.secure,
          httpOnly: c.httpOnly,
          sameSite: c.sameSite.toLowerCase() as 'lax' | 'strict' | 'none',
          ...(c.domain !== undefined && { domain: c.domain }),
          ...(c.maxAge !== undefined && { maxAge: c.maxAge }),
        });
    },
    async signedCookieHeaders(resource, options = {}) {
      return (await signed(resource, options)).map(serializeCookie);
    },
  };
}

/** The URL of the page the cookies are set on: the handler's request, else the `Host` Next received. */
async function pageUrlOf(o: SignedCookieOptions): Promise<string | undefined> {
  if (o.request !== undefined) return o.request.url;
  try {
    const host = (await headers()).get('host');
    if (!host) return undefined;
    const page = `https://${host}/`;
    return URL.canParse(page) ? page : undefined; // a malformed Host names no page to compare
  } catch {
    return undefined; // outside a request (a script or a test): no page to compare
  }
}
