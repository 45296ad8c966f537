import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RulesConfig } from '@cfsign/rewriter';
import { type Distribution, loadDistribution, parseDocument } from '../src/index.js';

/** Path of a fixture file (written from the CloudFront API and CloudFormation references). */
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A parsed JSON/YAML document that tests edit freely (fixtures are the AWS shapes, untyped here). */
// biome-ignore lint/suspicious/noExplicitAny: documents are edited like the JSON they are
export type Doc = any;

/** A fixture parsed (JSON or YAML), as a fresh object each time so tests may edit it. */
export function readFixture(name: string): Record<string, Doc> {
  return parseDocument(readFileSync(fixture(name), 'utf8'), name) as Record<string, Doc>;
}

/** The AWS CLI outputs that describe the fixture distribution. */
export const API_FILES = [
  'distribution.json',
  'key-group-main.json',
  'key-group-partner.json',
  'public-key-main.json',
  'public-key-partner.json',
  'cache-policy-signed-media.json',
];

/** The fixture distribution from its AWS CLI outputs; `edit` may change the parsed documents first. */
export function apiDistribution(edit: (docs: Record<string, Doc>) => void = () => {}): Distribution {
  const docs = Object.fromEntries(API_FILES.map((n) => [n, readFixture(n)]));
  edit(docs);
  return loadDistribution(Object.values(docs));
}

/** The rules the fixture site signs by. */
export function fixtureRules(): RulesConfig & { rules: Record<string, unknown>[] } {
  return readFixture('rules.json') as never;
}

export const SITE_KEY = 'K2JCJMDEHXQW5F';
export const PARTNER_KEY = 'K3PARTNER0KEY1';
/** Behaviors of the fixture, by path pattern, in the API document. */
export const behaviorOf = (docs: Record<string, Doc>, pattern: string) =>
  docs['distribution.json']!.DistributionConfig.CacheBehaviors.Items.find(
    (b: { PathPattern: string }) => b.PathPattern === pattern,
  );
