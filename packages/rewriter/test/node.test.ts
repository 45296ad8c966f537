import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createNodeRewriteStream } from '../src/node.js';
import { compileRules } from '../src/rules/compile-rules.js';
import { fakeSigner } from './helpers/fake-signer.js';

async function collect(r: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts).toString();
}

describe('Node stream wrapper', () => {
  const html = '<img src="/media/a.jpg"><p>café</p><img src="/media/b.jpg?x=1">';

  it('rewrites with rules + signer, any chunking', async () => {
    const rules = compileRules({ cdn: 'https://cdn.example.com', rules: [{ match: '/media/**' }] });
    const { signer } = fakeSigner({ sync: false });
    const bytes = Buffer.from(html);
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    const out = await collect(
      Readable.from(chunks).pipe(
        createNodeRewriteStream({
          format: 'html',
          rules,
          signer,
          request: { url: 'https://www.example.com/' },
        }),
      ),
    );
    expect(out).toBe(
      '<img src="https://cdn.example.com/media/a.jpg?Expires=9&amp;Signature=SIG&amp;Key-Pair-Id=K"><p>café</p><img src="https://cdn.example.com/media/b.jpg?x=1&amp;Expires=9&amp;Signature=SIG&amp;Key-Pair-Id=K">',
    );
  });

  it('emits the error instead of a truncated body', async () => {
    const t = createNodeRewriteStream({
      format: 'html',
      resolve: async () => {
        throw new Error('signer down');
      },
    });
    await expect(collect(Readable.from([Buffer.from(html)]).pipe(t))).rejects.toThrow('signer down');
  });
});
