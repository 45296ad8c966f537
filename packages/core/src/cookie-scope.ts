/**
 * Where signed cookies go: the `Path` and `Domain` attributes, checked so that the browser sends the
 * cookies with the requests the policy covers (RFC 6265 §5.1.3 domain-match, §5.1.4 path-match).
 * @module
 */
import { show } from './args.js';
import { CfsignError } from './errors.js';

/**
 * The default cookie path for a resource: its path up to the first wildcard, cut after the last `/`.
 *
 * @example
 * ```ts
 * cookiePathFor('https://cdn.example.com/private/videos/*') // '/private/videos/'
 * ```
 */
export function cookiePathFor(resource: string): string {
  if (typeof resource !== 'string')
    throw new CfsignError(
      'ERR_INVALID_RESOURCE',
      `cookiePathFor needs the policy resource as a string; got ${show(resource)}.`,
    );
  const afterScheme = resource.indexOf('//');
  const pathStart = resource.indexOf('/', afterScheme === -1 ? 0 : afterScheme + 2);
  if (pathStart === -1) return '/';
  const path = resource.slice(pathStart);
  const wild = path.search(/[*?]/);
  const prefix = wild === -1 ? path : path.slice(0, wild);
  // `path` starts with `/` and a wildcard is never its first character: the prefix keeps that `/`.
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** A literal cookie path: starts with `/`, no `*`, `;`, `,`, spaces or controls. */
export function checkPath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[*;\s,\x00-\x1f\x7f-\uffff]/.test(path))
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `Cookie path ${show(path)} must start with "/" and hold no "*", ";", "," or spaces: cookie paths are literal prefixes.`,
    );
  return path;
}

/** Dot-separated labels of letters, digits and inner hyphens; a leading dot is ignored, as browsers do. */
const HOST_NAME =
  /^\.?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A host name (or `undefined`), never `cloudfront.net`, a public suffix. */
export function checkDomain(domain: unknown): string | undefined {
  if (domain !== undefined && (typeof domain !== 'string' || !HOST_NAME.test(domain)))
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `Cookie "domain" ${show(domain)} is not a host name (dot-separated labels of letters, digits and hyphens, no hyphen at either end of a label); use the parent domain shared by the app and the CDN, such as "example.com".`,
    );
  if (domain !== undefined && bareDomain(domain) === 'cloudfront.net')
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      'Cookie "domain" "cloudfront.net" is a public suffix: browsers refuse cookies for it. Leave "domain" out (the cookies then go to the distribution host only), or give the distribution an alternate domain name under your site (such as cdn.example.com) and use "example.com".',
    );
  return domain;
}

function bareDomain(domain: string): string {
  return (domain.startsWith('.') ? domain.slice(1) : domain).toLowerCase();
}

/**
 * The host of a resource (lower case, without port), or `null` when a wildcard in or before the
 * scheme leaves it unknown. It may hold wildcards.
 */
function resourceHost(resource: string): string | null {
  const authority = /^https?:\/\/([^/]*)/.exec(resource)?.[1];
  if (authority === undefined) return null;
  return authority
    .slice(authority.lastIndexOf('@') + 1)
    .replace(/:[0-9*?]*$/, '')
    .toLowerCase();
}

/**
 * True when some host the pattern `host` matches is `domain` or ends with `.domain` (the browser's
 * domain-match, RFC 6265 §5.1.3). Past a wildcard only the literal tail of the host is known.
 */
function domainCanMatch(host: string, domain: string): boolean {
  const wild = Math.max(host.lastIndexOf('*'), host.lastIndexOf('?'));
  if (wild === -1) return host === domain || host.endsWith(`.${domain}`);
  const tail = host.slice(wild + 1);
  return `.${domain}`.endsWith(tail) || tail.endsWith(`.${domain}`);
}

/** Refuses a `domain` the resource host does not domain-match: the browser would never send the cookies. */
export function checkDomainCovers(domain: string, resource: string): void {
  const host = resourceHost(resource);
  if (host === null || domainCanMatch(host, bareDomain(domain))) return;
  // Past a wildcard only the tail is known: `*.example.com` → `example.com`.
  const known = host.slice(Math.max(host.lastIndexOf('*'), host.lastIndexOf('?')) + 1).replace(/^\./, '');
  const parent = known === host ? host.slice(host.indexOf('.') + 1) : known;
  const fix =
    parent.includes('.') && parent !== 'cloudfront.net'
      ? `Use "${parent}" (a parent domain shared with the app)${known === host ? ` or "${host}"` : ''}, or leave "domain" out.`
      : `Leave "domain" out${host.endsWith('.cloudfront.net') ? "; to share cookies with the app, give the distribution an alternate domain name under the app's site (such as cdn.example.com) and sign for it" : ''}.`;
  throw new CfsignError(
    'ERR_INVALID_COOKIE_OPTIONS',
    `Cookie "domain" ${show(domain)} does not domain-match the resource host ${host}, so the browser never sends these cookies to it. ${fix}`,
  );
}

/**
 * Refuses a `path` that path-matches (RFC 6265 §5.1.4) no request the resource covers. The request
 * paths start with the resource path up to its first wildcard (all of it when there is none).
 */
export function checkPathCovers(path: string, resource: string): void {
  if (!/^https?:\/\//.test(resource)) return;
  const start = resource.indexOf('/', resource.indexOf('//') + 2);
  if (start === -1) return; // `https://h*`: every `/` of the request comes from the wildcard
  const rest = resource.slice(start);
  const wild = rest.search(/[*?]/);
  const fixed = wild === -1 ? rest : rest.slice(0, wild);
  const ok = fixed.startsWith(path)
    ? path.endsWith('/') || fixed.length === path.length || fixed[path.length] === '/'
    : wild !== -1 && path.startsWith(fixed);
  if (!ok)
    throw new CfsignError(
      'ERR_INVALID_COOKIE_OPTIONS',
      `Cookie "path" ${show(path)} matches no path of the resource ${show(resource)}, so the browser would not send the cookies there; use "${cookiePathFor(resource)}" (the default) or a shorter prefix of it ending in "/".`,
    );
}
