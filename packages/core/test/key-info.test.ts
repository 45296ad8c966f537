/**
 * Key recognition from DER (src/keys/key-info.ts), which both backends run on PEM text: PKCS#8
 * (RFC 5208), PKCS#1 (RFC 8017 A.1), SEC1 (RFC 5915) and SPKI (RFC 5280 4.1, RFC 5480). Structures
 * are built from the fixture keys, then bent one field at a time: each bent one is refused with a coded
 * `CfsignError` (never a `TypeError` from reading a field that is not there).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { derElement, OID, readDer } from '../src/keys/asn1.js';
import { privateKeyInfo, publicKeyInfo } from '../src/keys/key-info.js';
import { backends, E2030, KEY_ID, key, NOW } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const bytes = (...b: number[]) => Uint8Array.from(b);
const SEQ = (...parts: Uint8Array[]) => derElement(0x30, ...parts);
const SET = (...parts: Uint8Array[]) => derElement(0x31, ...parts);
const INT = (contents: Uint8Array) => derElement(0x02, contents);
const OCTETS = (contents: Uint8Array) => derElement(0x04, contents);
const BITS = (contents: Uint8Array) => derElement(0x03, bytes(0), contents);
const OBJ = (oid: Uint8Array) => derElement(0x06, oid);
const NULL = bytes(0x05, 0x00);
const V0 = INT(bytes(0));
const V1 = INT(bytes(1));
/** A SEQUENCE whose last child claims more bytes than there are. */
const CUT = SEQ(bytes(0x06, 0x09, 0x2a));
/** id-ecDH (1.3.132.1.12, RFC 5480): an EC key for key agreement only. */
const EC_DH = bytes(0x2b, 0x81, 0x04, 0x01, 0x0c);

/** A PEM block of `label` around `der` (built, so that no key-shaped text sits in the source). */
const pem = (label: string, der: Uint8Array | string) =>
  `-----BEGIN ${label}-----\n${typeof der === 'string' ? der : Buffer.from(der).toString('base64')}\n-----END ${label}-----\n`;

/** The complete child elements (header included) of the SEQUENCE at the start of `der`. */
function elements(der: Uint8Array): Uint8Array[] {
  const seq = readDer(der, 0)!;
  const out: Uint8Array[] = [];
  for (let pos = seq.start; pos < seq.end; ) {
    const node = readDer(der, pos, seq.end)!;
    out.push(der.subarray(pos, node.next));
    pos = node.next;
  }
  return out;
}
const contents = (element: Uint8Array) => {
  const node = readDer(element, 0)!;
  return element.subarray(node.start, node.end);
};

const rsaPrivate = createPrivateKey(key('rsa-pkcs8.pem'));
const RSA_PKCS1 = new Uint8Array(rsaPrivate.export({ type: 'pkcs1', format: 'der' }));
const RSA_PKCS1_PUBLIC = new Uint8Array(createPublicKey(rsaPrivate).export({ type: 'pkcs1', format: 'der' }));
const [MODULUS, EXPONENT] = elements(RSA_PKCS1_PUBLIC) as [Uint8Array, Uint8Array];
const ALG_RSA = SEQ(OBJ(OID.rsaEncryption), NULL);
const ecPrivate = createPrivateKey(key('ec-pkcs8.pem'));
// SEC1 ECPrivateKey: version 1, the private key OCTET STRING, [0] the curve, [1] the public point.
const [, EC_KEY, EC_CURVE, EC_POINT] = elements(
  new Uint8Array(ecPrivate.export({ type: 'sec1', format: 'der' })),
) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
const EC_SPKI = new Uint8Array(createPublicKey(ecPrivate).export({ type: 'spki', format: 'der' }));
const EC_PUBLIC_BITS = elements(EC_SPKI)[1]!;

const refused = (f: () => unknown, code: string) =>
  expect(f).toThrow(expect.objectContaining({ name: 'CfsignError', code }));
const FORMAT = 'ERR_UNSUPPORTED_KEY_FORMAT';
const TYPE = 'ERR_UNSUPPORTED_KEY_TYPE';

describe('private key blocks', () => {
  test('a private key block whose base64 is broken is ERR_UNSUPPORTED_KEY_FORMAT, encrypted or not', () => {
    for (const label of ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'])
      refused(() => privateKeyInfo(pem(label, 'MII!!!not base64')), FORMAT);
  });
});

describe('PKCS#8 PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier, OCTET STRING key }', () => {
  const P8 = (...parts: Uint8Array[]) => pem('PRIVATE KEY', SEQ(...parts));

  test('the fixture key rebuilt from its parts is recognised as it is (the bent ones below start here)', () => {
    const info = privateKeyInfo(P8(V0, ALG_RSA, OCTETS(RSA_PKCS1)));
    expect(info).toMatchObject({ type: 'rsa', bits: 2048 });
    expect(Buffer.from(info.der)).toEqual(Buffer.from(SEQ(V0, ALG_RSA, OCTETS(RSA_PKCS1))));
  });

  test('not DER, not a SEQUENCE, or a child cut short: ERR_UNSUPPORTED_KEY_FORMAT', () => {
    refused(() => privateKeyInfo(pem('PRIVATE KEY', bytes(0x68, 0x65, 0x6c, 0x6c, 0x6f))), FORMAT);
    refused(() => privateKeyInfo(pem('PRIVATE KEY', SET(V0, ALG_RSA, OCTETS(RSA_PKCS1)))), FORMAT);
    refused(() => privateKeyInfo(pem('PRIVATE KEY', CUT)), FORMAT);
  });

  test('a missing or mistagged algorithm or key field: ERR_UNSUPPORTED_KEY_FORMAT', () => {
    refused(() => privateKeyInfo(P8(V0)), FORMAT);
    refused(() => privateKeyInfo(P8(V0, SET(OBJ(OID.rsaEncryption), NULL), OCTETS(RSA_PKCS1))), FORMAT);
    refused(() => privateKeyInfo(P8(V0, ALG_RSA)), FORMAT);
    // The key as a BIT STRING instead of an OCTET STRING.
    refused(() => privateKeyInfo(P8(V0, ALG_RSA, derElement(0x03, RSA_PKCS1))), FORMAT);
  });

  test('the algorithm must start with an OBJECT IDENTIFIER', () => {
    refused(() => privateKeyInfo(P8(V0, SEQ(), OCTETS(RSA_PKCS1))), FORMAT);
    refused(() => privateKeyInfo(P8(V0, CUT, OCTETS(RSA_PKCS1))), FORMAT);
    refused(() => privateKeyInfo(P8(V0, SEQ(INT(OID.rsaEncryption), NULL), OCTETS(RSA_PKCS1))), FORMAT);
  });

  test('an EC key takes its curve from the algorithm parameters, read only as an OBJECT IDENTIFIER', () => {
    // The inner SEC1 key has no [0] curve, so the AlgorithmIdentifier is the only place it can be.
    const sec1 = OCTETS(SEQ(V1, EC_KEY, EC_POINT));
    expect(privateKeyInfo(P8(V0, SEQ(OBJ(OID.ecPublicKey), OBJ(OID.prime256v1)), sec1))).toMatchObject({
      type: 'ec',
      bits: 256,
    });
    refused(() => privateKeyInfo(P8(V0, SEQ(OBJ(OID.ecPublicKey)), sec1)), TYPE);
    refused(() => privateKeyInfo(P8(V0, SEQ(OBJ(OID.ecPublicKey), OCTETS(OID.prime256v1)), sec1)), TYPE);
  });
});

describe('PKCS#1 RSAPrivateKey: SEQUENCE { version, INTEGER modulus, … }', () => {
  const P1 = (der: Uint8Array) => pem('RSA PRIVATE KEY', der);
  const rest = elements(RSA_PKCS1).slice(2);

  test('not DER, not a SEQUENCE, a child cut short, or no INTEGER modulus: ERR_UNSUPPORTED_KEY_FORMAT', () => {
    expect(privateKeyInfo(P1(SEQ(V0, MODULUS, ...rest)))).toMatchObject({ type: 'rsa', bits: 2048 });
    refused(() => privateKeyInfo(P1(bytes(0x68, 0x65, 0x6c, 0x6c, 0x6f))), FORMAT);
    refused(() => privateKeyInfo(P1(SET(V0, MODULUS, ...rest))), FORMAT);
    refused(() => privateKeyInfo(P1(CUT)), FORMAT);
    refused(() => privateKeyInfo(P1(SEQ(V0))), FORMAT);
    refused(() => privateKeyInfo(P1(SEQ(V0, OCTETS(contents(MODULUS)), ...rest))), FORMAT);
  });

  test('the key size counts the significant bits of the modulus, not its bytes', () => {
    // 2048 bits written with two redundant zero bytes in front are still 2048 bits.
    const padded = INT(bytes(0, 0, ...contents(MODULUS).subarray(1)));
    expect(privateKeyInfo(P1(SEQ(V0, padded, ...rest)))).toMatchObject({ bits: 2048 });
    // One bit short (the top byte's high bit clear): 2047 bits, refused.
    const short = contents(MODULUS).slice(1);
    short[0] = 0x7f;
    refused(() => privateKeyInfo(P1(SEQ(V0, INT(short), ...rest))), TYPE);
  });
});

describe('SEC1 ECPrivateKey: SEQUENCE { version, OCTET STRING key, [0] curve, [1] public point }', () => {
  const EC = (der: Uint8Array) => pem('EC PRIVATE KEY', der);

  test('not DER, not a SEQUENCE, a child cut short, or no OCTET STRING key: ERR_UNSUPPORTED_KEY_FORMAT', () => {
    expect(privateKeyInfo(EC(SEQ(V1, EC_KEY, EC_CURVE, EC_POINT)))).toMatchObject({ type: 'ec', bits: 256 });
    refused(() => privateKeyInfo(EC(bytes(0x68, 0x65, 0x6c, 0x6c, 0x6f))), FORMAT);
    refused(() => privateKeyInfo(EC(SET(V1, EC_KEY, EC_CURVE, EC_POINT))), FORMAT);
    refused(() => privateKeyInfo(EC(CUT)), FORMAT);
    refused(() => privateKeyInfo(EC(SEQ(V1))), FORMAT);
    refused(() => privateKeyInfo(EC(SEQ(V1, INT(contents(EC_KEY)), EC_CURVE, EC_POINT))), FORMAT);
  });

  test('the curve comes from the [0] field only, as an OBJECT IDENTIFIER; the public point from [1] after the key', () => {
    // The P-256 OID elsewhere (a stray SEQUENCE), under [0] as an INTEGER, or [0] cut short: no curve.
    refused(() => privateKeyInfo(EC(SEQ(V1, EC_KEY, EC_POINT, SEQ(OBJ(OID.prime256v1))))), TYPE);
    refused(() => privateKeyInfo(EC(SEQ(V1, EC_KEY, derElement(0xa0, INT(OID.prime256v1)), EC_POINT))), TYPE);
    refused(
      () => privateKeyInfo(EC(SEQ(V1, EC_KEY, derElement(0xa0, bytes(0x06, 0x09, 0x2a)), EC_POINT))),
      TYPE,
    );
    // A [1] in the version's place is not a public point.
    refused(() => privateKeyInfo(EC(SEQ(EC_POINT, EC_KEY, EC_CURVE))), FORMAT);
  });
});

describe('public keys', () => {
  const rsaPublicPem = createPublicKey(rsaPrivate).export({ type: 'pkcs1', format: 'pem' }) as string;

  test.each(backends)(
    'an "RSA PUBLIC KEY" (PKCS#1) block verifies on the %s backend, as its SPKI form',
    async (_n, api) => {
      expect(rsaPublicPem).toMatch(/^-----BEGIN RSA PUBLIC KEY-----/);
      const info = publicKeyInfo(rsaPublicPem);
      expect(info).toMatchObject({ type: 'rsa', bits: 2048 });
      const spki = createPublicKey(rsaPrivate).export({ type: 'spki', format: 'der' });
      expect(Buffer.from(info.der)).toEqual(spki);
      const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });
      const url = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
      const verdict = await api.verifySignedUrl(url, { keys: { [KEY_ID]: rsaPublicPem }, now: NOW });
      expect(verdict).toMatchObject({ ok: true });
    },
  );

  test('PKCS#1 RSAPublicKey: not DER, not a SEQUENCE, a child cut short, or no INTEGER modulus: ERR_UNSUPPORTED_KEY_FORMAT', () => {
    const P1 = (der: Uint8Array) => pem('RSA PUBLIC KEY', der);
    expect(publicKeyInfo(P1(SEQ(MODULUS, EXPONENT)))).toMatchObject({ type: 'rsa', bits: 2048 });
    refused(() => publicKeyInfo(P1(bytes(0x68, 0x65, 0x6c, 0x6c, 0x6f))), FORMAT);
    refused(() => publicKeyInfo(P1(SET(MODULUS, EXPONENT))), FORMAT);
    refused(() => publicKeyInfo(P1(CUT)), FORMAT);
    refused(() => publicKeyInfo(P1(SEQ())), FORMAT);
    refused(() => publicKeyInfo(P1(SEQ(OCTETS(contents(MODULUS)), EXPONENT))), FORMAT);
  });

  test('SPKI: SEQUENCE { AlgorithmIdentifier, BIT STRING }, else ERR_UNSUPPORTED_KEY_FORMAT', () => {
    const SPKI = (der: Uint8Array) => pem('PUBLIC KEY', der);
    const bits = BITS(RSA_PKCS1_PUBLIC);
    expect(publicKeyInfo(SPKI(SEQ(ALG_RSA, bits)))).toMatchObject({ type: 'rsa', bits: 2048 });
    refused(() => publicKeyInfo(SPKI(bytes(0x68, 0x65, 0x6c, 0x6c, 0x6f))), FORMAT);
    refused(() => publicKeyInfo(SPKI(SET(ALG_RSA, bits))), FORMAT);
    refused(() => publicKeyInfo(SPKI(CUT)), FORMAT);
    refused(() => publicKeyInfo(SPKI(SEQ())), FORMAT);
    refused(() => publicKeyInfo(SPKI(SEQ(SET(OBJ(OID.rsaEncryption), NULL), bits))), FORMAT);
    refused(() => publicKeyInfo(SPKI(SEQ(ALG_RSA))), FORMAT);
    refused(() => publicKeyInfo(SPKI(SEQ(ALG_RSA, OCTETS(bytes(0, ...RSA_PKCS1_PUBLIC))))), FORMAT);
    refused(() => publicKeyInfo(SPKI(SEQ(SEQ(), bits))), FORMAT);
    refused(() => publicKeyInfo(SPKI(SEQ(CUT, bits))), FORMAT);
  });

  test('SPKI algorithms: RSA, or EC on P-256; anything else is ERR_UNSUPPORTED_KEY_TYPE', () => {
    const SPKI = (der: Uint8Array) => pem('PUBLIC KEY', der);
    expect(publicKeyInfo(SPKI(EC_SPKI))).toMatchObject({ type: 'ec', bits: 256 });
    const p384 = createPublicKey(key('ec-p384.pem')).export({ type: 'spki', format: 'pem' }) as string;
    refused(() => publicKeyInfo(p384), TYPE);
    refused(() => publicKeyInfo(SPKI(SEQ(SEQ(OBJ(OID.ecPublicKey)), EC_PUBLIC_BITS))), TYPE);
    // An ECDH-only key on P-256 is not an ECDSA key.
    refused(() => publicKeyInfo(SPKI(SEQ(SEQ(OBJ(EC_DH), OBJ(OID.prime256v1)), EC_PUBLIC_BITS))), TYPE);
    const ed25519 = generateKeyPairSync('ed25519').publicKey.export({
      type: 'spki',
      format: 'pem',
    }) as string;
    refused(() => publicKeyInfo(ed25519), TYPE);
  });
});
