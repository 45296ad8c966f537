/** The gallery's photos: files under /media/gallery/ in the private bucket. */
export const photos = ['aurora', 'dune', 'fern', 'lagoon', 'ember', 'slate'] as const;
