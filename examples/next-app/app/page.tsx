export default function Home() {
  return (
    <main>
      <h1>cfsign + Next.js</h1>
      <p>Protected media from a CloudFront distribution (or the cfsign emulator), signed as pages render.</p>
      <ul>
        <li>
          <a href="/gallery">Gallery</a>: <code>&lt;SignedImage&gt;</code> with srcSet and sizes
        </li>
        <li>
          <a href="/video">Video</a>: an HLS playlist under a wildcard policy
        </li>
        <li>
          <a href="/edge/sign?photo=aurora">/edge/sign</a>: signing in the edge runtime (WebCrypto)
        </li>
        <li>
          <a href="/media/gallery/fern.png">/media/gallery/fern.png</a>: a stable link, redirected to a fresh
          signed URL
        </li>
        <li>
          <a href="/api/gallery">/api/gallery</a>: JSON whose links are signed by <code>withSignedLinks</code>
        </li>
      </ul>
    </main>
  );
}
