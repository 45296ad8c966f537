export { createRewriteStream, rewriteBytes, type RewriteFormat, type RewriteStreamOptions } from './rewrite-stream.js';
