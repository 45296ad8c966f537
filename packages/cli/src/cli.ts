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
      io.err(`cfsign ${name}: ${err.code}: ${err.message}`);
      return EXIT.input;
    }
    // Anything else is a defect of cfsign: thrown on, with its stack.
    throw err;
  }
}
