/**
 * examples/next-app end to end on Next.js 16: `next build`, `next start` on 127.0.0.1, the emulator
 * as the distribution; pages, route handlers (Node and edge), the build-output key scan, Chromium.
 * The checks live in ./support/suite.ts (examples/next15-app runs them on Next.js 15).
 */
import { appDir, nextBin } from './support/harness.js';
import { nextAppSuite } from './support/suite.js';

nextAppSuite({ title: 'examples/next-app (Next.js 16)', name: 'next-app', appDir, nextBin });
