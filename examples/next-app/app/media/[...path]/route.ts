import { mediaRedirect } from '@/lib/cfsign';

// Stable links for cached pages: /media/… on the site answers 307 to a freshly signed CDN URL, after
// the configuration's authorize (403 for /media/forbidden/…, whichever route was hit first).
export const GET = mediaRedirect();
