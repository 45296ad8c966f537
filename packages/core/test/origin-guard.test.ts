import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCfsignError } from '../src/errors.js';
import { checkOriginSecret, createOriginSecretCheck } from '../src/origin-guard.js';

const CURRENT = 'current-7f3a9c1e5b2d4f60a8e1';
const PREVIOUS = 'previous-0b9d8c7a6f5e4d3c2b1a';
const options = { header: 'X-Origin-Secret', secrets: [CURRENT, PREVIOUS] };

function expectConfigError(fn: () => unknown, forbidden?: string): void {
  try {
    fn();
  } catch (err) {
    expect(isCfsignError(err, 'ERR_INVALID_ORIGIN_SECRET')).toBe(true);
    if (forbidden) expect((err as Error).message).not.toContain(forbidden);
    return;
  }
  throw new Error('expected a configuration error');
}

describe('checkOriginSecret', () => {
  it('accepts the current and the previous secret (rotation)', async () => {
    expect(await checkOriginSecret({ 'x-origin-secret': CURRENT }, options)).toBe(true);
    expect(await checkOriginSecret({ 'x-origin-secret': PREVIOUS }, options)).toBe(true);
  });

  it('refuses a wrong, missing, empty, truncated or extended value', async () => {
    for (const value of [
      'nope',
      '',
      CURRENT.slice(0, -1),
      `${CURRENT}x`,
      ` ${CURRENT}x`,
      CURRENT.toUpperCase(),
    ]) {
      expect(await checkOriginSecret({ 'x-origin-secret': value }, options)).toBe(false);
    }
    expect(await checkOriginSecret({}, options)).toBe(false);
    expect(await checkOriginSecret({ 'x-other': CURRENT }, options)).toBe(false);
  });

  it('reads Web Headers, Node header records and getters', async () => {
    expect(await checkOriginSecret(new Headers({ 'X-Origin-Secret': CURRENT }), options)).toBe(true);
    expect(await checkOriginSecret(new Headers({ 'X-Origin-Secret': 'bad' }), options)).toBe(false);
    expect(
      await checkOriginSecret((name) => (name === 'x-origin-secret' ? PREVIOUS : undefined), options),
    ).toBe(true);
    expect(await checkOriginSecret(() => null, options)).toBe(false);
    expect(await checkOriginSecret({ 'x-origin-secret': [CURRENT] }, options)).toBe(true);
  });

  it('finds no header in headers of another shape, nor in a value that only prints as the secret', async () => {
    for (const headers of [null, undefined, 42, 'x-origin-secret'])
      expect(await checkOriginSecret(headers as never, options)).toBe(false);
    // A header named "0" must not read the first character of a string handed over as headers.
    const zero = createOriginSecretCheck({ header: '0', secrets: 'c' });
    expect(await zero({ 0: 'c' })).toBe(true);
    expect(await zero('c' as never)).toBe(false);
    const lookalike = { length: 1, toString: () => CURRENT };
    expect(await checkOriginSecret(() => lookalike as never, options)).toBe(false);
    expect(await checkOriginSecret(() => [lookalike] as never, options)).toBe(false);
  });

  it('refuses a duplicated header, even when one copy is right', async () => {
    expect(await checkOriginSecret({ 'x-origin-secret': [CURRENT, 'other'] }, options)).toBe(false);
    expect(await checkOriginSecret({ 'x-origin-secret': [CURRENT, CURRENT] }, options)).toBe(false);
    const joined = new Headers();
    joined.append('x-origin-secret', CURRENT);
    joined.append('x-origin-secret', CURRENT);
    expect(await checkOriginSecret(joined, options)).toBe(false);
  });

  it('accepts a single secret given as a string', async () => {
    const check = createOriginSecretCheck({ header: 'x-origin-secret', secrets: CURRENT });
    expect(await check({ 'x-origin-secret': CURRENT })).toBe(true);
    expect(await check({ 'x-origin-secret': PREVIOUS })).toBe(false);
  });

  it('rejects bad configuration up front, without echoing secrets', async () => {
    expectConfigError(() => createOriginSecretCheck({ header: 'x-origin-secret', secrets: [] }));
    expectConfigError(() => createOriginSecretCheck({ header: 'x-origin-secret', secrets: '' }));
    expectConfigError(() => createOriginSecretCheck({ header: 'x-origin-secret', secrets: [CURRENT, ''] }));
    expectConfigError(() =>
      createOriginSecretCheck({ header: 'x-origin-secret', secrets: [CURRENT, 42 as unknown as string] }),
    );
    expectConfigError(() =>
      createOriginSecretCheck({ header: 'x-origin-secret', secrets: ' padded-secret' }),
    );
    expectConfigError(
      () => createOriginSecretCheck({ header: 'x-origin-secret', secrets: 'line\r\nbreak-secret' }),
      'line',
    );
    expectConfigError(() => createOriginSecretCheck({ header: 'x origin secret', secrets: CURRENT }));
    expectConfigError(() => createOriginSecretCheck({ header: '', secrets: CURRENT }));
    expectConfigError(() => createOriginSecretCheck(undefined as never));
    // The one-shot form returns a promise: it reports the misconfiguration by rejection, never a throw.
    const pending = checkOriginSecret({}, { header: 'x-origin-secret', secrets: [] });
    await expect(pending).rejects.toMatchObject({ code: 'ERR_INVALID_ORIGIN_SECRET' });
  });

  it('matches exactly the accepted secrets (property)', async () => {
    const printable = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
    await fc.assert(
      fc.asyncProperty(printable, printable, async (secret, presented) => {
        const check = createOriginSecretCheck({ header: 'x-s', secrets: [secret] });
        expect(await check({ 'x-s': presented })).toBe(presented === secret);
        expect(await check({ 'x-s': secret })).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
