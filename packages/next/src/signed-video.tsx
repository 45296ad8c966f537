/**
 * `<SignedVideo>` and `<SignedSource>`: server components for protected video.
 * @module
 */
import 'server-only';
import type { JSX, ReactNode, SourceHTMLAttributes, VideoHTMLAttributes } from 'react';
import type { GetSigning } from './config.js';
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

/** The video components of one configuration. */
export interface SignedVideoComponents {
  SignedVideo: (props: SignedVideoProps) => Promise<JSX.Element>;
  SignedSource: (props: SignedSourceProps) => Promise<JSX.Element>;
}

/**
 * Creates `<SignedVideo>` and `<SignedSource>` for a configuration.
 *
 * `<SignedVideo>` is a `<video>` whose `src` and `poster` are signed. For HLS/DASH, sign the
 * playlist with a wildcard rule (`mode: 'wildcard'`, `resource: '/video/:id/*'`) and serve playlists
 * whose segment links carry signatures (see `withSignedLinks`), or use signed cookies: players do
 * not copy the playlist's query string onto segment requests. `<SignedSource>` is a `<source>` with
 * a signed `src`, for `<SignedVideo>`/`<video>`/`<audio>`/`<picture>`.
 *
 * @example
 * ```tsx
 * import { SignedSource, SignedVideo } from '@/lib/cfsign'; // from cfsign({ rules })
 *
 * <SignedVideo poster="/video/7/poster.jpg" controls width={640}>
 *   <SignedSource src="/video/7/clip.mp4" type="video/mp4" />
 * </SignedVideo>
 * ```
 */
export function createSignedVideo(get: GetSigning): SignedVideoComponents {
  const signMaybe = async (url: string | undefined, signing: SignOptions | undefined) => {
    if (url === undefined) return undefined;
    if (signing?.revalidate === undefined) await ensureDynamic();
    return signWithoutDynamic(get, url, signing ?? {});
  };
  return {
    async SignedVideo({ src, poster, signing, children, ...rest }) {
      const [s, p] = await Promise.all([signMaybe(src, signing), signMaybe(poster, signing)]);
      return (
        <video {...rest} src={s} poster={p}>
          {children}
        </video>
      );
    },
    async SignedSource({ src, signing, ...rest }) {
      return <source {...rest} src={await signMaybe(src, signing)} />;
    },
  };
}
