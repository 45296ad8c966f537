/**
 * Misuse of the rewriter's public functions is a `CfsignError` with a code and a message that says
 * how to fix it: options (`ERR_INVALID_OPTIONS`), arguments (`ERR_INVALID_ARGUMENT`), the page URL
 * (`ERR_INVALID_URL`), rules and path patterns (`ERR_INVALID_RULE`).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSigner } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import {
  compileGlob,
  compileRules,
  createEngine,
  createRewriter,
  createRewriteStream,
  rewriteBytes,
} from '../src/index.js';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = createSigner({
  keyPairId: 'K2REWRITERERR1',
  privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const config = { cdn: 'https://d111111abcdef8.cloudfront.net', rules: [{ match: '/media/**' }] };
const rules = compileRules(config);
const resolve = () => null;
const coded = (code: string, message: RegExp) =>
  expect.objectContaining({ code, message: expect.stringMatching(message) });

describe('createRewriter', () => {
  it('refuses missing options and a signer that is not one with ERR_INVALID_OPTIONS', () => {
    expect(() => createRewriter(undefined as never)).toThrow(
      coded('ERR_INVALID_OPTIONS', /needs an options object: \{ rules, signer, request: \{ url \} \}/),
    );
    expect(() =>
      createRewriter({ rules, signer: {} as never, request: { url: 'https://a.example/' } }),
    ).toThrow(coded('ERR_INVALID_OPTIONS', /"signer" must be a Signer: pass createSigner/));
  });

  it('refuses a page URL that is not absolute http(s) with ERR_INVALID_URL', () => {
    for (const url of [undefined, '/page', 'file:///srv/page.html'])
      expect(() => createRewriter({ rules, signer, request: { url } as never }), String(url)).toThrow(
        coded('ERR_INVALID_URL', /"request\.url" must be/),
      );
  });
});

describe('the resolver rewriters', () => {
  it('refuse an unknown format with ERR_INVALID_ARGUMENT naming the formats', () => {
    for (const make of [
      () => createRewriteStream('xml' as never, { resolve }),
      () => createEngine('xml' as never, { resolve, charset: 'x-unknown' }),
      () => rewriteBytes(42 as never, '', { resolve }),
    ])
      expect(make).toThrow(coded('ERR_INVALID_ARGUMENT', /use 'html', 'css', 'hls' or 'dash'/));
  });

  it('refuse a missing resolve and an unknown cssComments with ERR_INVALID_OPTIONS', () => {
    expect(() => createRewriteStream('css', {} as never)).toThrow(coded('ERR_INVALID_OPTIONS', /"resolve"/));
    expect(() => createRewriteStream('css', { resolve, cssComments: 'drop' as never })).toThrow(
      coded('ERR_INVALID_OPTIONS', /"cssComments" must be 'rewrite' \(default\) or 'skip', not "drop"/),
    );
  });

  it('refuse text chunks with ERR_INVALID_ARGUMENT (the stream errors with it)', async () => {
    expect(() => rewriteBytes('css', 42 as never, { resolve })).toThrow(
      coded('ERR_INVALID_ARGUMENT', /takes bytes.*got number; encode strings with TextEncoder/),
    );
    const stream = new Blob(['a{}']).stream().pipeThrough(new TextDecoderStream());
    const out = (stream as ReadableStream<never>).pipeThrough(createRewriteStream('css', { resolve }));
    await expect(new Response(out).text()).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('refuse a push after the final one with ERR_INVALID_ARGUMENT', () => {
    const engine = createEngine('css', { resolve });
    engine.push(new Uint8Array(0), true);
    expect(() => engine.push(new Uint8Array(0), false)).toThrow(
      coded('ERR_INVALID_ARGUMENT', /already finished.*create a new one for each body/),
    );
  });
});

describe('rules', () => {
  it('compileGlob refuses a bad pattern with ERR_INVALID_RULE', () => {
    expect(() => compileGlob('/a/**b')).toThrow(
      coded('ERR_INVALID_RULE', /Invalid path pattern "\/a\/\*\*b"/),
    );
  });

  it('extra attribute names whose hashes collide are refused at start-up, not on the first page', () => {
    // FNV-1a of these two names is the same 32-bit value.
    expect(() => compileRules({ ...config, attributes: ['data-45zx', 'data-fpcd'] })).toThrow(
      coded('ERR_INVALID_RULE', /rules config\.attributes: "data-fpcd" shares its hash with "data-45zx"/),
    );
    expect(() => compileRules({ ...config, attributes: ['data-45zx', 'data-src'] })).not.toThrow();
  });
});
