// Tiny benchmark harness: interleaved rounds, median ops/s, machine and versions for the record.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** Runs fn repeatedly for ~ms milliseconds; returns ops/s. fn(i) may return a promise. */
export async function measure(fn, ms = 150) {
  const start = performance.now();
  let ops = 0;
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 16; k++) {
      const r = fn(ops++);
      if (r && typeof r.then === 'function') await r;
    }
    now = performance.now();
  }
  return (ops / (now - start)) * 1000;
}

/** Interleaves the cases over `rounds` rounds and returns the median ops/s of each. */
export async function run(cases, { rounds = 7, ms = 150, warmup = 2 } = {}) {
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let r = 0; r < rounds + warmup; r++) {
    for (const c of cases) {
      const v = await measure(c.fn, ms);
      if (r >= warmup) samples.get(c.name).push(v);
    }
  }
  return cases.map((c) => {
    const s = samples.get(c.name).sort((a, b) => a - b);
    return { ...c, median: s[Math.floor(s.length / 2)] };
  });
}

export function fmt(n) {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

export function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function versionOf(pkg) {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8'))
      .version;
  } catch {
    return 'n/a';
  }
}

/** Replaces the section between <!-- name:start --> and <!-- name:end --> in BENCHMARKS.md. */
export function writeSection(name, markdown) {
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text =
    i !== -1 && j !== -1
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

/**
 * Side-by-side ratio of two cases: alternates short batches of `a` and `b` (so both see the same
 * machine state) and returns the median of the per-pair ratios speed(b) / speed(a).
 */
export async function pairedRatio(a, b, { pairs = 301, batch = 20 } = {}) {
  const time = async (fn, offset) => {
    const start = performance.now();
    for (let i = 0; i < batch; i++) {
      const r = fn(offset + i);
      if (r && typeof r.then === 'function') await r;
    }
    return performance.now() - start;
  };
  for (let w = 0; w < 20; w++) {
    await time(a, w * batch);
    await time(b, w * batch);
  }
  const ratios = [];
  for (let p = 0; p < pairs; p++) {
    const first = p % 2 === 0;
    const ta = first ? await time(a, p * batch) : 0;
    const tb = await time(b, p * batch);
    const ta2 = first ? ta : await time(a, p * batch);
    ratios.push(ta2 / tb);
  }
  ratios.sort((x, y) => x - y);
  return ratios[Math.floor(ratios.length / 2)];
}
