/**
 * `<SignedImage>`: a server component rendering an `<img>` with signed `src`/`srcSet`.
 * @module
 */
import 'server-only';
import type { JSX } from 'react';
import type { GetSignedImageProps, SignedImageProps } from './image-props.js';

/** The `<SignedImage>` server component of one configuration. */
export type SignedImageComponent = (props: SignedImageProps) => Promise<JSX.Element>;

/**
 * Creates `<SignedImage>`, a server component for a protected image: the props of `next/image`
 * (`width`, `height`, `fill`, `sizes`, `preload`…) plus `loader` for renditions and `signing`
 * options. Renders a plain `<img>`: no client JavaScript, and the key never leaves the server.
 *
 * @example
 * ```tsx
 * import { SignedImage } from '@/lib/cfsign'; // from cfsign({ rules })
 *
 * export default function Page() {
 *   return <SignedImage src="/media/cat.jpg" alt="A cat" width={640} height={480} />;
 * }
 * ```
 */
export function createSignedImage(getProps: GetSignedImageProps): SignedImageComponent {
  // Made once per configuration, at module level of the app's config module.
  return async (props) => {
    const { props: img } = await getProps(props);
    // `alt` is required by SignedImageProps and passed through by getImageProps.
    // biome-ignore lint/performance/noImgElement: getImageProps output, as next/image documents for <img>/<picture>.
    return <img {...img} alt={img.alt} />;
  };
}
