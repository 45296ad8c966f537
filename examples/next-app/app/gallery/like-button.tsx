'use client';

import { useState } from 'react';

/** A client component, so the gallery has something to hydrate. */
export function LikeButton({ name }: { name: string }) {
  const [likes, setLikes] = useState(0);
  return (
    <button type="button" data-like={name} onClick={() => setLikes((n) => n + 1)}>
      ♥ {likes}
    </button>
  );
}
