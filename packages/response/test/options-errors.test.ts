/**
 * Bad options of every adapter are refused at start-up with `ERR_INVALID_OPTIONS`, a message that
 * names the option and the values it takes; bad rules stay `ERR_INVALID_RULE`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSigner, isCfsignError } from '@cfsign/core';
import { describe, expect, it } from 'vitest';
import { createSession, prepareOptions, type SignerMiddlewareOptions } from '../src/index.js';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = createSigner({
  keyPairId: 'K2OPTIONSTEST1',
  privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const rules = { cdn: 'https://d111111abcdef8.cloudfront.net', rules: [{ match: '/private/**' }] };
type Options = SignerMiddlewareOptions<unknown>;

function refusal(options: unknown): unknown {
  try {
    prepareOptions(options as Options);
  } catch (err) {
    return err;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('prepareOptions refuses bad options with ERR_INVALID_OPTIONS', () => {
  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /needs an options object: \{ rules, signer \}/],
    ['options that are not an object', 'rules', /needs an options object/],
    ['a signer that is not a Signer', { rules, signer: {} }, /"signer" must be a Signer: pass createSigner/],
    ['no signer', { rules }, /"signer"/],
    [
      'authorize that is not a function',
      { rules, signer, authorize: true },
      /"authorize" must be a function/,
    ],
    ['onSkip that is not a function', { rules, signer, onSkip: 'log' }, /"onSkip" must be a function/],
    ['an unknown cacheControl', { rules, signer, cacheControl: 'sometimes' }, /"cacheControl" must be/],
    ['a referrerPolicy with a line break', { rules, signer, referrerPolicy: 'a\nb' }, /"referrerPolicy"/],
    [
      'onLinkError other than throw/skip',
      { rules, signer, onLinkError: 'ignore' },
      /"onLinkError".*"ignore"/,
    ],
    ['cssComments other than rewrite/skip', { rules, signer, cssComments: 'drop' }, /"cssComments".*"drop"/],
    ['a negative maxJsonBytes', { rules, signer, maxJsonBytes: -1 }, /"maxJsonBytes".*positive integers/],
    ['a fractional maxTokenBytes', { rules, signer, maxTokenBytes: 1.5 }, /"maxTokenBytes"/],
    ['signJson keys that are not names', { rules, signer, signJson: { keys: [1] } }, /"signJson" must be/],
    ['a memo with a negative ttl', { rules, signer, memo: { ttl: -1 } }, /"memo" must be false or/],
    ['a memo of zero entries', { rules, signer, memo: { maxEntries: 0 } }, /"memo"/],
  ])('%s', (_name, options, message) => {
    const err = refusal(options);
    expect(isCfsignError(err, 'ERR_INVALID_OPTIONS'), String(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  it('keeps ERR_INVALID_RULE for bad rules', () => {
    expect(refusal({ rules: { ...rules, rules: [] }, signer })).toMatchObject({ code: 'ERR_INVALID_RULE' });
    expect(refusal({ rules: null, signer })).toMatchObject({ code: 'ERR_INVALID_RULE' });
  });

  it('accepts every documented form', () => {
    for (const extra of [
      { onLinkError: 'skip', cssComments: 'skip', maxJsonBytes: 10, maxTokenBytes: 10 },
      {
        cacheControl: { maxAge: 'shortest' },
        memo: false,
        signJson: { keys: ['src'], untrustedKeys: ['bio'] },
      },
      {
        cacheControl: false,
        referrerPolicy: 'strict-origin-when-cross-origin',
        memo: { ttl: 0, maxEntries: 1 },
      },
    ])
      expect(() => prepareOptions({ rules, signer, ...extra } as Options)).not.toThrow();
  });
});

describe('a session with a page URL that is not absolute', () => {
  it('is refused with ERR_INVALID_URL naming "request.url"', () => {
    const prepared = prepareOptions({ rules, signer });
    expect(() => createSession(prepared, { url: '/relative', clientIp: undefined, req: null })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_URL', message: expect.stringMatching(/"request\.url"/) }),
    );
  });
});
