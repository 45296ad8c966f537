/**
 * The `allocate` option: output bytes are written where the caller says, and nowhere else.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, rewriteBytes } from '../src/index.js';

const sign = (u: string) => (u.startsWith('/private/') ? `${u}?Signature=s` : null);
const body = '<p>x</p><img src="/private/a.jpg"><p>y</p>';
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('allocate: where the output is written', () => {
  it('the output is the first bytes of the buffer it returns, the same bytes as without it', () => {
    const sizes: number[] = [];
    const memory = new Uint8Array(4096);
    const out = rewriteBytes('html', body, {
      resolve: sign,
      allocate: (n) => {
        sizes.push(n);
        return memory;
      },
    }) as Uint8Array;
    expect(out.buffer).toBe(memory.buffer);
    expect(out.byteOffset).toBe(0);
    expect(sizes).toEqual([out.length]);
    expect(text(out)).toBe(text(rewriteBytes('html', body, { resolve: sign }) as Uint8Array));
    expect(text(out)).toContain('/private/a.jpg?Signature=s');
  });

  it('is not called for output that is unchanged input', () => {
    let calls = 0;
    rewriteBytes('html', '<p>no links</p>', {
      resolve: sign,
      allocate: (n) => {
        calls++;
        return new Uint8Array(n);
      },
    });
    expect(calls).toBe(0);
  });

  it('a buffer shorter than asked for, or not bytes, is refused with ERR_INVALID_OPTIONS', () => {
    for (const bad of [(n: number) => new Uint8Array(n - 1), () => [1, 2, 3] as unknown as Uint8Array])
      expect(() => rewriteBytes('html', body, { resolve: sign, allocate: bad })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
      );
  });

  it('anything but a function is refused when the engine is created', () => {
    expect(() => createEngine('css', { resolve: sign, allocate: 42 as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});
