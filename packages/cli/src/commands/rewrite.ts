/**
 * `cfsign rewrite`: sign the protected links of an HTML, CSS or HLS/DASH file by rules.
 * @module
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { createRewriter, type RewriteFormat, type RulesConfig } from '@cfsign/rewriter';
import { pathOf, readFlagFile } from '../files.js';
import { type CliIo, EXIT, InputError, UsageError } from '../io.js';
import { signerFromFlags } from '../signer-flags.js';

export const rewriteHelp = `cfsign rewrite FILE --rules rules.json --key-pair-id ID --private-key file://KEY --page-url URL [--out FILE]

Signs every link of an HTML, CSS, HLS (.m3u8) or DASH (.mpd) file that matches the rules, leaving
every other byte as it was. rules.json holds { "cdn": ..., "origins": [...], "rules": [...] }.

  --page-url   the URL the file is served at (relative links resolve against it)
  --format     html, css, hls or dash (default: from the file extension)
  --client-ip  address for rules with ipAddress: "client"
  --out        write here instead of standard output

Example:
  cfsign rewrite public/index.html --rules rules.json --key-pair-id K2JCJMDEHXQW5F \\
    --private-key file://keys/private_key.pem --page-url https://www.example.com/ --out dist/index.html`;

const FORMATS: Record<string, RewriteFormat> = {
  '.html': 'html',
  '.htm': 'html',
  '.css': 'css',
  '.m3u8': 'hls',
  '.mpd': 'dash',
};

export async function rewriteFile(argv: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rules: { type: 'string' },
      'key-pair-id': { type: 'string' },
      'private-key': { type: 'string' },
      'page-url': { type: 'string' },
      'client-ip': { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('Pass exactly one FILE to rewrite.');
  if (!v['page-url']) throw new UsageError('--page-url is required (relative links resolve against it).');
  const format = (v.format ?? FORMATS[extname(file).toLowerCase()]) as RewriteFormat | undefined;
  if (!format || !['html', 'css', 'hls', 'dash'].includes(format))
    throw new UsageError('Pass --format html|css|hls|dash (the extension did not tell).');
  let rules: RulesConfig;
  try {
    rules = JSON.parse(readFlagFile('rules', v.rules, io.cwd)) as RulesConfig;
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) throw err;
    throw new InputError(`--rules is not valid JSON: ${(err as Error).message}`);
  }
  const list = (rules as unknown as { rules?: unknown } | null)?.rules;
  const clientRule =
    Array.isArray(list) && list.some((r) => (r as { ipAddress?: unknown })?.ipAddress === 'client');
  if (clientRule && !v['client-ip'])
    throw new UsageError(
      '--client-ip is required: a rule signs for the viewer\'s address (ipAddress: "client").',
    );
  // Cached: a page often links the same file more than once.
  const signer = signerFromFlags(v['key-pair-id'], v['private-key'], io.cwd, true);
  let input: Buffer;
  try {
    input = readFileSync(pathOf(file, io.cwd));
  } catch {
    throw new InputError(`cannot read ${JSON.stringify(file)}; pass a readable HTML, CSS, HLS or DASH file.`);
  }
  const rewriter = createRewriter({
    rules,
    signer,
    request: { url: v['page-url'], ...(v['client-ip'] ? { clientIp: v['client-ip'] } : {}) },
  });
  const chunks: Uint8Array[] = [];
  const writer = rewriter.stream(format);
  const reader = writer.readable.getReader();
  const reading = (async () => {
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  })();
  const writing = (async () => {
    const w = writer.writable.getWriter();
    await w.write(new Uint8Array(input));
    await w.close();
  })();
  // Both awaited together: a signing error rejects the two sides, and neither goes unhandled.
  await Promise.all([writing, reading]);
  const output = Buffer.concat(chunks);
  if (v.out) writeFileSync(pathOf(v.out, io.cwd), output);
  else io.out(output.toString('utf8'));
  return EXIT.ok;
}
