import { createMediaRedirect } from '@/lib/signing';

// Stable links for cached pages: /media/… on the site answers 307 to a freshly signed CDN URL.
export const GET = createMediaRedirect({
  // A real app checks the session here (cookies(), headers(), your auth library).
  authorize: (_request, path) => !path.startsWith('/media/forbidden/'),
});
