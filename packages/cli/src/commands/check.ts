/**
 * `cfsign check`: compare the app's signing rules with the real distribution before deploying.
 * @module
 */

import { parseArgs } from 'node:util';
import { checkDistribution, type Finding, readDistributionFiles } from '@cfsign/emulator';
import type { RulesConfig } from '@cfsign/rewriter';
import { pathOf, readFlagFile } from '../files.js';
import { type CliIo, EXIT, InputError, UsageError } from '../io.js';

export const checkHelp = `cfsign check --distribution FILE --rules rules.json [options]

Checks a CloudFront distribution against the rules your app signs links by, before you deploy:
private paths served by public behaviors (leaks), restricted behaviors no rule signs (403),
a signing key the matching behavior does not trust (403 UnknownKey), cache policies that put the
signing params in the cache key (every signed URL a miss), IP-restricted rules on an IPv6-enabled
distribution, cookie rules without an alternate domain name under the site's domain.

Input files are JSON or YAML, in any of these shapes (each flag is repeatable):
  --distribution    aws cloudfront get-distribution-config --id ID (or get-distribution) output,
                    or a CloudFormation template (it may hold the key groups, keys and policies too)
  --key-groups      aws cloudfront get-key-group --id ID (or list-key-groups) output
  --public-keys     aws cloudfront get-public-key --id ID (or list-public-keys) output
  --cache-policies  aws cloudfront get-cache-policy --id ID output (AWS-managed policies are known)
  --rules           the rules JSON the app signs by ({ "cdn", "origins", "rules" }, as cfsign rewrite)
  --key-pair-id     the public key ID the app signs with (repeatable); checks the trusted key groups
  --distribution-id which distribution, when a template declares several (its logical ID)
  --json            print { ok, findings } as JSON

Exit codes: 0 no errors (warnings allowed); 1 errors found; 2 usage error; 3 unreadable input.

Example:
  aws cloudfront get-distribution-config --id E1A2B3C4D5E6F7 > distribution.json
  aws cloudfront get-key-group --id 4f1d1a64-... > key-group.json
  cfsign check --distribution distribution.json --key-groups key-group.json \\
    --rules rules.json --key-pair-id K2JCJMDEHXQW5F`;

export function check(argv: string[], io: CliIo): number {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      distribution: { type: 'string', multiple: true },
      'key-groups': { type: 'string', multiple: true },
      'public-keys': { type: 'string', multiple: true },
      'cache-policies': { type: 'string', multiple: true },
      rules: { type: 'string' },
      'key-pair-id': { type: 'string', multiple: true },
      'distribution-id': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!v.distribution?.length)
    throw new UsageError('--distribution is required (get-distribution-config output or a template).');
  const rulesText = readFlagFile('rules', v.rules, io.cwd);
  let rules: RulesConfig;
  try {
    rules = JSON.parse(rulesText) as RulesConfig;
  } catch (err) {
    // Bad input (exit 3), like an unreadable distribution file.
    throw new InputError(`--rules ${JSON.stringify(v.rules)} is not valid JSON: ${(err as Error).message}`);
  }
  const files = [
    ...v.distribution,
    ...(v['key-groups'] ?? []),
    ...(v['public-keys'] ?? []),
    ...(v['cache-policies'] ?? []),
  ].map((f) => pathOf(f, io.cwd));
  const distribution = readDistributionFiles(
    files,
    v['distribution-id'] ? { distribution: v['distribution-id'] } : {},
  );
  const keyPairIds = v['key-pair-id'] ?? [];
  const result = checkDistribution(distribution, rules, { keyPairIds });
  if (v.json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    const warnings = result.findings.length - errors;
    const what = `${distribution.behaviors.length + 1} behaviors, ${rules.rules.length} rules`;
    io.out(
      result.findings.length === 0
        ? `cfsign check: no findings (${what}).`
        : `cfsign check: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} (${what}).`,
    );
    for (const f of result.findings) io.out(format(f));
    if (keyPairIds.length === 0)
      io.out(
        'Note: the signing key was not checked; pass --key-pair-id with the key ID your app signs with.',
      );
  }
  // Exit 1, as for a refused URL: the configuration would refuse (or leak) requests.
  return result.ok ? EXIT.ok : EXIT.refused;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function format(f: Finding): string {
  const where = [
    f.behavior !== undefined ? `behavior ${f.behavior === '*' ? '* (default)' : f.behavior}` : '',
    f.rule ? `rule ${f.rule}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `\n${f.severity.toUpperCase()} ${f.code}${where ? ` (${where})` : ''}\n  ${f.message}\n  Fix: ${f.fix}`;
}
