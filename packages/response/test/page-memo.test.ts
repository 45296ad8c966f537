/**
 * The page memo: an unchanged page is rewritten once; two pages are told apart exactly, whatever
 * they share; a URL whose page differs per request rests, so the memo costs nothing there (work is
 * counted, not timed).
 */
import { describe, expect, it, vi } from 'vitest';
import { PageMemo } from '../src/index.js';

const settings = { ttlMs: 5000, maxEntries: 8 };

/** One request as the adapters make it: returns whether the page was rewritten, and the output. */
function request(memo: PageMemo, url: string, body: string | Uint8Array) {
  let rewritten = false;
  const out = memo.rewrite(url, 'html', undefined, body, () => {
    rewritten = true;
    return new TextEncoder().encode(
      `rewritten ${typeof body === 'string' ? body : new TextDecoder().decode(body)}`,
    );
  }) as Uint8Array;
  return { rewritten, text: new TextDecoder().decode(out) };
}

describe('PageMemo', () => {
  it('serves an identical page from the memo', () => {
    const memo = new PageMemo(settings);
    const runs = Array.from({ length: 100 }, () => request(memo, '/a', 'same'));
    expect(runs.filter((r) => r.rewritten)).toHaveLength(1);
    expect(runs.every((r) => r.text === 'rewritten same')).toBe(true);
  });

  it('tells apart pages of the same length at the same URL, text or bytes, wherever they differ', () => {
    const page = 'x'.repeat(1001);
    for (const at of [0, 3, 500, 999, 1000]) {
      const other = `${page.slice(0, at)}y${page.slice(at + 1)}`;
      for (const [a, b] of [
        [page, other],
        [new TextEncoder().encode(page), new TextEncoder().encode(other)],
      ] as const) {
        const memo = new PageMemo(settings);
        expect(request(memo, '/p', a).rewritten).toBe(true);
        expect(request(memo, '/p', a).rewritten).toBe(false);
        expect(request(memo, '/p', b)).toEqual({ rewritten: true, text: `rewritten ${other}` });
      }
    }
  });

  it('bytes at any offset of their buffer are the same page', () => {
    const memo = new PageMemo(settings);
    const bytes = new TextEncoder().encode('y'.repeat(77));
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(request(memo, '/s', shifted.subarray(1)).rewritten).toBe(true);
    expect(request(memo, '/s', bytes).rewritten).toBe(false);
    expect(request(memo, '/s', shifted.subarray(1)).rewritten).toBe(false);
  });

  it('does not keep a page over 1 MiB', () => {
    const memo = new PageMemo(settings);
    const big = 'x'.repeat((1 << 20) + 1);
    expect(request(memo, '/big', big).rewritten).toBe(true);
    expect(request(memo, '/big', big).rewritten).toBe(true);
    const limit = 'x'.repeat(1 << 20);
    expect(request(memo, '/limit', limit).rewritten).toBe(true);
    expect(request(memo, '/limit', limit).rewritten).toBe(false);
  });

  it('keeps its own copy of bytes: a caller reusing its buffer does not change what was kept', () => {
    const memo = new PageMemo(settings);
    const buffer = new TextEncoder().encode('page one');
    expect(request(memo, '/r', buffer).rewritten).toBe(true);
    buffer.set(new TextEncoder().encode('page two'));
    expect(request(memo, '/r', buffer)).toEqual({ rewritten: true, text: 'rewritten page two' });
  });

  it('a page as text and the same page as bytes are kept apart (the charset may differ)', () => {
    const memo = new PageMemo(settings);
    expect(request(memo, '/m', 'abc').rewritten).toBe(true);
    expect(request(memo, '/m', new TextEncoder().encode('abc')).rewritten).toBe(true);
  });

  it('an output whose buffer was transferred away is not served again', () => {
    const memo = new PageMemo(settings);
    const first = memo.rewrite('/d', 'html', undefined, 'p', () => new Uint8Array([1, 2, 3])) as Uint8Array;
    structuredClone(first.buffer, { transfer: [first.buffer] });
    expect(request(memo, '/d', 'p')).toEqual({ rewritten: true, text: 'rewritten p' });
  });

  it('stops comparing a URL whose page differs per request: 2 lookups per 258 requests', () => {
    const memo = new PageMemo(settings);
    let lookups = 0;
    const probe = memo as unknown as { get: (...a: unknown[]) => unknown };
    const get = probe.get.bind(memo);
    probe.get = (...a: unknown[]) => {
      lookups++;
      return get(...a);
    };
    const runs = Array.from({ length: 258 * 4 }, (_, i) => request(memo, '/a', `user ${i}`));
    expect(runs.every((r) => r.rewritten)).toBe(true);
    expect(lookups).toBe(8);
  });

  it('a resting URL comes back once its page is stable again', () => {
    const memo = new PageMemo(settings);
    for (let i = 0; i < 2; i++) request(memo, '/a', `v${i}`);
    const runs = Array.from({ length: 300 }, () => request(memo, '/a', 'stable'));
    expect(runs.slice(0, 257).every((r) => r.rewritten)).toBe(true);
    expect(runs.slice(258).every((r) => !r.rewritten)).toBe(true);
  });

  it('other URLs are not affected by a resting one; entries expire after ttl', () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(1000);
    try {
      const memo = new PageMemo(settings);
      for (let i = 0; i < 2; i++) request(memo, '/distinct', `v${i}`);
      request(memo, '/same', 'x');
      expect(request(memo, '/same', 'x').rewritten).toBe(false);
      now.mockReturnValue(1000 + settings.ttlMs);
      expect(request(memo, '/same', 'x').rewritten).toBe(true);
    } finally {
      now.mockRestore();
    }
  });
});
