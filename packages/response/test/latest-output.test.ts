/**
 * The newest page output is held until the next one replaces it (only the reference: nothing reads
 * it), so that its memory stays in use between garbage collections; outputs the page memo keeps
 * already are not held again, and nothing over 2 MiB is held.
 */
import { describe, expect, it } from 'vitest';
import {
  createSession,
  keepLatestOutput,
  MAX_KEPT_OUTPUT,
  prepareOptions,
  signWebResponse,
} from '../src/index.js';
import { keptOutput } from '../src/latest-output.js';
import { CDN, keyPair } from './fixture.js';

const { signer } = keyPair('ec', 'K2LATESTOUTPUT');
const page = '<!doctype html><img src="/private/a.jpg">';
// URL-mode rules only: cookie rules make signatures depend on the client, and then there is no memo.
const rules = {
  cdn: CDN,
  origins: ['https://www.example.com'],
  rules: [{ match: '/private/**', expiresIn: '10m' }],
};

/** Signs a page through the Web path with the memo on or off; returns the output bytes. */
async function signPage(memo: boolean, body = page) {
  const prepared = prepareOptions({ rules, signer, ...(memo ? {} : { memo: false as const }) });
  const request = new Request('https://www.example.com/p');
  const response = new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  const out = await signWebResponse(request, response, {
    signJson: false,
    begin: () => ({
      prepared,
      session: createSession(prepared, { url: request.url, clientIp: undefined, req: request }),
    }),
    knownBody: () => body,
  });
  return new Uint8Array(await out.arrayBuffer());
}

describe('keepLatestOutput', () => {
  it('holds the newest output, replacing the one before; a promise once it resolves', async () => {
    const a = new Uint8Array(100);
    const b = new Uint8Array(100);
    expect(keepLatestOutput(a)).toBe(a);
    expect(keptOutput()).toBe(a);
    expect(await keepLatestOutput(Promise.resolve(b))).toBe(b);
    expect(keptOutput()).toBe(b);
  });

  it('does not hold an output over 2 MiB', () => {
    const small = keepLatestOutput(new Uint8Array(10));
    keepLatestOutput(new Uint8Array(MAX_KEPT_OUTPUT + 1));
    expect(keptOutput()).toBe(small);
  });

  it('holds the page rewritten by the Web path when the memo does not keep it', async () => {
    keepLatestOutput(new Uint8Array(1));
    const out = await signPage(false);
    expect(new TextDecoder().decode(keptOutput()!)).toBe(new TextDecoder().decode(out));
    // A page the memo keeps is not held a second time.
    const marker = keepLatestOutput(new Uint8Array(1));
    await signPage(true, `${page}<!-- memo -->`);
    expect(keptOutput()).toBe(marker);
  });
});
