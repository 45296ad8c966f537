/**
 * Cookie issuance: the CloudFront cookies of the cookie-mode rules, added to a response.
 * @module
 */
import type { HeaderAccess } from './headers.js';
import type { SigningSession } from './session.js';

/**
 * Adds the session's `Set-Cookie` values (cookie-mode rules) to the headers, keeping those already
 * set. Resolves once they are added; nothing is added when no rule is in cookie mode.
 *
 * @example
 * ```ts
 * await issueCookies(response.headers, session);
 * ```
 */
export async function issueCookies(h: HeaderAccess, session: Pick<SigningSession, 'cookies'>): Promise<void> {
  for (const c of await session.cookies()) h.append('set-cookie', c);
}
