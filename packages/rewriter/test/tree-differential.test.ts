// Tree differential: generated documents with probe links at many positions, the truth from
// parse5 tree construction (scripting on), the rewriter run on each document whole, split at
// every byte offset, fed one byte at a time and in random chunkings. Zero probes missed, zero
// corrupted (the output's tree is the input's tree with exactly the link probes rewritten), and
// the output is the same under every chunking.
//
// Seeded; CFSIGN_DIFF_LONG=1 runs many more documents (set CFSIGN_DIFF_SEED to vary the seed).
//
// `<select>`: browsers relaxed the select content model in 2025 (tags inside are inserted as in
// `<body>`); parse5 8 still drops them. The rewriter follows the browsers; the generator keeps
// to select content both rule sets tokenize alike, and a probe that parse5 drops is free.
import { describe, expect, it } from 'vitest';
import { createEngine, type RewriteStreamOptions } from '../src/resolver-rewriter.js';
import { DocGen, rng } from './helpers/doc-grammar.js';
import { treeTruth } from './helpers/tree-truth.js';

const LONG = process.env.CFSIGN_DIFF_LONG === '1';
const SEED = Number(process.env.CFSIGN_DIFF_SEED ?? 13);
const DOCS = LONG ? 5000 : 250;

const enc = new TextEncoder();
const dec = new TextDecoder();
const PROBE = /^\/p\/\d+\.x$/;
const opts = (): RewriteStreamOptions => ({ resolve: (u) => (PROBE.test(u) ? `${u}?sig` : null) });

function run(chunks: Uint8Array[]): string {
  const engine = createEngine('html', opts());
  const parts: Uint8Array[] = [];
  for (const c of chunks) parts.push(engine.push(c, false) as Uint8Array);
  parts.push(engine.push(new Uint8Array(0), true) as Uint8Array);
  return parts.map((p) => dec.decode(p, { stream: true })).join('') + dec.decode();
}

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.subarray(p, c));
    p = c;
  }
  return out;
}

/** Missed and corrupted probes of one output, against the input's truth. */
function check(input: string, output: string) {
  const truth = treeTruth(input, (t, where) => (where === 'sign' ? t.replace(/\/p\/\d+\.x/g, '$&?sig') : t));
  const signed = new Set([...output.matchAll(/\/p\/(\d+)\.x\?sig/g)].map((m) => +m[1]!));
  const missed = [...truth.sign].filter((n) => !signed.has(n));
  const corrupted = [...truth.keep].filter((n) => signed.has(n));
  const got = treeTruth(output, (t, where) =>
    where === 'free' ? t.replace(/(\/p\/\d+\.x)\?sig/g, '$1') : t,
  );
  return { missed, corrupted, treeEqual: got.canon.join('\n') === truth.canon.join('\n'), truth };
}

describe('tree differential against parse5 tree construction', () => {
  it(`${DOCS} generated documents: none missed, none corrupted, chunk-independent (seed ${SEED})`, () => {
    const random = rng(SEED ^ 0x5eed);
    let probes = 0;
    let signed = 0;
    let runs = 0;
    for (let d = 0; d < DOCS; d++) {
      const gen = new DocGen(SEED * 100_003 + d);
      const doc = gen.document();
      const bytes = enc.encode(doc);
      const whole = run([bytes]);
      const r = check(doc, whole);
      const where = `seed ${SEED} doc ${d}: ${doc}`;
      expect(r.missed, `missed in ${where}\n${whole}`).toEqual([]);
      expect(r.corrupted, `corrupted in ${where}\n${whole}`).toEqual([]);
      expect(r.treeEqual, `tree changed beyond the links in ${where}\n${whole}`).toBe(true);
      probes += gen.probes;
      signed += r.truth.sign.size;
      // every split point (two chunks), byte by byte, and random chunkings
      for (let at = 1; at < bytes.length; at++) {
        expect(run(chunked(bytes, [at])), `${where} split @${at}`).toBe(whole);
        runs++;
      }
      const bytewise = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      expect(run(chunked(bytes, bytewise)), `${where} byte by byte`).toBe(whole);
      for (let k = 0; k < 4; k++) {
        const cuts: number[] = [];
        for (let p = 1 + Math.floor(random() * 12); p < bytes.length; p += 1 + Math.floor(random() * 12))
          cuts.push(p);
        expect(run(chunked(bytes, cuts)), `${where} chunks ${cuts.join(',')}`).toBe(whole);
      }
      runs += 6;
    }
    // the generator reaches enough links, and enough decoys, to mean something
    expect(signed).toBeGreaterThan(DOCS * 2);
    expect(probes - signed).toBeGreaterThan(DOCS * 2);
    expect(runs).toBeGreaterThan(DOCS * 100);
  }, 600_000);
});
