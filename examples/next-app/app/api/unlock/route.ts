import { setSignedCookies } from '@/lib/cfsign';

// Signed cookies for the members prefix, with the attributes of the cookie-mode rule in lib/cfsign.ts
// (in production its cookie.domain makes them reach the CDN's alternate domain name).
export async function POST() {
  await setSignedCookies('/members/*');
  return Response.json({ ok: true }, { headers: { 'cache-control': 'private, no-store' } });
}
