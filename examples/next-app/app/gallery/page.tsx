import { SignedImage, widthParamLoader } from '@/lib/cfsign';
import { photos } from '@/lib/photos';
import { LikeButton } from './like-button';

export default function Gallery() {
  return (
    <main>
      <h1>Gallery</h1>
      <ul
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))',
          gap: 12,
          padding: 0,
        }}
      >
        {photos.map((name, i) => (
          <li key={name} style={{ listStyle: 'none' }}>
            <SignedImage
              src={`/media/gallery/${name}.png`}
              alt={`Photo ${name}`}
              width={640}
              height={427}
              sizes="(max-width: 700px) 100vw, 33vw"
              loader={widthParamLoader}
              preload={i === 0}
              style={{ width: '100%', height: 'auto' }}
            />
            <LikeButton name={name} />
          </li>
        ))}
      </ul>
    </main>
  );
}
