/**
 * The signer of a command's `--key-pair-id` and `--private-key` flags (`sign`, `rewrite`).
 * @module
 */
import { createSigner, isCfsignError, type Signer } from '@cfsign/core';
import { readFlagFile } from './files.js';
import { InputError, UsageError } from './io.js';

/**
 * Reads the private key file, takes the passphrase of an encrypted key from `CFSIGN_PASSPHRASE`,
 * and builds a signer (uncached unless `cache`); a missing or wrong passphrase is told in the CLI's
 * terms.
 *
 * @example
 * ```ts
 * const signer = signerFromFlags(values['key-pair-id'], values['private-key'], io.cwd);
 * ```
 */
export function signerFromFlags(
  keyPairId: string | undefined,
  privateKeyFlag: string | undefined,
  cwd: string,
  cache = false,
): Signer {
  requireKeyPairId(keyPairId);
  const privateKey = readFlagFile('private-key', privateKeyFlag, cwd);
  const passphrase = process.env.CFSIGN_PASSPHRASE;
  try {
    return createSigner({ keyPairId, privateKey, cache, ...(passphrase ? { passphrase } : {}) });
  } catch (err) {
    if (isCfsignError(err) && err.code === 'ERR_KEY_PASSPHRASE')
      throw new InputError(
        passphrase
          ? 'the private key is encrypted and CFSIGN_PASSPHRASE does not open it; set CFSIGN_PASSPHRASE to its passphrase.'
          : 'the private key is encrypted; set its passphrase in the CFSIGN_PASSPHRASE environment variable.',
      );
    throw err;
  }
}

/**
 * Throws the usage error of a missing `--key-pair-id`.
 *
 * @example
 * ```ts
 * requireKeyPairId(values['key-pair-id']);
 * ```
 */
export function requireKeyPairId(keyPairId: string | undefined): asserts keyPairId is string {
  if (!keyPairId)
    throw new UsageError(
      '--key-pair-id is required (the ID of the public key in your CloudFront key group, K...).',
    );
}
