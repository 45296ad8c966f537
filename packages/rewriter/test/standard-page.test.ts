import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSigner, verifySignedUrl } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { generatePage } from '../../../bench/page/generate.mjs';
import { CF_ORIGIN, fakeSignUrl, KEY_PAIR_ID, SIGNED_SUFFIX } from '../../../bench/page/spec.mjs';
import { rewrite } from '../src/rewriter.js';
import { compileRules } from '../src/rules/compile-rules.js';
import { dec, enc, splitRewrite, streamed } from './helpers/run.js';

const { html, expected, stats } = generatePage();
const bytes = enc.encode(html);
const opts = () => ({ resolve: (u: string) => fakeSignUrl(u) as string | null });

function firstDiff(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: got ${JSON.stringify(a.slice(i - 80, i + 80))}\nwant ${JSON.stringify(b.slice(i - 80, i + 80))}`;
}

const pinned = JSON.parse(
  readFileSync(new URL('../../../bench/page/pinned.json', import.meta.url), 'utf8'),
) as {
  htmlSha256: string;
  expectedSha256: string;
  stats: unknown;
};
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('standard bench page', () => {
  it('is the pinned page: the generator is deterministic and unchanged', () => {
    expect(sha256(html)).toBe(pinned.htmlSha256);
    expect(sha256(expected)).toBe(pinned.expectedSha256);
    expect(stats).toEqual(pinned.stats);
    expect(stats.targets).toBeGreaterThanOrEqual(300);
    expect(html).not.toBe(expected);
  });

  it('is rewritten byte-exact with the spec resolver', () => {
    const got = splitRewrite('html', [bytes], opts());
    expect(got === expected, firstDiff(got, expected)).toBe(true);
  });

  it('is byte-exact however it is chunked (sampled offsets, 2- and many-chunk splits)', async () => {
    for (let at = 0; at <= bytes.length; at += 997) {
      const got = splitRewrite('html', [bytes.subarray(0, at), bytes.subarray(at)], opts());
      expect(got === expected, `split @${at} ${firstDiff(got, expected)}`).toBe(true);
    }
    for (const size of [1, 7, 512, 1 << 14]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(dec.decode(await streamed('html', chunks, opts())) === expected, `chunks of ${size}`).toBe(true);
    }
  });

  it('turns into its ideal output with real signatures that verify (rules + core signer)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const signer = createSigner({ keyPairId: KEY_PAIR_ID, privateKey: pem });
    const rules = compileRules({
      cdn: CF_ORIGIN,
      origins: ['https://www.example.com'],
      rules: [{ match: '/private/**', expiresIn: '1h' }],
    });
    const body = new Blob([bytes]).stream();
    const out = await new Response(
      rewrite(body, {
        rules,
        signer,
        request: { url: 'https://www.example.com/' },
        contentType: 'text/html; charset=utf-8',
      }),
    ).text();
    const normalized = out.replace(
      /Expires=\d+(&amp;|&)Signature=[A-Za-z0-9_~-]+\1Key-Pair-Id=K2JCJMDEHXQW5F/g,
      (_m, amp: string) => SIGNED_SUFFIX.replaceAll('&', amp),
    );
    expect(normalized === expected, firstDiff(normalized, expected)).toBe(true);
    const urls = [...out.matchAll(/https:\/\/d111111abcdef8\.cloudfront\.net\/private\/[^"'\s)]+/g)].map(
      (m) => m[0].replace(/&quot;$/, '').replaceAll('&amp;', '&'),
    );
    expect(urls).toHaveLength(stats.targets);
    const keys = { [KEY_PAIR_ID]: publicKey.export({ type: 'spki', format: 'pem' }) as string };
    for (const url of urls.slice(0, 40)) expect((await verifySignedUrl(url, { keys })).ok, url).toBe(true);
  });
});
