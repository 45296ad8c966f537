/**
 * A page rewritten whole leaves its output held as the newest one (see `keepLatestOutput` in
 * `@cfsign/response`), except an output written into reused memory (`allocate`), which is not the
 * page's own.
 */
import { createSession, keepLatestOutput, prepareOptions } from '@cfsign/response';
import { describe, expect, it } from 'vitest';
import { keptOutput } from '../../response/src/latest-output.js';
import { rewriteWhole } from '../src/whole-body.js';
import { RULES, signer } from './helpers.js';

const prepared = prepareOptions({ rules: RULES, signer, memo: false });
const session = () =>
  createSession(prepared, { url: 'https://www.example.com/p', clientIp: undefined, req: {} });
const page = '<!doctype html><img src="/private/a.jpg">';

describe('rewriteWhole', () => {
  it('holds its output as the newest page output', async () => {
    keepLatestOutput(new Uint8Array(1));
    const out = await rewriteWhole(session(), null, 'html', undefined, page);
    expect(new TextDecoder().decode(out)).toContain('Signature=');
    expect(keptOutput()).toBe(out);
  });

  it('does not hold an output written into memory from `allocate`', async () => {
    const marker = keepLatestOutput(new Uint8Array(1));
    const scratch = new Uint8Array(4096);
    const out = await rewriteWhole(session(), null, 'html', undefined, page, (n) => scratch.subarray(0, n));
    expect(out.buffer).toBe(scratch.buffer);
    expect(keptOutput()).toBe(marker);
  });
});
