/**
 * `checkDistribution`: compare the app's signing rules with the distribution that will serve the
 * links, and report each mismatch with its severity, the behavior and rule involved, and the fix.
 * @module
 */

import { type CompiledRule, compileRules, type RulesConfig } from '@cfsign/rewriter';
import type { Distribution, DistributionBehavior } from '../distribution/model.js';
import { normalizePathPattern } from '../path-pattern.js';
import { cacheKeyOf, keyedSigningValues, signingNames } from './cache-key.js';
import { cookieReachProblem, sharesCookieDomain } from './cookie-domain.js';
import { explorePaths, type PathCombination } from './explore-paths.js';
import type { CheckResult, Finding } from './finding.js';
import { originExposure } from './origin-exposure.js';
import { cloudFrontPatternAutomaton, ruleGlobAutomaton, unionAutomaton } from './path-automaton.js';
import { globFor, parentOf, suggestPattern } from './suggestions.js';

/** Options of {@link checkDistribution}. */
export interface CheckOptions {
  /** The key IDs (`Key-Pair-Id`) the app signs with. Without them the trusted-key check is skipped. */
  keyPairIds?: readonly string[];
}

const CONSOLE = 'CloudFront console → Distributions → your distribution → Behaviors → Edit';

/**
 * Check a distribution (from {@link loadDistribution}) against the rules the app signs links by
 * (the same object `cloudfrontSigner({ rules })` or `cfsign rewrite --rules` takes). A correct
 * configuration yields no finding. Throws `CfsignError('ERR_INVALID_RULE')` for invalid rules.
 *
 * @example
 * ```ts
 * import { checkDistribution, readDistributionFiles } from '@cfsign/emulator';
 * const result = checkDistribution(readDistributionFiles(['distribution.json', 'key-group.json']), rules, {
 *   keyPairIds: ['K2JCJMDEHXQW5F'],
 * });
 * for (const f of result.findings) console.log(`${f.severity} ${f.code} ${f.behavior}: ${f.message} Fix: ${f.fix}`);
 * if (!result.ok) process.exitCode = 1;
 * ```
 */
export function checkDistribution(
  distribution: Distribution,
  rules: RulesConfig,
  options: CheckOptions = {},
): CheckResult {
  // the app's authorize hook lives in its code, not in a rules file: entitlement is not checked here
  const compiled = compileRules(rules, { entitlement: 'skip' });
  const behaviors = [...distribution.behaviors, distribution.defaultBehavior];
  const patterns = behaviors.map((b, i) =>
    i === behaviors.length - 1 ? '*' : normalizePathPattern(b.pathPattern),
  );
  const ruleMachines = (strict: boolean) =>
    compiled.list.map((r) => unionAutomaton(r.globs.map((g) => ruleGlobAutomaton(g.source, strict))));
  const exploration = explorePaths(
    [ruleMachines(true), ruleMachines(false)],
    patterns.map((p) => cloudFrontPatternAutomaton(p)),
  );
  // Findings follow the behaviors' precedence, then the rules' order.
  const [strict, loose] = exploration.combinations.map((list) =>
    [...list].sort((a, b) => a.behavior - b.behavior || a.rule - b.rule),
  ) as [PathCombination[], PathCombination[]];
  const findings: Finding[] = [];
  const ruleName = (r: CompiledRule) =>
    `rules[${r.index}] ${r.globs.map((g) => g.source).join(', ')}${r.mode === 'url' ? '' : ` (${r.mode})`}`;
  const restricted = (b: DistributionBehavior) => b.trustedKeyGroupIds.length > 0 || b.trustedSigners;
  const label = (i: number) => (i === behaviors.length - 1 ? '* (default)' : patterns[i]!);

  // 1. Private paths on public behaviors.
  for (const c of strict) {
    if (c.rule < 0 || restricted(behaviors[c.behavior]!)) continue;
    const rule = compiled.list[c.rule]!;
    findings.push({
      code: 'private-path-public-behavior',
      severity: 'error',
      behavior: patterns[c.behavior]!,
      rule: ruleName(rule),
      example: c.example,
      message: `${c.example} is signed by ${ruleName(rule)}, but CloudFront serves it with behavior ${label(c.behavior)}, which does not restrict viewer access: anyone can fetch it without a signature.`,
      fix: `${CONSOLE} the behavior ${label(c.behavior)} → Restrict viewer access: Yes → Trusted key groups; or add a behavior for these paths (e.g. ${suggestPattern(rule)}) above it that restricts viewer access.`,
    });
  }

  // 2. Restricted behaviors whose links no rule signs.
  behaviors.forEach((b, i) => {
    if (!restricted(b)) return;
    const here = loose.filter((c) => c.behavior === i);
    const unsigned = here.find((c) => c.rule < 0);
    if (!unsigned) return;
    const signed = here.some((c) => c.rule >= 0);
    findings.push({
      code: signed ? 'restricted-paths-unsigned' : 'restricted-behavior-unsigned',
      severity: signed ? 'warning' : 'error',
      behavior: patterns[i]!,
      example: unsigned.example,
      message: signed
        ? `Behavior ${label(i)} restricts viewer access, but no rule signs links such as ${unsigned.example}: those answer 403 MissingKey.`
        : `Behavior ${label(i)} restricts viewer access, but no rule signs any link it serves (e.g. ${unsigned.example}): every such link answers 403 MissingKey.`,
      fix: `Add a rule whose match covers these paths (e.g. { "match": "${globFor(patterns[i]!)}" }), or ${CONSOLE} ${label(i)} → Restrict viewer access: No if the content is public.`,
    });
  });

  // Pairs (rule, restricted behavior) that signed links actually use.
  const used = loose.filter((c) => c.rule >= 0 && restricted(behaviors[c.behavior]!));
  const byBehavior = new Map<number, CompiledRule[]>();
  for (const c of used) {
    const list = byBehavior.get(c.behavior) ?? [];
    if (!list.includes(compiled.list[c.rule]!)) list.push(compiled.list[c.rule]!);
    byBehavior.set(c.behavior, list);
  }

  for (const [i, ruleList] of [...byBehavior].sort((a, b) => a[0] - b[0])) {
    const b = behaviors[i]!;
    const rulesText = ruleList.map(ruleName).join('; ');
    const example = used.find((c) => c.behavior === i)!.example;
    // 3. The signing key must be in the behavior's trusted key groups.
    if (options.keyPairIds && options.keyPairIds.length > 0) {
      const missingGroups = b.trustedKeyGroupIds.filter((g) => !distribution.keyGroups[g]);
      if (missingGroups.length > 0) {
        findings.push({
          code: 'missing-input',
          severity: 'warning',
          behavior: patterns[i]!,
          message: `Behavior ${label(i)} trusts key group(s) ${missingGroups.join(', ')}, which the input does not describe, so the signing key could not be checked.`,
          fix: `Pass aws cloudfront get-key-group --id ${missingGroups[0]} output with --key-groups.`,
        });
      } else {
        // A key is named by its ID; a template's key also by its Name (its ID is not known before
        // deploy). In API output the Name is only a label: CloudFront answers UnknownKey to it.
        const trusted = new Set(
          b.trustedKeyGroupIds
            .flatMap((g) => distribution.keyGroups[g]!.publicKeyIds)
            .flatMap((id) => {
              const key = distribution.publicKeys[id];
              return key?.fromTemplate ? [id, key.name] : [id];
            }),
        );
        for (const keyId of options.keyPairIds) {
          if (trusted.has(keyId)) continue;
          const named = Object.values(distribution.publicKeys).find(
            (k) => !k.fromTemplate && k.name === keyId,
          );
          const names = b.trustedKeyGroupIds.map((g) => distribution.keyGroups[g]!.name).join(', ');
          findings.push({
            code: 'signing-key-not-trusted',
            severity: 'error',
            behavior: patterns[i]!,
            rule: rulesText,
            example,
            ...(named !== undefined
              ? {
                  message: `Links such as ${example} are signed with key pair ID ${keyId}, which is the Name of public key ${named.id}, not its ID: CloudFront answers 403 UnknownKey.`,
                  fix: `Sign with --key-pair-id ${named.id} (the public key's ID, as in Key-Pair-Id), not its Name.`,
                }
              : {
                  message: `Links such as ${example} are signed with key ${keyId}, but behavior ${label(i)} trusts only key group(s) ${names || '(none: legacy trusted signers)'}, which do not contain it: CloudFront answers 403 UnknownKey.`,
                  fix: `CloudFront console → Key management → Key groups → ${names || 'a key group'} → add public key ${keyId} (at most 5 per group); or ${CONSOLE} ${label(i)} → Trusted key groups → add a group that holds ${keyId}.`,
                }),
          });
        }
      }
    }
    // 4. The cache key must not hold the signing params.
    const key = cacheKeyOf(distribution, b);
    if (key === 'unknown') {
      findings.push({
        code: 'missing-input',
        severity: 'warning',
        behavior: patterns[i]!,
        message: `Behavior ${label(i)} uses cache policy ${b.cachePolicyId}, which the input does not describe, so its cache key could not be checked.`,
        fix: `Pass aws cloudfront get-cache-policy --id ${b.cachePolicyId} output with --cache-policies.`,
      });
    } else if (key) {
      for (const rule of ruleList) {
        const isCookie = rule.mode === 'cookie';
        const keyed = keyedSigningValues(isCookie ? key.cookies : key.queryStrings, signingNames(rule));
        if (keyed.length === 0) continue;
        const what = isCookie ? 'cookies' : 'query strings';
        findings.push({
          code: 'cache-key-includes-signature',
          severity: 'error',
          behavior: patterns[i]!,
          rule: ruleName(rule),
          example,
          message: `The cache key of behavior ${label(i)} (${key.name}) includes the signing ${what} ${keyed.join(', ')}: every signed ${isCookie ? 'cookie set' : 'URL'} is a separate cache entry, so each one is a cache miss and goes to the origin.`,
          fix: `${CONSOLE} ${label(i)} → Cache key and origin requests → Cache policy: CachingOptimized, or a custom policy whose ${what} setting is None or an Include list of your own names (never All).`,
        });
      }
    }
  }

  // 5. IP-restricted grants on an IPv6-enabled distribution.
  if (distribution.ipv6Enabled) {
    const ipRules = new Set(used.filter((c) => compiled.list[c.rule]!.ipAddress).map((c) => c.rule));
    for (const r of ipRules) {
      const rule = compiled.list[r]!;
      const c = used.find((u) => u.rule === r)!;
      findings.push({
        code: 'ip-restriction-with-ipv6',
        severity: 'error',
        behavior: patterns[c.behavior]!,
        rule: ruleName(rule),
        example: c.example,
        message: `${ruleName(rule)} restricts grants to ${rule.ipAddress === 'client' ? "the viewer's IP address (ipAddress: 'client')" : `the IP range ${rule.ipAddress}`}, but the distribution has IPv6 enabled: CloudFront compares the policy's IPv4 range with the viewer's IPv6 address and answers 403 to IPv6 viewers.`,
        fix: 'CloudFront console → Distributions → your distribution → General → Settings → Edit → IPv6: Off; or drop ipAddress from the rule (or serve the IP-restricted content from a second distribution without IPv6).',
      });
    }
  }

  // 6. Cookie rules need the CDN host to be an alternate domain name under the site's domain.
  const cookieUse = used.find((c) => compiled.list[c.rule]!.mode === 'cookie');
  const cdnHost = new URL(compiled.cdn).hostname;
  const problem =
    cookieUse &&
    cookieReachProblem(
      distribution.aliases,
      cdnHost,
      compiled.origins.map((o) => new URL(o).hostname),
    );
  if (cookieUse && problem) {
    const rule = compiled.list[cookieUse.rule]!;
    const parent = parentOf(problem.site);
    findings.push({
      code: 'cookie-domain-mismatch',
      severity: 'error',
      behavior: patterns[cookieUse.behavior]!,
      rule: ruleName(rule),
      example: cookieUse.example,
      message:
        problem.kind === 'no-alias'
          ? `${ruleName(rule)} grants access with signed cookies, but the distribution has no alternate domain name under the domain of ${problem.site} (aliases: ${distribution.aliases.join(', ') || 'none'}): cookies set by ${problem.site} are never sent to it, so every request answers 403 MissingKey.`
          : sharesCookieDomain(cdnHost, problem.site)
            ? `${ruleName(rule)} grants access with signed cookies, and the rules link to ${cdnHost}, but ${cdnHost} is not an alternate domain name of this distribution (aliases: ${distribution.aliases.join(', ')}): requests there never reach it.`
            : `${ruleName(rule)} grants access with signed cookies, but the rules link to ${cdnHost}, where cookies set by ${problem.site} are never sent (403 MissingKey); the alternate domain name ${problem.alias} would receive them.`,
      fix:
        problem.kind === 'no-alias'
          ? `CloudFront console → Distributions → your distribution → General → Settings → Edit → Alternate domain name (CNAME): add e.g. cdn.${parent} (with its certificate), set the rules' cdn to https://cdn.${parent}, and set the cookies for the domain ${parent}.`
          : sharesCookieDomain(cdnHost, problem.site)
            ? `CloudFront console → Distributions → your distribution → General → Settings → Edit → Alternate domain name (CNAME): add ${cdnHost} (with its certificate); or set the rules' cdn to https://${problem.alias}.`
            : `Set the rules' cdn to https://${problem.alias} and the cookies for the domain ${parent}.`,
    });
  }

  // 7. Restricted content must not be readable around CloudFront, nor its signatures sent in clear.
  const reported = new Set<string>();
  for (const [i, b] of behaviors.entries())
    if (restricted(b)) findings.push(...originExposure(distribution, b, patterns[i]!, label(i), reported));

  if (!exploration.complete)
    findings.push({
      code: 'missing-input',
      severity: 'warning',
      message: 'The path patterns are too many to explore completely; the findings above may be incomplete.',
      fix: 'Check the distribution in parts (fewer behaviors or rules at a time).',
    });
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}
