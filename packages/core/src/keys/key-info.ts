/**
 * Recognises RSA and EC keys from their DER bytes (never from the PEM label alone) and re-wraps
 * PKCS#1 / SEC1 keys as PKCS#8 (private) or SPKI (public), the forms WebCrypto imports.
 * @module
 */
import { CfsignError } from '../errors.js';
import { bytesEqual, children, derElement, OID, readDer } from './asn1.js';
import { pemBlocks } from './pem.js';

/** What a key is, once recognised. */
export interface KeyInfo {
  kind: 'private' | 'public';
  type: 'rsa' | 'ec';
  /** RSA modulus size in bits; 256 for P-256. */
  bits: number;
  /** PKCS#8 (private) or SPKI (public) DER. */
  der: Uint8Array;
}

const PRIVATE_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];
const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY'];

const FIX_FORMAT =
  'Pass a PEM "PRIVATE KEY" (PKCS#8), "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1) block; convert others with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem`.';

/** Finds the private key block of a PEM string. Throws a coded error naming what it saw. */
export function findPrivateKeyBlock(pem: string) {
  const blocks = pemBlocks(pem);
  const block = blocks.find((b) => PRIVATE_LABELS.includes(b.label));
  if (!block) {
    const seen = blocks.map((b) => b.label).join(', ') || 'no PEM block';
    const hint = blocks.some((b) => PUBLIC_LABELS.includes(b.label) || b.label === 'CERTIFICATE')
      ? ' That is a public key or certificate: signing needs the private key; the public key goes into the CloudFront key group.'
      : '';
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_FORMAT',
      `The private key has no private key block (found: ${seen}).${hint} ${FIX_FORMAT}`,
    );
  }
  if (block.der.length === 0)
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_FORMAT',
      `The "${block.label}" PEM block is not valid base64. ${FIX_FORMAT}`,
    );
  return block;
}

/** Recognises an unencrypted private key PEM and returns its PKCS#8 form. */
export function privateKeyInfo(pem: string): KeyInfo {
  const block = findPrivateKeyBlock(pem);
  if (block.label === 'ENCRYPTED PRIVATE KEY' || block.headers)
    throw new CfsignError(
      'ERR_KEY_PASSPHRASE',
      'The private key is encrypted. Pass `passphrase` on Node (`@cfsign/core/node`), or decrypt it once with `openssl pkcs8 -topk8 -nocrypt -in enc.pem -out key.pem` for WebCrypto runtimes.',
    );
  const der = block.der;
  if (block.label === 'RSA PRIVATE KEY') return checkKey(rsaInfo(der, 'private', wrapPkcs1Private(der)));
  if (block.label === 'EC PRIVATE KEY') return checkKey(sec1Info(der, null, null));
  return checkKey(pkcs8Info(der));
}

/** Recognises a public key PEM (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`) and returns SPKI DER. */
export function publicKeyInfo(pem: string): KeyInfo {
  const blocks = pemBlocks(pem);
  const block = blocks.find((b) => PUBLIC_LABELS.includes(b.label));
  if (!block || block.der.length === 0)
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_FORMAT',
      `Expected a PEM "PUBLIC KEY" block (found: ${blocks.map((b) => b.label).join(', ') || 'none'}). Derive it with \`openssl pkey -in key.pem -pubout\`.`,
    );
  if (block.label === 'RSA PUBLIC KEY') {
    const spki = derElement(
      0x30,
      algorithmId(OID.rsaEncryption, null),
      derElement(0x03, Uint8Array.of(0), block.der),
    );
    return checkKey(rsaPublicInfo(block.der, spki));
  }
  return checkKey(spkiInfo(block.der));
}

function bad(what: string): never {
  throw new CfsignError('ERR_UNSUPPORTED_KEY_FORMAT', `The key's ${what} could not be read. ${FIX_FORMAT}`);
}

function algorithmId(oid: Uint8Array, curve: Uint8Array | null): Uint8Array {
  return derElement(0x30, derElement(0x06, oid), curve ? derElement(0x06, curve) : Uint8Array.of(0x05, 0x00));
}

function wrapPkcs1Private(pkcs1: Uint8Array): Uint8Array {
  return derElement(
    0x30,
    Uint8Array.of(0x02, 0x01, 0x00),
    algorithmId(OID.rsaEncryption, null),
    derElement(0x04, pkcs1),
  );
}

function integerBits(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && buf[i] === 0) i++;
  if (i === end) return 0;
  return (end - i - 1) * 8 + (32 - Math.clz32(buf[i]!));
}

function rsaInfo(pkcs1: Uint8Array, kind: 'private', der: Uint8Array): KeyInfo {
  const seq = readDer(pkcs1, 0);
  const parts = seq && seq.tag === 0x30 ? children(pkcs1, seq) : null;
  const modulus = parts?.[1];
  if (modulus?.tag !== 0x02) bad('RSA structure');
  return { kind, type: 'rsa', bits: integerBits(pkcs1, modulus.start, modulus.end), der };
}

function rsaPublicInfo(pkcs1: Uint8Array, spki: Uint8Array): KeyInfo {
  const seq = readDer(pkcs1, 0);
  const modulus = seq && seq.tag === 0x30 ? children(pkcs1, seq)?.[0] : undefined;
  if (modulus?.tag !== 0x02) bad('RSA public structure');
  return { kind: 'public', type: 'rsa', bits: integerBits(pkcs1, modulus.start, modulus.end), der: spki };
}

function pkcs8Info(der: Uint8Array): KeyInfo {
  const seq = readDer(der, 0);
  const parts = seq && seq.tag === 0x30 ? children(der, seq) : null;
  const alg = parts?.[1];
  const key = parts?.[2];
  if (!parts || !alg || alg.tag !== 0x30 || !key || key.tag !== 0x04) bad('PKCS#8 structure');
  const algParts = children(der, alg);
  const oid = algParts?.[0];
  if (!algParts || !oid || oid.tag !== 0x06) bad('algorithm');
  const pkcs1 = der.subarray(key.start, key.end);
  if (bytesEqual(der, oid.start, oid.end, OID.rsaEncryption)) return rsaInfo(pkcs1, 'private', der);
  if (bytesEqual(der, oid.start, oid.end, OID.ecPublicKey)) {
    const curve = algParts[1];
    const curveOid = curve && curve.tag === 0x06 ? der.subarray(curve.start, curve.end) : null;
    return sec1Info(pkcs1, curveOid, der);
  }
  throw new CfsignError(
    'ERR_UNSUPPORTED_KEY_TYPE',
    'The key is neither RSA nor EC. CloudFront key groups take RSA-2048 or ECDSA P-256 keys.',
  );
}

function sec1Info(sec1: Uint8Array, curveFromPkcs8: Uint8Array | null, pkcs8: Uint8Array | null): KeyInfo {
  const seq = readDer(sec1, 0);
  const parts = seq && seq.tag === 0x30 ? children(sec1, seq) : null;
  if (parts?.[1]?.tag !== 0x04) bad('EC private key structure');
  let curve = curveFromPkcs8;
  let hasPublic = false;
  for (const p of parts.slice(2)) {
    if (p.tag === 0xa0) {
      const oid = readDer(sec1, p.start, p.end);
      if (oid?.tag === 0x06) curve = sec1.subarray(oid.start, oid.end);
    }
    if (p.tag === 0xa1) hasPublic = true;
  }
  if (!curve || !bytesEqual(curve, 0, curve.length, OID.prime256v1))
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_TYPE',
      'The EC key is not on the P-256 curve. CloudFront accepts ECDSA P-256 keys only: `openssl ecparam -name prime256v1 -genkey -noout`.',
    );
  if (!hasPublic)
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_FORMAT',
      'The EC private key has no public point. Re-export it with `openssl ec -in key.pem -out key-with-public.pem`.',
    );
  const der =
    pkcs8 ??
    derElement(
      0x30,
      Uint8Array.of(0x02, 0x01, 0x00),
      algorithmId(OID.ecPublicKey, OID.prime256v1),
      derElement(0x04, sec1),
    );
  return { kind: 'private', type: 'ec', bits: 256, der };
}

function spkiInfo(der: Uint8Array): KeyInfo {
  const seq = readDer(der, 0);
  const parts = seq && seq.tag === 0x30 ? children(der, seq) : null;
  const alg = parts?.[0];
  const bits = parts?.[1];
  if (!parts || !alg || alg.tag !== 0x30 || !bits || bits.tag !== 0x03) bad('public key structure');
  const algParts = children(der, alg);
  const oid = algParts?.[0];
  if (!algParts || !oid) bad('public key algorithm');
  if (bytesEqual(der, oid.start, oid.end, OID.rsaEncryption))
    return { ...rsaPublicInfo(der.subarray(bits.start + 1, bits.end), der) };
  if (bytesEqual(der, oid.start, oid.end, OID.ecPublicKey)) {
    const curve = algParts[1];
    if (!curve || !bytesEqual(der, curve.start, curve.end, OID.prime256v1))
      throw new CfsignError(
        'ERR_UNSUPPORTED_KEY_TYPE',
        'The EC public key is not on the P-256 curve; CloudFront accepts ECDSA P-256 only.',
      );
    return { kind: 'public', type: 'ec', bits: 256, der };
  }
  throw new CfsignError('ERR_UNSUPPORTED_KEY_TYPE', 'The public key is neither RSA nor EC.');
}

/** Applies CloudFront's key rules: RSA-2048 (other sizes refused) or P-256. */
export function checkKey(info: KeyInfo): KeyInfo {
  if (info.type === 'rsa' && info.bits !== 2048)
    throw new CfsignError(
      'ERR_UNSUPPORTED_KEY_TYPE',
      `The RSA key has ${info.bits} bits; CloudFront key groups accept RSA-2048 only. Generate one with \`openssl genrsa -out key.pem 2048\` or use \`cfsign keygen\`.`,
    );
  return info;
}
