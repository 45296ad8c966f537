// The rewriter against this machine's copy floor and lol-html, in paired rounds of the same run:
// whole buffer (rewriteBytes), 16 KiB pushes through the engine, 16 KiB chunks through the Web
// TransformStream. Prints per-round paired ratios (median) and min-based ratios (robust on a
// busy machine). No assertions: it only measures. Needs `pnpm build` first (imports ../dist).
//
//   node packages/rewriter/bench/copy-floor.bench.mjs --page page.html [--rounds 25] [--iterations 20]
//
// Links under /private/ get a fixed ~400-byte fake signature (as the standard page's spec does),
// so finding and rewriting links is measured, not signing.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    page: { type: 'string' },
    rounds: { type: 'string', default: '25' },
    iterations: { type: 'string', default: '20' },
  },
});
if (values.page === undefined) {
  console.error('usage: copy-floor.bench.mjs --page <file.html> [--rounds n] [--iterations n]');
  process.exit(2);
}
const { rewriteBytes, createEngine, createRewriteStream } = await import('../dist/index.js');
const input = new Uint8Array(readFileSync(values.page));
const inputBuf = Buffer.from(input);
const SIG = `Expires=2000000000&Signature=${'A'.repeat(344)}&Key-Pair-Id=K2JCJMDEHXQW5F`;
const resolve = (u) =>
  u.startsWith('/private/')
    ? `https://d111111abcdef8.cloudfront.net${u}${u.includes('?') ? '&' : '?'}${SIG}`
    : null;
const CHUNK = 16384;

const engines = {
  'copy floor (Buffer.concat + toString)': () => Buffer.concat([inputBuf]).toString(),
  'rewriteBytes, whole buffer': () => rewriteBytes('html', input, { resolve }),
  'engine, 16 KiB pushes': () => {
    const e = createEngine('html', { resolve });
    const parts = [];
    for (let i = 0; i < input.length; i += CHUNK) parts.push(e.push(input.subarray(i, i + CHUNK), false));
    parts.push(e.push(new Uint8Array(0), true));
    return parts;
  },
  // Read as a server adapter reads a Response body (@hono/node-server, workerd, Bun, Deno: a reader
  // loop writing each chunk out), once through an identity TransformStream (the transport alone) and
  // once through the rewriter. `new Response(body).arrayBuffer()` is not how a server consumes a body,
  // and in Node 20 it costs more than the rewriting; it is kept as a separate row for reference.
  'Web TransformStream identity (transport only), 16 KiB chunks': () => readAll(new TransformStream()),
  'Web TransformStream, 16 KiB chunks': () => readAll(createRewriteStream('html', { resolve })),
  'Web TransformStream, 16 KiB chunks, Response.arrayBuffer()': async () =>
    new Uint8Array(
      await new Response(chunked().pipeThrough(createRewriteStream('html', { resolve }))).arrayBuffer(),
    ),
};

function chunked() {
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < input.length; i += CHUNK) c.enqueue(input.subarray(i, i + CHUNK));
      c.close();
    },
  });
}

async function readAll(transform) {
  const reader = chunked().pipeThrough(transform).getReader();
  const parts = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
}
try {
  const { HTMLRewriter } = await import('html-rewriter-wasm');
  const targets = new Set(['href', 'src', 'poster', 'data']);
  engines['lol-html (html-rewriter-wasm)'] = async () => {
    const out = [];
    const rw = new HTMLRewriter((chunk) => out.push(chunk));
    rw.on('*', {
      element(el) {
        for (const [name, value] of el.attributes) {
          if (!targets.has(name)) continue;
          const v = resolve(value);
          if (v !== null) el.setAttribute(name, v);
        }
      },
    });
    try {
      await rw.write(input);
      await rw.end();
    } finally {
      rw.free();
    }
    return out;
  };
} catch (err) {
  console.error(`html-rewriter-wasm unavailable: ${err.message}`);
}

const names = Object.keys(engines);
const samples = Object.fromEntries(names.map((n) => [n, []]));
for (const n of names) for (let i = 0; i < 10; i++) await engines[n]();
for (let r = 0; r < Number(values.rounds); r++)
  for (const n of names) {
    const t0 = performance.now();
    for (let i = 0; i < Number(values.iterations); i++) await engines[n]();
    samples[n].push((performance.now() - t0) / Number(values.iterations));
  }
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const min = (xs) => Math.min(...xs);
const floor = samples[names[0]];
const lol = samples['lol-html (html-rewriter-wasm)'];
console.log(
  `Page: ${input.length} bytes; Node ${process.version}; ${values.rounds} paired rounds x ${values.iterations} iterations.\n`,
);
console.log(
  '| engine | median ms | min ms | x copy floor (paired median) | x copy floor (min) | x lol-html (min) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const n of names) {
  const s = samples[n];
  const paired = median(floor.map((f, i) => f / s[i]));
  const vsLol = lol === undefined ? '-' : (min(lol) / min(s)).toFixed(1);
  console.log(
    `| ${n} | ${median(s).toFixed(2)} | ${min(s).toFixed(2)} | ${paired.toFixed(2)} | ${(min(floor) / min(s)).toFixed(2)} | ${vsLol} |`,
  );
}
