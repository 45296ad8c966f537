/** The conformance suite on Node, against both entries: `@cfsign/core/node` and `@cfsign/core/web`. */
import * as nodeApi from '@cfsign/core/node';
import * as webApi from '@cfsign/core/web';
import { describe, expect, test } from 'vitest';
import { loadFixtures } from './fixtures.node.js';
import { type Api, conformanceCases, defaultAssert, runConformance } from './suite.js';

const fixtures = loadFixtures();
const cases = conformanceCases(fixtures);

test('the suite is not empty and its names are unique', () => {
  expect(cases.length).toBeGreaterThan(80);
  expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
});

for (const [label, api] of [
  ['node', nodeApi],
  ['web', webApi],
] as [string, Api][]) {
  describe(`conformance on @cfsign/core/${label}`, () => {
    test('backend name', () => expect(api.backendName).toBe(label === 'node' ? 'node' : 'webcrypto'));
    for (const c of cases) test(c.name, () => c.run(api, defaultAssert(api)));
  });
}

describe('the suite can fail', () => {
  test('a broken API (signature bytes altered) fails the known-answer and verify cases', async () => {
    const broken: Api = {
      ...webApi,
      createSigner: ((o: Parameters<Api['createSigner']>[0]) => {
        const s = webApi.createSigner(o);
        return {
          ...s,
          signUrl: async (u: string, opts: object) =>
            (await s.signUrl(u, opts))
              .replace(/Signature=A/, 'Signature=B')
              .replace(/Signature=([^A])/, 'Signature=A'),
        };
      }) as Api['createSigner'],
    };
    const results = await runConformance(broken, fixtures);
    const failed = results.filter((r) => !r.ok).map((r) => r.name);
    expect(failed.some((n) => n.startsWith('KAT canned'))).toBe(true);
    expect(failed.some((n) => n.startsWith('RSA SHA1 canned'))).toBe(true);
    expect(results.some((r) => r.ok)).toBe(true);
  });
});
