/**
 * `<SignedVideo>` and `<SignedSource>`: server components for protected video.
 * @module
 */
import 'server-only';
import type { JSX, ReactNode, SourceHTMLAttributes, VideoHTMLAttributes } from 'react';
import { ensureDynamic } from './dynamic.js';
import { type SignOptions, signWithoutDynamic } from './sign-url.js';

/** Props of {@link SignedVideo}. */
export type SignedVideoProps = Omit<VideoHTMLAttributes<HTMLVideoElement>, 'src' | 'poster' | 'children'> & {
  /** Path or CDN URL of the video (mp4) or playlist (HLS `.m3u8`, DASH `.mpd`). */
  src?: string;
  /** Path or CDN URL of the poster image. */
  poster?: string;
  /** Usually `<SignedSource>` elements and `<track>`s. */
  children?: ReactNode;
  signing?: SignOptions;
};

/** Props of {@link SignedSource}. */
export type SignedSourceProps = Omit<SourceHTMLAttributes<HTMLSourceElement>, 'src'> & {
  src: string;
  signing?: SignOptions;
};

async function signMaybe(
  url: string | undefined,
  signing: SignOptions | undefined,
): Promise<string | undefined> {
  if (url === undefined) return undefined;
  if (signing?.revalidate === undefined) await ensureDynamic();
  return signWithoutDynamic(url, signing ?? {});
}

/**
 * A `<video>` whose `src` and `poster` are signed. For HLS/DASH, sign the playlist with a wildcard
 * rule (`mode: 'wildcard'`, `resource: '/video/:id/*'`) and serve playlists whose segment links
 * carry signatures (see `withSignedLinks`), or use signed cookies: players do not copy the
 * playlist's query string onto segment requests.
 *
 * @example
 * ```tsx
 * <SignedVideo src="/video/7/clip.mp4" poster="/video/7/poster.jpg" controls width={640} />
 * ```
 */
export async function SignedVideo({
  src,
  poster,
  signing,
  children,
  ...rest
}: SignedVideoProps): Promise<JSX.Element> {
  const [s, p] = await Promise.all([signMaybe(src, signing), signMaybe(poster, signing)]);
  return (
    <video {...rest} src={s} poster={p}>
      {children}
    </video>
  );
}

/**
 * A `<source>` with a signed `src`, for `<SignedVideo>`/`<video>`/`<audio>`/`<picture>`.
 *
 * @example
 * ```tsx
 * <SignedVideo controls>
 *   <SignedSource src="/video/7/clip.webm" type="video/webm" />
 *   <SignedSource src="/video/7/clip.mp4" type="video/mp4" />
 * </SignedVideo>
 * ```
 */
export async function SignedSource({ src, signing, ...rest }: SignedSourceProps): Promise<JSX.Element> {
  return <source {...rest} src={await signMaybe(src, signing)} />;
}
