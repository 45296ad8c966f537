import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { nodeBackend } from '../src/crypto/node.js';
import { webBackend } from '../src/crypto/web.js';

interface Vector {
  tcId: number;
  comment: string;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}
interface Group {
  publicKeyPem: string;
  tests: Vector[];
}

const load = (file: string): Group[] =>
  JSON.parse(readFileSync(new URL(`./fixtures/wycheproof/${file}`, import.meta.url), 'utf8')).testGroups;

const suites = [
  ['RSA-2048 PKCS#1 v1.5 SHA-256', 'rsa_signature_2048_sha256_test.json'],
  ['ECDSA P-256 SHA-256 DER', 'ecdsa_secp256r1_sha256_test.json'],
] as const;

describe.each([nodeBackend, webBackend])(
  'Wycheproof through the verifier signature check ($name backend)',
  (backend) => {
    test.each(suites)(
      '%s: every valid vector verifies, every invalid one is refused',
      async (_title, file) => {
        const groups = load(file);
        let checked = 0;
        const wrong: string[] = [];
        for (const group of groups) {
          const key = backend.importPublicKey(group.publicKeyPem);
          for (const v of group.tests) {
            const ok = await key.verify(Buffer.from(v.msg, 'hex'), Buffer.from(v.sig, 'hex'), 'SHA256');
            checked++;
            if (v.result === 'valid' && !ok) wrong.push(`tcId ${v.tcId} (${v.comment}) valid but refused`);
            if (v.result === 'invalid' && ok)
              wrong.push(`tcId ${v.tcId} (${v.comment}) invalid but accepted`);
          }
        }
        expect(wrong).toEqual([]);
        expect(checked).toBeGreaterThan(200);
      },
    );
  },
);
