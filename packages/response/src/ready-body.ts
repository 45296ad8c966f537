/**
 * Telling a body that is already complete (a `Response` built from a string or bytes) from one
 * that is still being produced (streaming SSR), without waiting for either.
 * @module
 */

/** Largest body taken whole by default (1 MiB); a larger one streams. */
export const MAX_WHOLE_BODY = 1 << 20;

/**
 * Microtask turns a read may take and still count as ready. A body built from a string or bytes
 * answers its reads within two turns on Node, Bun and Deno; a body whose next chunk waits for I/O
 * or a timer never answers within any number of them, so no byte is held back for an event-loop
 * turn. workerd answers its own bodies' reads only on a later turn: there every body streams.
 */
const READY_TURNS = 6;

/** A body read as far as it was ready: whole (complete and small), or a stream to pipe on. */
export type ReadyBody =
  | { whole: Uint8Array; stream?: undefined }
  | { whole?: undefined; stream: ReadableStream<Uint8Array> };

type Read = ReadableStreamReadResult<Uint8Array>;
type Settled = { ok: true; value: Read } | { ok: false; error: unknown };

/** The read's outcome if it settles within {@link READY_TURNS} microtask turns, else `undefined`. */
async function settledSoon(read: Promise<Read>): Promise<Settled | undefined> {
  let out: Settled | undefined;
  read.then(
    (value) => {
      out = { ok: true, value };
    },
    (error: unknown) => {
      out = { ok: false, error };
    },
  );
  for (let turn = 0; turn < READY_TURNS && out === undefined; turn++) await undefined;
  return out;
}

/** The chunks already read, then the pending read, then the rest of the reader. */
function restOf(
  chunks: unknown[],
  pending: Promise<Read> | undefined,
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next < chunks.length) {
        controller.enqueue(chunks[next] as Uint8Array);
        chunks[next++] = undefined;
        return;
      }
      const read = pending ?? reader.read();
      pending = undefined;
      const r = await read;
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Reads `body` as long as its reads are answered at once (within a few microtask turns): when it
 * ends that way with at most `max` bytes, returns the bytes (`whole`); as soon as a read would
 * wait, the size passes `max`, or a chunk is not a `Uint8Array`, returns a stream that yields the
 * chunks already read and then the rest (`stream`), so a streamed body (SSR) keeps its first bytes
 * flowing. A body that errors while being read this way rejects (nothing has been sent yet).
 *
 * @example
 * ```ts
 * const ready = await readyBody(response.body!);
 * if (ready.whole) return new Response(await rewriteBytes('html', ready.whole, options), init);
 * return new Response(ready.stream.pipeThrough(createRewriteStream('html', options)), init);
 * ```
 */
export async function readyBody(body: ReadableStream<Uint8Array>, max = MAX_WHOLE_BODY): Promise<ReadyBody> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const read = reader.read();
    const s = await settledSoon(read);
    if (s === undefined) return { stream: restOf(chunks, read, reader) };
    if (!s.ok) throw s.error;
    if (s.value.done) return { whole: concat(chunks, size) };
    const chunk: unknown = s.value.value;
    if (!(chunk instanceof Uint8Array)) return { stream: restOf([...chunks, chunk], undefined, reader) };
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size > max) return { stream: restOf(chunks, undefined, reader) };
  }
}
