/**
 * A body given as a string is encoded into a reused scratch buffer (`rewriteText`): the output is
 * the same as for the string's bytes, and never shares memory with the scratch, whatever the body,
 * whether links resolve at once or later, and after a failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteBytes } from '../src/index.js';
import { MAX_SCRATCH_BYTES, rewriteText } from '../src/stream/text-scratch.js';

const sign = (u: string) => (u.startsWith('/private/') ? `${u}?Signature=x~y_&Key-Pair-Id=K1` : null);
const later = (u: string) => new Promise<string | null>((resolve) => setTimeout(() => resolve(sign(u)), 5));
const text = (b: Uint8Array | Promise<Uint8Array>) => new TextDecoder().decode(b as Uint8Array);
const bytesOf = (s: string) => new TextEncoder().encode(s);

describe('a string body is rewritten from a reused buffer', () => {
  it('gives the bytes the same body gives as bytes, for any text around any links', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('<img src="/private/a.jpg">', "<a href='/pub/b'>é</a>", '<p>&amp;</p>', '\u{1F600}'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12, size: 'max' }), (parts) => {
        const body = parts.join('');
        const fromText = rewriteBytes('html', body, { resolve: sign }) as Uint8Array;
        const fromBytes = rewriteBytes('html', bytesOf(body), { resolve: sign }) as Uint8Array;
        expect(Buffer.from(fromText).equals(Buffer.from(fromBytes))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a body with nothing to sign comes back in memory of its own: the next body does not change it', () => {
    const first = rewriteBytes('html', '<p>first page, no links</p>', { resolve: sign }) as Uint8Array;
    const kept = Buffer.from(first).toString();
    rewriteBytes('html', '<p>SECOND PAGE, OTHER BYTES, LONGER THAN THE FIRST</p>', { resolve: sign });
    expect(Buffer.from(first).toString()).toBe(kept);
    expect(kept).toBe('<p>first page, no links</p>');
  });

  it('whatever the rewrite returns, the output is never a view of the scratch, and one scratch serves body after body', () => {
    const seen = new Set<ArrayBufferLike>();
    for (const body of ['<p>plain</p>', '<img src="/private/a.jpg">', '<p>again</p>']) {
      let scratch: ArrayBufferLike | undefined;
      const out = rewriteText(body, (b) => {
        scratch = b.buffer;
        return b;
      }) as Uint8Array;
      expect(out.buffer).not.toBe(scratch);
      expect(text(out)).toBe(body);
      seen.add(scratch!);
    }
    // one scratch served all three bodies
    expect(seen.size).toBe(1);
  });

  it('rewrites in flight at once, with links resolved later, each get their own buffer', async () => {
    const bodies = Array.from(
      { length: 6 },
      (_, i) => `<p>${String(i).repeat(200 + i)}</p><img src="/private/${i}.jpg"><p>${'é'.repeat(i)}</p>`,
    );
    const outs = await Promise.all(bodies.map((b) => rewriteBytes('html', b, { resolve: later })));
    outs.forEach((out, i) => {
      expect(text(out)).toContain(`/private/${i}.jpg?Signature=`);
      expect(text(out)).toBe(text(rewriteBytes('html', bytesOf(bodies[i]!), { resolve: sign })));
    });
  });

  it('a rewrite that fails, at once or later, leaves the next body rewritten correctly', async () => {
    const boom = () => {
      throw new Error('resolver failed');
    };
    expect(() => rewriteBytes('html', '<img src="/private/a.jpg">', { resolve: boom })).toThrow();
    await expect(
      rewriteBytes('html', '<img src="/private/a.jpg">', {
        resolve: () => Promise.reject(new Error('later')),
      }),
    ).rejects.toThrow();
    const body = '<p>ok</p><img src="/private/b.jpg">';
    const out = rewriteBytes('html', body, { resolve: sign });
    expect(text(out)).toContain('/private/b.jpg?Signature=');
    expect(text(out)).toBe(text(rewriteBytes('html', bytesOf(body), { resolve: sign })));
  });

  it('a string too large for the scratch is encoded as usual, with the same result', () => {
    const filler = 'x'.repeat(Math.ceil(MAX_SCRATCH_BYTES / 3) + 1);
    const body = `<p>${filler}</p><img src="/private/big.jpg">`;
    const out = rewriteBytes('html', body, { resolve: sign }) as Uint8Array;
    expect(text(out).endsWith('?Signature=x~y_&amp;Key-Pair-Id=K1">')).toBe(true);
    expect(
      Buffer.from(out).equals(
        Buffer.from(rewriteBytes('html', bytesOf(body), { resolve: sign }) as Uint8Array),
      ),
    ).toBe(true);
  });
});
