/**
 * readyBody: a body complete at once (built from a string or bytes, or with every chunk queued) is
 * taken whole; a body whose next chunk is not there yet, or that passes the bound, is handed on as a
 * stream that starts with the chunks already read, so no byte is lost and none waits for the rest.
 */
import { describe, expect, it } from 'vitest';
import { MAX_WHOLE_BODY, readyBody } from '../src/ready-body.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A stream whose chunks are queued at once, then whose next ones wait for `open()`. */
function gated(first: readonly string[], later: readonly string[]) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let cancelled: unknown = 'not cancelled';
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of first) c.enqueue(enc.encode(p));
    },
    async pull(c) {
      await gate;
      for (const p of later) c.enqueue(enc.encode(p));
      c.close();
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  return { body, open, cancelled: () => cancelled };
}

const queued = (chunks: readonly (Uint8Array | string)[]) =>
  new ReadableStream<unknown>({
    start(c) {
      for (const p of chunks) c.enqueue(p);
      c.close();
    },
  }) as ReadableStream<Uint8Array>;

async function readAll(s: ReadableStream<Uint8Array>): Promise<string> {
  return dec.decode(await new Response(s).arrayBuffer());
}

describe('readyBody', () => {
  it('takes whole the body of a Response built from a string, bytes or an ArrayBuffer', async () => {
    const text = '<!doctype html><img src="/private/a.jpg">';
    for (const init of [text, enc.encode(text), enc.encode(text).buffer]) {
      const ready = await readyBody(new Response(init).body!);
      expect(ready.stream).toBeUndefined();
      expect(dec.decode(ready.whole)).toBe(text);
    }
    const empty = await readyBody(new Response('').body!);
    expect(empty.whole?.byteLength ?? 0).toBe(0);
  });

  it('takes whole a stream whose chunks are all queued, joined in order', async () => {
    const ready = await readyBody(queued(['<img src="/pri', 'vate/a', '.jpg">'].map((p) => enc.encode(p))));
    expect(dec.decode(ready.whole)).toBe('<img src="/private/a.jpg">');
  });

  it('hands on a stream whose next chunk is not there yet, without waiting for it, first chunks first', async () => {
    const g = gated(['<html><body>', '<img src="/private/a.jpg">'], ['<p>later</p>', '</body></html>']);
    // Resolves while the gate is still shut: it never waits for the later chunks.
    const ready = await readyBody(g.body);
    expect(ready.whole).toBeUndefined();
    const reader = ready.stream!.getReader();
    expect(dec.decode((await reader.read()).value)).toBe('<html><body>');
    expect(dec.decode((await reader.read()).value)).toBe('<img src="/private/a.jpg">');
    const third = reader.read();
    g.open();
    expect(dec.decode((await third).value)).toBe('<p>later</p>');
    expect(dec.decode((await reader.read()).value)).toBe('</body></html>');
    expect((await reader.read()).done).toBe(true);
  });

  it('keeps the chunk of a first read that had to wait', async () => {
    const g = gated([], ['<p>only later</p>']);
    const ready = await readyBody(g.body);
    expect(ready.stream).toBeDefined();
    const all = readAll(ready.stream!);
    g.open();
    expect(await all).toBe('<p>only later</p>');
  });

  it('streams a body past the bound, every byte in order', async () => {
    const parts = ['a'.repeat(600), 'b'.repeat(600), 'c'.repeat(600)];
    const ready = await readyBody(queued(parts.map((p) => enc.encode(p))), 1000);
    expect(ready.whole).toBeUndefined();
    expect(await readAll(ready.stream!)).toBe(parts.join(''));
    // The default bound: 1 MiB.
    const big = 'x'.repeat(MAX_WHOLE_BODY + 1);
    const over = await readyBody(new Response(big).body!);
    expect(over.whole).toBeUndefined();
    expect((await readAll(over.stream!)).length).toBe(big.length);
    const at = await readyBody(new Response(big.slice(1)).body!);
    expect(at.whole?.byteLength).toBe(MAX_WHOLE_BODY);
  });

  it('hands a chunk that is not bytes on to the stream unchanged (the rewriter then refuses it)', async () => {
    const ready = await readyBody(queued([enc.encode('<p>'), 'text']));
    expect(ready.whole).toBeUndefined();
    const reader = ready.stream!.getReader();
    expect(dec.decode((await reader.read()).value)).toBe('<p>');
    expect((await reader.read()).value).toBe('text');
  });

  it('rejects with the body error when the body fails while it is read at once', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode('<p>'));
        c.error(new Error('origin reset'));
      },
    });
    await expect(readyBody(failing)).rejects.toThrow('origin reset');
  });

  it('passes a cancel of the handed-on stream to the body', async () => {
    const g = gated(['<p>'], ['never read']);
    const ready = await readyBody(g.body);
    await ready.stream!.cancel('client gone');
    expect(g.cancelled()).toBe('client gone');
  });
});
