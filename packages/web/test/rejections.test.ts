/**
 * A function that returns a Promise reports every failure by rejection, never by a synchronous
 * throw: `await` and `.catch()` see the same error. Construction (`createWebSigner`) is not async
 * and refuses bad options at once, at start-up.
 */
import { isCfsignError } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { signer } from '../../../test/adapters/harness.js';
import { createWebSigner, signResponse } from '../src/index.js';

const rules = { cdn: 'https://cdn.example.com', rules: [{ match: '/private/**' }] };
const page = () => new Response('<img src="/private/a.jpg">', { headers: { 'content-type': 'text/html' } });

/** Calls `fn`, which must not throw, and returns what its promise rejects with. */
async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  let pending: Promise<unknown> | undefined;
  expect(() => {
    pending = fn();
  }, 'no synchronous throw').not.toThrow();
  expect(pending).toBeInstanceOf(Promise);
  return pending!.then(
    (v) => {
      throw new Error(`resolved with ${String(v)}`);
    },
    (err: unknown) => err,
  );
}

describe('signResponse reports bad options by rejection', () => {
  it.each<[string, object, string, RegExp]>([
    [
      'a signer that is not a Signer: ERR_INVALID_OPTIONS',
      { rules, signer: {} },
      'ERR_INVALID_OPTIONS',
      /"signer"/,
    ],
    [
      'a bad cacheControl: ERR_INVALID_OPTIONS',
      { rules, signer, cacheControl: 'sometimes' },
      'ERR_INVALID_OPTIONS',
      /"cacheControl"/,
    ],
    [
      'no rules: ERR_INVALID_RULE',
      { rules: { ...rules, rules: [] }, signer },
      'ERR_INVALID_RULE',
      /"rules" must be a non-empty array/,
    ],
  ])('%s', async (_name, options, code, message) => {
    const err = await rejection(() =>
      signResponse(new Request('https://www.example.com/'), page(), options as never),
    );
    expect(isCfsignError(err, code as never), String(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  it('a request or a response that is not one: rejects with ERR_INVALID_ARGUMENT naming it', async () => {
    const options = { rules, signer };
    expect(await rejection(() => signResponse(undefined as never, page(), options))).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(/the Fetch Request being answered as "request"/),
    });
    expect(
      await rejection(() => signResponse(new Request('https://www.example.com/'), '<p>' as never, options)),
    ).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(/Fetch Response to sign/),
    });
  });

  it('rejects again on the next call with the same options (a refusal is not cached as a signer)', async () => {
    const options = { rules, signer: {} } as never;
    for (let i = 0; i < 2; i++)
      expect(
        await rejection(() => signResponse(new Request('https://www.example.com/'), page(), options)),
      ).toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });

  it('signs with good options (the same call that rejected above)', async () => {
    const res = await signResponse(new Request('https://www.example.com/'), page(), { rules, signer });
    expect(await res.text()).toMatch(/Signature=/);
  });
});

describe('createWebSigner', () => {
  it('refuses bad options at once, at start-up (it is not async)', () => {
    expect(() => createWebSigner({ rules, signer: {} as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });

  it('per-request signUrl rejects (never throws) when the page URL cannot be signed against', async () => {
    const web = createWebSigner({ rules, signer });
    // A Request may carry a file: URL; links cannot be resolved against it.
    const signing = web.begin(new Request('file:///srv/page.html'));
    const err = await rejection(() => signing.signUrl('/private/a.jpg'));
    expect(err).toMatchObject({ code: 'ERR_INVALID_URL', message: expect.stringMatching(/"request\.url"/) });
    expect(await rejection(() => signing.sign(page()))).toMatchObject({ code: 'ERR_INVALID_URL' });
  });
});
