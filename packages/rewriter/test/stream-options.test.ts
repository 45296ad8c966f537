// One function builds a response's stream options; nothing given to createRewriter is dropped
// on the way to the stream, the bytes or the Node wrapper.
import { describe, expect, it } from 'vitest';
import { formatFor } from '../src/content-type.js';
import { rewriteBytes } from '../src/resolver-rewriter.js';
import { compileRules } from '../src/rules/compile-rules.js';
import { createRewriter, streamOptions } from '../src/rules-rewriter.js';
import { fakeSigner } from './helpers/fake-signer.js';

const rules = compileRules({
  cdn: 'https://cdn.example.com',
  origins: ['https://www.example.com'],
  rules: [{ match: '/media/**', expiresIn: '10m' }],
  attributes: ['data-src'],
});
const request = { url: 'https://www.example.com/' };

describe('stream options', () => {
  it('carry the resolver, attributes, charset, maxTokenBytes, cssComments and onSkip', () => {
    const onSkip = () => {};
    const options = {
      rules,
      signer: fakeSigner().signer,
      request,
      maxTokenBytes: 99,
      cssComments: 'skip' as const,
      onSkip,
    };
    const rw = createRewriter(options);
    const o = rw.streamOptions('windows-1252');
    expect(o).toEqual({
      resolve: rw.resolve,
      attributes: ['data-src'],
      charset: 'windows-1252',
      maxTokenBytes: 99,
      cssComments: 'skip',
      onSkip,
    });
    expect(streamOptions(options, rw.rules, rw.resolve, 'windows-1252')).toEqual(o);
  });

  it('are what rewriteBytes needs', () => {
    const skips: string[] = [];
    const rw = createRewriter({ rules, signer: fakeSigner().signer, request, onSkip: (r) => skips.push(r) });
    const html = '<img data-src="/media/b.jpg">';
    const out = new TextDecoder().decode(rewriteBytes('html', html, rw.streamOptions()) as Uint8Array);
    expect(out).toMatch(/^<img data-src="https:\/\/cdn\.example\.com\/media\/b\.jpg\?/);
    expect(
      new TextDecoder().decode(rewriteBytes('html', html, rw.streamOptions('utf-16le')) as Uint8Array),
    ).toBe(html);
    expect(skips).toEqual(['charset']);
  });

  it('formatFor names the format a content type is rewritten as', () => {
    expect(formatFor('text/html')).toEqual({ format: 'html', charset: undefined });
  });
});
