/**
 * Reading key and rules files given as `file://path` (as `aws cloudfront sign` takes them) or plain paths.
 * @module
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError, UsageError } from './io.js';

/** Resolves `file://x`, `fileb://x` or a plain path against `cwd`. */
export function pathOf(value: string, cwd: string): string {
  const path = value.replace(/^fileb?:\/\//, '');
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Reads a text file named by a flag; a missing flag is a usage error, an unreadable file bad input. */
export function readFlagFile(flag: string, value: string | undefined, cwd: string): string {
  if (!value) throw new UsageError(`--${flag} is required.`);
  try {
    return readFileSync(pathOf(value, cwd), 'utf8');
  } catch {
    const example = flag.endsWith('key') ? `${flag.replace('-', '_')}.pem` : `${flag}.json`;
    throw new InputError(
      `--${flag}: cannot read ${shownPath(value)}; pass a readable file, for example --${flag} file://${example}.`,
    );
  }
}

/**
 * A flag's value as a message may quote it: a path is shown, but text that is not one (the key
 * itself, pasted where its file path goes) never is.
 */
function shownPath(value: string): string {
  if (value.includes('-----') || /[\r\n]/.test(value) || value.length > 300)
    return `the value given (${value.length} characters, not shown: it is no file path, and may be the key itself)`;
  return JSON.stringify(value);
}
