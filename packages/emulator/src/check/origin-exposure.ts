/**
 * What a restricted behavior exposes besides its signatures: an origin anyone can read around
 * CloudFront, and signed URLs or cookies sent over plain HTTP.
 * @module
 */
import type { Distribution, DistributionBehavior, DistributionOrigin } from '../distribution/model.js';
import type { Finding } from './finding.js';

/** An S3 website endpoint: a custom origin, always public (OAC and OAI do not apply to it). */
const S3_WEBSITE = /\.s3-website[.-][a-z0-9-]+\.amazonaws\.com$/i;

/**
 * Findings for one restricted behavior: `origin-reachable` (error) when it reads an S3 bucket
 * without origin access control or identity, or an S3 website endpoint, since CloudFront can then
 * read the bucket only because everyone can; `signatures-over-http` (warning) when viewers may use
 * plain HTTP. An origin already in `reported` is not reported again.
 *
 * @example
 * ```ts
 * const findings = originExposure(distribution, behavior, '/private/*', '/private/*', new Set());
 * ```
 */
export function originExposure(
  distribution: Distribution,
  behavior: DistributionBehavior,
  pattern: string,
  label: string,
  reported: Set<string>,
): Finding[] {
  const findings: Finding[] = [];
  const members = distribution.originGroups[behavior.targetOriginId] ?? [behavior.targetOriginId];
  for (const id of members) {
    const origin = distribution.origins.find((o) => o.id === id);
    if (origin === undefined || reported.has(id) || !publiclyReadable(origin)) continue;
    reported.add(id);
    findings.push({
      code: 'origin-reachable',
      severity: 'error',
      behavior: pattern,
      message: `Behavior ${label} requires signatures, but its origin ${origin.id} (${origin.domainName}) is ${origin.kind === 's3' ? 'an S3 bucket read without origin access control (OAC) or identity (OAI)' : 'an S3 website endpoint'}: CloudFront can read it only because everyone can, so the private files are public at ${origin.domainName}.`,
      fix: `CloudFront console → Distributions → your distribution → Origins → ${origin.id} → Edit → Origin access: Origin access control settings (create an OAC), use the bucket's REST endpoint (not the website endpoint), then apply the bucket policy it shows and turn Block Public Access on.`,
    });
  }
  if (behavior.viewerProtocolPolicy === 'allow-all')
    findings.push({
      code: 'signatures-over-http',
      severity: 'warning',
      behavior: pattern,
      message: `Behavior ${label} requires signatures but accepts plain HTTP: a signed URL or cookie sent over http:// can be read on the way and used by anyone until it expires.`,
      fix: `CloudFront console → Distributions → your distribution → Behaviors → Edit ${label} → Viewer protocol policy: Redirect HTTP to HTTPS (or HTTPS only).`,
    });
  return findings;
}

function publiclyReadable(origin: DistributionOrigin): boolean {
  if (origin.kind === 's3') return !origin.originAccessControlId && !origin.originAccessIdentity;
  return S3_WEBSITE.test(origin.domainName);
}
