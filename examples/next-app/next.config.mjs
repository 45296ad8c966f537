import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Source maps for the browser bundles, so the key-material scan also covers them.
  productionBrowserSourceMaps: true,
  // <SignedImage> renders unoptimized <img>s by default (the browser fetches the CDN directly), so
  // no `remotePatterns` are needed. These sizes only shape the srcSet of images with a `loader`.
  images: { deviceSizes: [320, 640, 960], imageSizes: [160] },
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default nextConfig;
