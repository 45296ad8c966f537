import { setSignedCookies } from '@/lib/signing';

// Signed cookies for a whole prefix, set with next/headers cookies(). In production the CDN needs an
// alternate domain name under the site's domain (pass { domain: 'example.com' }).
export async function POST() {
  await setSignedCookies('/members/*', { expiresIn: '1h' });
  return Response.json({ ok: true }, { headers: { 'cache-control': 'private, no-store' } });
}
