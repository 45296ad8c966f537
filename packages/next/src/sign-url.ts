/**
 * `signUrl`: one link, signed as a server component renders it.
 * @module
 */
import 'server-only';
import { CfsignError, type Duration, parseDuration } from '@cfsign/core';
import { signLink } from '@cfsign/rewriter';
import type { GetSigning } from './config.js';
import { ensureDynamic } from './dynamic.js';

/** Options of {@link signUrl}. */
export interface SignOptions {
  /** Lifetime, overriding the matching rule's (`'10m'`, `'1h'`, seconds). */
  expiresIn?: Duration;
  /** Custom-policy resource (wildcards allowed), e.g. `'/video/7/*'`; bypasses the rules. */
  resource?: string;
  /** IPv4 address or CIDR the link is bound to; bypasses the rules. */
  ipAddress?: string;
  /** Delay before the link becomes valid; bypasses the rules. */
  startsIn?: Duration;
  /**
   * The route's `revalidate` (seconds) when the page is static/ISR on purpose: the render is not made
   * dynamic and the link lives `revalidate + margin` seconds. See the README on ISR caveats.
   */
  revalidate?: number;
  /** Extra lifetime beyond `revalidate` (default `'10m'`): the time a visitor may spend on the page. */
  margin?: Duration;
  /** Client address, for rules with `ipAddress: 'client'`. */
  clientIp?: string;
  /** `'error'` (default) throws `ERR_NO_MATCHING_RULE` when no rule covers the URL; `'unsigned'` returns it unchanged. */
  onNoRule?: 'error' | 'unsigned';
}

const DEFAULT_MARGIN = 600;

/** Maps a path or a site/CDN URL to the CDN URL with the same path and query. */
export function toCdnUrl(url: string, cdn: string): string {
  if (url.startsWith('/') && !url.startsWith('//')) return cdn + url;
  return url;
}

function lifetime(o: SignOptions): number | undefined {
  if (o.expiresIn !== undefined) return parseDuration(o.expiresIn, 'expiresIn');
  if (o.revalidate === undefined) return undefined;
  if (!(Number.isFinite(o.revalidate) && o.revalidate > 0))
    throw new CfsignError(
      'ERR_INVALID_DURATION',
      `"revalidate" must be the route's revalidate time in seconds (a positive number such as 60); got ${String(o.revalidate)}.`,
    );
  return Math.ceil(o.revalidate) + parseDuration(o.margin ?? DEFAULT_MARGIN, 'margin');
}

/** The `signUrl` of one configuration: what `cfsign({...})` returns as `signUrl`. */
export type SignUrl = (url: string, options?: SignOptions) => Promise<string>;

/**
 * Creates the `signUrl` of a configuration. It signs one URL for the page being rendered: a path
 * such as `/media/cat.jpg` (mapped to the CDN), or an absolute CDN URL. The rules decide lifetime
 * and mode (per-URL or wildcard policy) and `authorize` is asked; options override them. Makes the
 * render dynamic (see `revalidate`).
 *
 * @example
 * ```tsx
 * import { signUrl } from '@/lib/cfsign'; // export const { signUrl } = cfsign({ rules })
 *
 * export default async function Page() {
 *   const href = await signUrl('/media/report.pdf', { expiresIn: '5m' });
 *   return <a href={href}>Download</a>;
 * }
 * ```
 * @remarks Never build `resource` wildcards from user input: a wildcard grants every path it matches.
 */
export function createSignUrl(get: GetSigning): SignUrl {
  return async (url, options = {}) => {
    if (typeof url !== 'string' || url === '')
      throw new CfsignError(
        'ERR_INVALID_URL',
        `signUrl(url) needs a URL or a path such as "/media/cat.jpg"; got ${url === '' ? 'an empty string' : typeof url}.`,
      );
    if (options?.revalidate === undefined) await ensureDynamic();
    return signWithoutDynamic(get, url, options ?? {});
  };
}

/** `signUrl` without the `ensureDynamic()` call, for helpers that made the render dynamic already. */
export async function signWithoutDynamic(
  get: GetSigning,
  url: string,
  options: SignOptions,
  req?: Request,
): Promise<string> {
  const { signer, cdn, rules, rulesWithLifetime } = await get();
  const seconds = lifetime(options);
  if (options.resource !== undefined || options.ipAddress !== undefined || options.startsIn !== undefined) {
    const m = rules.match(toCdnUrl(url, cdn));
    // A rule signs only what it names: an explicit resource still needs a rule covering the URL.
    if (m === null) throw noRule(url);
    if (
      rules.authorize !== undefined &&
      !m.rule.anyViewer &&
      !(await rules.authorize({ url: `${cdn}/`, req }, toCdnUrl(url, cdn), m))
    )
      throw noRule(url);
    return signer.signUrl(toCdnUrl(url, cdn), {
      expiresIn: seconds ?? m?.rule.expiresIn ?? DEFAULT_MARGIN,
      ...(options.resource !== undefined && { resource: options.resource }),
      ...(options.ipAddress !== undefined && { ipAddress: options.ipAddress }),
      ...(options.startsIn !== undefined && { startsIn: options.startsIn }),
    });
  }
  const signed = await signLink(url, {
    rules: seconds === undefined ? rules : rulesWithLifetime(seconds),
    signer,
    request: {
      url: `${cdn}/`,
      req,
      ...(options.clientIp !== undefined && { clientIp: options.clientIp }),
    },
  });
  if (signed !== null) return signed;
  if (options.onNoRule === 'unsigned') return url;
  throw noRule(url);
}

function noRule(url: string): CfsignError {
  return new CfsignError(
    'ERR_NO_MATCHING_RULE',
    `No signing rule covers ${JSON.stringify(url)} (or "authorize" refused it, or it is a cookie-mode path); add a rule, or pass { onNoRule: 'unsigned' } for public files.`,
  );
}
