import { SignedSource, SignedVideo, signUrl } from '@/lib/cfsign';

export default async function VideoPage() {
  // Same wildcard policy as the <video> below: one signature covers /video/1/*.
  const download = await signUrl('/video/1/index.m3u8');
  return (
    <main>
      <h1>Video</h1>
      <SignedVideo poster="/video/1/poster.png" controls width={640} height={360} preload="none">
        <SignedSource src="/video/1/index.m3u8" type="application/vnd.apple.mpegurl" />
      </SignedVideo>
      <p>
        Players do not copy a playlist&apos;s query onto segment requests, so{' '}
        <a href="/playlists/1">/playlists/1</a> serves the playlist with every segment link signed. Or{' '}
        <a href={download}>open the signed playlist</a>.
      </p>
    </main>
  );
}
