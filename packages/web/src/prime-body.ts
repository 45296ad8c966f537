/**
 * Waiting for the first rewritten bytes, so that an early signing failure becomes an error the
 * framework answers with a 500 (nothing has been sent yet), not a broken 200.
 * @module
 */

/**
 * Reads the first chunk of `response`'s body and returns an equivalent response whose body starts
 * with it (nothing is lost, the rest still streams). Rejects with the body's error if it fails
 * before its first chunk.
 *
 * @example
 * ```ts
 * const signed = await primeBody(await signing.sign(response)); // throws ERR_SIGNER_FAILED of the first links
 * ```
 */
export async function primeBody(response: Response): Promise<Response> {
  if (response.body === null) return response;
  const reader = response.body.getReader();
  const first = await reader.read();
  let head: Uint8Array | undefined = first.done ? undefined : first.value;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (head !== undefined) {
        controller.enqueue(head);
        head = undefined;
        return;
      }
      const next = first.done ? first : await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
