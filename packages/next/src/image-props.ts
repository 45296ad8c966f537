/**
 * `getSignedImageProps`: `next/image`'s `getImageProps` with every URL (src and srcset) signed.
 * @module
 */
import 'server-only';
import { CfsignError } from '@cfsign/core';
import { getImageProps, type ImageLoader, type ImageProps } from 'next/image';
import type { GetSigning } from './config.js';
import { ensureDynamic } from './dynamic.js';
import { type SignOptions, signWithoutDynamic } from './sign-url.js';

/** Props of {@link getSignedImageProps} and `<SignedImage>`. */
export type SignedImageProps = Omit<ImageProps, 'src' | 'loader'> & {
  /** A path such as `/media/cat.jpg` or an absolute CDN URL (imported static images are public: use `next/image`). */
  src: string;
  /**
   * Maps `{ src, width, quality }` to the URL of one rendition on the CDN, e.g. {@link widthParamLoader}
   * for an image-resizing origin. Runs on the server only. With a loader you get `srcSet`/`sizes`;
   * without one the image is `unoptimized` (one signed `src`).
   */
  loader?: ImageLoader;
  /**
   * Route the signed URL through Next's image optimizer (`/_next/image`). Needs the CDN in
   * `images.remotePatterns`; read the README first: the optimizer caches by URL.
   */
  optimize?: boolean;
  /** Lifetime and caching options for the signatures. */
  signing?: SignOptions;
  /**
   * Next 16's `preload`: load eagerly, not lazily. Declared here so it also type-checks with Next 15,
   * whose `next/image` calls it `priority`; it is passed as `priority` there.
   */
  preload?: boolean;
};

type ImgInput = Parameters<typeof getImageProps>[0] & { preload?: boolean };

/**
 * `getImageProps` of whichever Next is installed. Next 15 knows no `preload` (it would reach the
 * `<img>` as an unknown attribute): seen left in the output, it is passed again as `priority`.
 */
function imageProps(input: ImgInput): ReturnType<typeof getImageProps> {
  const out = getImageProps(input);
  if (!('preload' in out.props)) return out;
  const { preload, ...rest } = input;
  return getImageProps({ ...rest, ...(preload && { priority: true }) });
}

/**
 * Appends `w` (and `q`) query params: for a CDN whose origin resizes images (an image handler
 * behind CloudFront). The params are part of the signed URL.
 *
 * @example
 * ```tsx
 * <SignedImage src="/media/cat.jpg" loader={widthParamLoader} width={1200} height={800} sizes="100vw" alt="" />
 * // srcSet: https://cdn…/media/cat.jpg?w=640&q=75&Expires=…&Signature=…&Key-Pair-Id=… 640w, …
 * ```
 */
export const widthParamLoader: ImageLoader = ({ src, width, quality }) =>
  `${src}${src.includes('?') ? '&' : '?'}w=${width}&q=${quality ?? 75}`;

/** The `getSignedImageProps` of one configuration. */
export type GetSignedImageProps = (
  input: SignedImageProps,
) => Promise<{ props: ReturnType<typeof getImageProps>['props'] }>;

/**
 * Creates `getSignedImageProps`: like `getImageProps` from `next/image`, for a protected image. It
 * returns `{ props }` for an `<img>` (or `<picture>` sources) whose `src` and `srcSet` URLs are
 * signed. Server-only; makes the render dynamic unless `signing.revalidate` is given.
 *
 * @example
 * ```tsx
 * import { getSignedImageProps } from '@/lib/cfsign'; // from cfsign({ rules })
 *
 * export default async function Hero() {
 *   const { props } = await getSignedImageProps({ src: '/media/hero.jpg', alt: 'Hero', width: 1600, height: 900 });
 *   return <img {...props} />;
 * }
 * ```
 */
export function createGetSignedImageProps(get: GetSigning): GetSignedImageProps {
  return (input) => signedImageProps(get, input);
}

async function signedImageProps(
  get: GetSigning,
  input: SignedImageProps,
): Promise<{ props: ReturnType<typeof getImageProps>['props'] }> {
  if (typeof input?.src !== 'string')
    throw new CfsignError(
      'ERR_INVALID_URL',
      'getSignedImageProps needs a string "src" such as "/media/cat.jpg"; imported images are public, use next/image.',
    );
  const { loader, optimize, signing, ...rest } = input;
  if (signing?.revalidate === undefined) await ensureDynamic();
  const sign = (url: string) => signWithoutDynamic(get, url, signing ?? {});
  if (loader === undefined) {
    const src = await sign(input.src);
    return imageProps({ ...rest, src, ...(optimize ? {} : { unoptimized: true }) });
  }
  const wanted = new Set<string>();
  imageProps({
    ...rest,
    loader: (p) => {
      const u = loader(p);
      wanted.add(u);
      return u;
    },
  });
  const list = [...wanted];
  const signed = new Map(await Promise.all(list.map(async (u) => [u, await sign(u)] as const)));
  return imageProps({ ...rest, loader: (p) => signed.get(loader(p)) ?? loader(p) });
}
