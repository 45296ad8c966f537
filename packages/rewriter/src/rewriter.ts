/**
 * Former path of `rules-rewriter.ts`, kept so that imports by path keep working.
 * @module
 */
export {
  createRewriter,
  type Rewriter,
  type RewriterOptions,
  rewrite,
  streamOptions,
} from './rules-rewriter.js';
