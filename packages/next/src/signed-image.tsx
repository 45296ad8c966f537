/**
 * `<SignedImage>`: a server component rendering an `<img>` with signed `src`/`srcSet`.
 * @module
 */
import 'server-only';
import type { JSX } from 'react';
import { getSignedImageProps, type SignedImageProps } from './image-props.js';

/**
 * A server component for a protected image: the props of `next/image` (`width`, `height`, `fill`,
 * `sizes`, `preload`…) plus `loader` for renditions and `signing` options. Renders a plain `<img>`:
 * no client JavaScript, and the key never leaves the server.
 *
 * @example
 * ```tsx
 * import { SignedImage } from '@cfsign/next';
 *
 * export default function Page() {
 *   return <SignedImage src="/media/cat.jpg" alt="A cat" width={640} height={480} />;
 * }
 * ```
 */
export async function SignedImage(props: SignedImageProps): Promise<JSX.Element> {
  const { props: img } = await getSignedImageProps(props);
  // `alt` is required by SignedImageProps and passed through by getImageProps.
  // biome-ignore lint/performance/noImgElement: getImageProps output, as next/image documents for <img>/<picture>.
  return <img {...img} alt={img.alt} />;
}
