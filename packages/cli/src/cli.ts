/**
 * The `cfsign` command: dispatch, help and exit codes.
 * @module
 */
import { isCfsignError } from '@cfsign/core';
import { check, checkHelp } from './commands/check.js';
import { explain, explainHelp } from './commands/explain.js';
import { keygen, keygenHelp } from './commands/keygen.js';
import { rewriteFile, rewriteHelp } from './commands/rewrite.js';
import { serve, serveHelp } from './commands/serve.js';
import { sign, signHelp } from './commands/sign.js';
import { type CliIo, EXIT, InputError, processIo, UsageError } from './io.js';

type Command = { help: string; run: (argv: string[], io: CliIo) => number | Promise<number> };

const commands: Record<string, Command> = {
  keygen: { help: keygenHelp, run: keygen },
  sign: { help: signHelp, run: sign },
  explain: { help: explainHelp, run: explain },
  rewrite: { help: rewriteHelp, run: rewriteFile },
  serve: { help: serveHelp, run: serve },
  check: { help: checkHelp, run: check },
};

const mainHelp = () => `cfsign: CloudFront signed URLs and cookies, from key pair to 403 diagnosis.

Usage: cfsign <command> [options]      (cfsign <command> --help for details and examples)

Commands:
  keygen     create a key pair for a CloudFront key group
  sign       sign a URL or a cookie set (flags compatible with aws cloudfront sign)
  explain    decode a signed URL and say why CloudFront would refuse it
  rewrite    sign the protected links of an HTML, CSS, HLS or DASH file by rules
  serve      run the local CloudFront emulator in front of a directory or an origin
  check      check a distribution config against your signing rules before you deploy

Exit codes: 0 ok; 1 the URL would be refused (explain); 2 usage error; 3 bad input (key, URL, time).

Examples:
  cfsign keygen --out ./keys
  cfsign sign url --url https://d111111abcdef8.cloudfront.net/a.pdf --key-pair-id K2JCJMDEHXQW5F --private-key file://keys/private_key.pem --expires-in 1h
  cfsign explain "$SIGNED_URL" --public-key file://keys/public_key.pem`;

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    io.out('0.1.0');
    return EXIT.ok;
  }
  // Own keys only: `cfsign constructor` is an unknown command, not Object's constructor.
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`cfsign: unknown command "${name}". Run cfsign --help for the list.`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`cfsign ${name}: ${(err as Error).message}\nRun cfsign ${name} --help for usage and examples.`);
      return EXIT.usage;
    }
    if (err instanceof InputError) {
      io.err(`cfsign ${name}: ${err.message}`);
      return EXIT.input;
    }
    // Bad input or configuration: `code: message`, no stack (the message says how to fix it).
    if (isCfsignError(err)) {
      io.err(`cfsign ${name}: ${err.code}: ${inCliTerms(err.message)}`);
      return EXIT.input;
    }
    // A file or socket the command was pointed at (--out, --port, --host): the system's message.
    const system = systemError(err);
    if (system !== null) {
      io.err(`cfsign ${name}: ${system}`);
      return EXIT.input;
    }
    // Anything else is a defect of cfsign: thrown on, with its stack.
    throw err;
  }
}

/** The library's advice in a message, where the CLI has no such option, said the CLI's way. */
const CLI_TERMS: ReadonlyArray<readonly [string, string]> = [
  ["rename it, or pass reservedParams: 'strip' to drop it", 'rename it, or remove it from the URL'],
  [', or pass allowAnyResource: true if that is really meant', ''],
  [', or pass "now" to sign for another time', ''],
];

function inCliTerms(message: string): string {
  let m = message;
  for (const [library, cli] of CLI_TERMS) m = m.replace(library, cli);
  return m;
}

/** What to do about the system errors a command's own flags can cause. */
const SYSTEM_HINTS: Record<string, string> = {
  EADDRINUSE: 'another program listens there; pass --port with a free port',
  EADDRNOTAVAIL: 'pass --host with an address of this machine, such as 127.0.0.1',
  ENOTFOUND: 'pass --host with an address, such as 127.0.0.1, or a name that resolves',
  EACCES: 'not allowed here; choose another path, or a port above 1023',
  EPERM: 'not allowed here; choose another path',
  ENOENT: 'a directory on that path does not exist; create it, or choose another path',
  ENOTDIR: 'a file stands where a directory is needed; choose another path',
  EEXIST: 'a file stands where a directory is needed; choose another path',
  EISDIR: 'that is a directory; name a file',
  EROFS: 'that file system is read-only; choose another path',
};

/** A Node system error (`code` such as ENOENT and the failed `syscall`) as one line, or `null`. */
function systemError(err: unknown): string | null {
  const e = err as { code?: unknown; syscall?: unknown; message?: unknown } | null;
  if (typeof e?.code !== 'string' || typeof e.syscall !== 'string' || !/^E[A-Z0-9]+$/.test(e.code))
    return null;
  const hint = SYSTEM_HINTS[e.code];
  return `${String(e.message)}${hint ? ` (${hint})` : ''}`;
}
