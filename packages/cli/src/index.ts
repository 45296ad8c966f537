/**
 * `@cfsign/cli`: the `cfsign` command as a function, for tests and embedding.
 * @module
 */
export { runCli } from './cli.js';
export { ADVICE } from './commands/explain-report.js';
export { type CliIo, EXIT } from './io.js';
