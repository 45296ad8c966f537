/**
 * What a command may touch: its output streams and a clock. Tests pass their own.
 * @module
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  now(): number;
  cwd: string;
}

/** Exit codes, documented in `cfsign --help`. */
export const EXIT = {
  ok: 0,
  /** explain/verify: the URL would be refused. */
  refused: 1,
  /** Wrong flags or arguments. */
  usage: 2,
  /** Bad input: unreadable file, bad key, invalid URL or time. */
  input: 3,
} as const;

/** A usage mistake (a missing or unknown flag): printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Bad input given in a well-formed command (unreadable file, bad key, URL or date): exit code 3. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  now: () => Date.now(),
  cwd: process.cwd(),
};
