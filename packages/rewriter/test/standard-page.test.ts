import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS from the shared folder
import { generatePage } from '../../../../shared/bench/page.mjs';
// @ts-expect-error plain JS from the shared folder
import { fakeSignUrl } from '../../../../shared/bench/rewrite-spec.mjs';
import { rewriteBytes } from '../src/rewrite-stream.js';

const { html, expected } = generatePage() as { html: string; expected: string };
const dec = new TextDecoder();

describe('standard bench page', () => {
  it('is rewritten byte-exact with the spec resolver', () => {
    const out = rewriteBytes('html', html, { resolve: (u) => fakeSignUrl(u) });
    expect(out).not.toBeInstanceOf(Promise);
    const got = dec.decode(out as Uint8Array);
    if (got !== expected) {
      let i = 0;
      while (got[i] === expected[i]) i++;
      expect(got.slice(i - 200, i + 200)).toBe(expected.slice(i - 200, i + 200));
    }
    expect(got).toBe(expected);
  });
});
