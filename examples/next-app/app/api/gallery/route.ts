import { withSignedLinks } from '@/lib/cfsign';
import { photos } from '@/lib/photos';

// JSON for client-side code: URL-valued strings covered by the rules come back signed.
export const GET = withSignedLinks(() =>
  Response.json({ photos: photos.map((name) => ({ name, src: `/media/gallery/${name}.png` })) }),
);
