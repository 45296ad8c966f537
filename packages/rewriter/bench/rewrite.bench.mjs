// Rewrite-only throughput on the standard benchmark page (bench/page), side by side with the
// two anchors: parse5-html-rewriting-stream and lol-html (html-rewriter-wasm). Medians of
// interleaved rounds; prints a markdown table. Needs `pnpm build` first (imports ../dist).
//
//   node packages/rewriter/bench/rewrite.bench.mjs [--rounds 9] [--iterations 30]
//
// No timing assertions: this only measures. Signing is the spec's precomputed fake signature, so
// only finding and rewriting the links is measured.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const page = new URL('bench/page/', `file://${root}`);
const { generatePage } = await import(new URL('generate.mjs', page).href);
const spec = await import(new URL('spec.mjs', page).href);
const { rewriteBytes, createRewriteStream, createRewriter, compileRules } = await import('../dist/index.js');

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '9' }, iterations: { type: 'string', default: '30' } },
});
const ROUNDS = Number(values.rounds);
const ITER = Number(values.iterations);

// The spec builds its fake signature with 342 string concatenations: flatten it once so no engine
// pays for walking that rope on every link (a real signer returns flat strings).
spec.SIGNED_SUFFIX.indexOf('#');

const { html, expected } = generatePage();
const input = new TextEncoder().encode(html);
const inputBuf = Buffer.from(input);
const MB = input.length / 1e6;
const dec = new TextDecoder();

// ---- engines ---------------------------------------------------------------------------------
const engines = [];

engines.push({
  name: 'Buffer.concat + toString (copy floor)',
  exact: null,
  run: () => Buffer.concat([inputBuf]).toString(),
});

const resolve = (u) => spec.fakeSignUrl(u);
engines.push({
  name: '@cfsign/rewriter, resolve hook (spec resolver)',
  run: () => rewriteBytes('html', input, { resolve }),
});

// Our engines return bytes (what goes on the wire); the anchors return what they produce.
// Full pipeline: rules, URL resolution against the page, and a synchronous signer returning the
// same fake signature.
const fakeSigner = {
  keyPairId: spec.KEY_PAIR_ID,
  keyType: 'rsa',
  hashAlgorithm: 'SHA1',
  canSignSync: true,
  signUrlSync: (url) => url + (url.includes('?') ? '&' : '?') + spec.SIGNED_SUFFIX,
  signUrl: async (url) => url + (url.includes('?') ? '&' : '?') + spec.SIGNED_SUFFIX,
  signPolicy: async () => {
    throw new Error('unused');
  },
  signCookies: async () => {
    throw new Error('unused');
  },
  clearCookies: () => [],
  useKey: () => {},
};
const rules = compileRules({
  cdn: spec.CF_ORIGIN,
  origins: ['https://www.example.com'],
  rules: [{ match: '/private/**' }],
});
engines.push({
  name: '@cfsign/rewriter, rules + sync signer',
  run: () => {
    const rw = createRewriter({ rules, signer: fakeSigner, request: { url: 'https://www.example.com/' } });
    return rewriteBytes('html', input, { resolve: rw.resolve });
  },
});

engines.push({
  name: '@cfsign/rewriter, Web TransformStream (64 KiB chunks)',
  run: async () => {
    const ts = createRewriteStream('html', { resolve });
    const body = new ReadableStream({
      start(c) {
        for (let i = 0; i < input.length; i += 65536) c.enqueue(input.subarray(i, i + 65536));
        c.close();
      },
    });
    return new Uint8Array(await new Response(body.pipeThrough(ts)).arrayBuffer());
  },
});

try {
  const { RewritingStream } = await import('parse5-html-rewriting-stream');
  engines.push({
    name: 'parse5-html-rewriting-stream',
    run: () =>
      new Promise((done, fail) => {
        const rs = new RewritingStream();
        const out = [];
        let inStyle = false;
        rs.on('data', (d) => out.push(d));
        rs.on('end', () => done(out.join('')));
        rs.on('error', fail);
        rs.on('startTag', (tag) => {
          for (const a of tag.attrs) {
            if (!spec.isTargetAttr(tag.tagName, a.name)) continue;
            const v = spec.rewriteAttr(tag.tagName, a.name, a.value);
            if (v !== null) a.value = v;
          }
          inStyle = tag.tagName === 'style';
          rs.emitStartTag(tag);
        });
        rs.on('endTag', (_tag, raw) => {
          inStyle = false;
          rs.emitRaw(raw);
        });
        rs.on('text', (text, raw) => {
          const css = inStyle ? spec.rewriteCss(text.text) : null;
          rs.emitRaw(css ?? raw);
        });
        rs.end(html);
      }),
  });
} catch (err) {
  console.error(`parse5-html-rewriting-stream unavailable: ${err.message}`);
}

try {
  const { HTMLRewriter } = await import('html-rewriter-wasm');
  engines.push({
    name: 'lol-html via html-rewriter-wasm',
    run: async () => {
      const out = [];
      const rw = new HTMLRewriter((chunk) => out.push(chunk));
      let css = '';
      rw.on('*', {
        element(el) {
          const tag = el.tagName;
          for (const [name, value] of el.attributes) {
            if (!spec.isTargetAttr(tag, name)) continue;
            const v = spec.rewriteAttr(tag, name, value);
            if (v !== null) el.setAttribute(name, v);
          }
        },
      });
      rw.on('style', {
        text(t) {
          css += t.text;
          if (!t.lastInTextNode) t.remove();
          else {
            t.replace(spec.rewriteCss(css) ?? css, { html: true });
            css = '';
          }
        },
      });
      try {
        await rw.write(input);
        await rw.end();
      } finally {
        rw.free();
      }
      return Buffer.concat(out);
    },
  });
} catch (err) {
  console.error(`html-rewriter-wasm unavailable: ${err.message}`);
}

// ---- measure ----------------------------------------------------------------------------------
for (const e of engines) {
  const out = await e.run();
  if (e.exact !== null) e.exact = (typeof out === 'string' ? out : dec.decode(out)) === expected;
  for (let i = 0; i < 5; i++) await e.run(); // warm up
  e.samples = [];
}
for (let r = 0; r < ROUNDS; r++)
  for (const e of engines) {
    const t0 = performance.now();
    for (let i = 0; i < ITER; i++) await e.run();
    e.samples.push((performance.now() - t0) / ITER);
  }

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};
console.log(
  `Standard page: ${input.length} bytes; Node ${process.version}; ${ROUNDS} interleaved rounds x ${ITER} iterations, medians.\n`,
);
console.log('| engine | ms/page | MB/s | byte-exact |');
console.log('| --- | ---: | ---: | --- |');
for (const e of engines) {
  const ms = median(e.samples);
  console.log(
    `| ${e.name} | ${ms.toFixed(2)} | ${(MB / (ms / 1000)).toFixed(0)} | ${e.exact === null ? '-' : e.exact ? 'yes' : 'no'} |`,
  );
}
