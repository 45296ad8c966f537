// Corpora: the rewriter over every html5lib tokenizer input and over generated real-world-like
// pages, each under 20 seeded random chunkings. Every link the rewriter reports is replaced by a
// numbered marker; the output is then aligned with the input, and each changed span must lie inside
// the value of the attribute parse5 sees at that offset (or a url() in a <style> element), never in
// script, style text, textarea, title or comments. Output must not depend on the chunking.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type LinkContext } from '@cfsign/rewriter';
import { SAXParser } from 'parse5-sax-parser';
import { describe, expect, test } from 'vitest';
import { generatePage } from '../../bench/page/generate.mjs';
import { fakeSignUrl } from '../../bench/page/spec.mjs';
import { LONG, prng } from './helpers.js';

const CORPUS = join(import.meta.dirname, '../../packages/rewriter/test/fixtures/html5lib-tokenizer');
const CHUNKINGS = 20;
const enc = new TextEncoder();
const dec = new TextDecoder();

function unescapeDouble(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** Our own inputs: links next to every context that must stay untouched. */
const FIXTURES = [
  '<script>var a = "<img src=/private/s1>";</script><img src=/private/ok1><!-- <img src=/private/c1> -->',
  '<title><img src=/private/t1></title><textarea><a href=/private/t2></textarea><img srcset="/private/a 1x, /private/b 2x">',
  '<style>.a{background:url(/private/st1)} /* url(/private/st2) */ p{content:"url(/private/st3)"}</style><p style="background:url(/private/ok2)">',
  '<script><!--<script></script><img src=/private/s2></script>--></script><a href="/private/ok3?a=1&amp;b=2">',
  '<svg><style><img src=/private/sv1></style><image href="/private/ok4"/></svg><noscript><img src=/private/n1></noscript>',
  '<img src = \'/private/q1\' alt=x><img src=/private/q2 alt=y><video poster=/private/p1 src="/private/v1"></video>',
  '<a href=/private/x?y=1&z=2#frag>x</a><base href="/private/"><img src=rel.png><plaintext><img src=/private/pt1>',
];

function corpusInputs(): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = FIXTURES.map((f, i) => ({
    name: `fixture ${i}`,
    bytes: enc.encode(f),
  }));
  for (const f of readdirSync(CORPUS).filter((f) => f.endsWith('.test'))) {
    const data = JSON.parse(readFileSync(join(CORPUS, f), 'utf8')) as {
      tests?: { description: string; input: string; doubleEscaped?: boolean }[];
      xmlViolationTests?: { description: string; input: string; doubleEscaped?: boolean }[];
    };
    for (const t of [...(data.tests ?? []), ...(data.xmlViolationTests ?? [])]) {
      const input = t.doubleEscaped ? unescapeDouble(t.input) : t.input;
      // Lone surrogates become U+FFFD in the byte stream, as they would on the wire.
      out.push({ name: `${f}: ${t.description}`, bytes: enc.encode(input) });
    }
  }
  return out;
}

/** Splits `bytes` at 0-8 random offsets (seeded). */
function chunk(bytes: Uint8Array, rnd: () => number): Uint8Array[] {
  const cuts = new Set<number>();
  const n = Math.floor(rnd() * 9);
  for (let i = 0; i < n && bytes.length > 1; i++) cuts.add(1 + Math.floor(rnd() * (bytes.length - 1)));
  const at = [...cuts].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let p = 0;
  for (const a of [...at, bytes.length]) {
    out.push(bytes.subarray(p, a));
    p = a;
  }
  return out;
}

const MARK = /https:\/\/m\.invalid\/(\d+)\.x/g;

/** Rewrites with a resolver that replaces every link with a numbered marker. */
function rewriteMarked(chunks: Uint8Array[], attributes: string[] = []): { out: string; ctx: LinkContext[] } {
  const ctx: LinkContext[] = [];
  const engine = createEngine('html', {
    resolve: (_value, c) => {
      ctx.push(c);
      return `https://m.invalid/${ctx.length - 1}.x`;
    },
    attributes,
  });
  const parts: Uint8Array[] = [];
  for (const c of chunks) parts.push(engine.push(c, false) as Uint8Array);
  parts.push(engine.push(new Uint8Array(0), true) as Uint8Array);
  return { out: parts.map((p) => dec.decode(p, { stream: true })).join('') + dec.decode(), ctx };
}

interface Region {
  start: number;
  end: number;
  kind: 'attr' | 'style-text';
  tag: string;
  attr?: string;
}

/** Attribute value ranges of every start tag, and the text of <style> elements, as parse5 sees them. */
function regions(html: string): Region[] {
  const out: Region[] = [];
  const sax = new SAXParser({ sourceCodeLocationInfo: true });
  let openStyle: string | null = null;
  sax.on(
    'startTag',
    (t: {
      tagName: string;
      selfClosing: boolean;
      attrs: { name: string; prefix?: string }[];
      sourceCodeLocation?: { attrs?: Record<string, { startOffset: number; endOffset: number }> };
    }) => {
      openStyle = t.tagName === 'style' && !t.selfClosing ? 'style' : null;
      for (const [name, loc] of Object.entries(t.sourceCodeLocation?.attrs ?? {})) {
        const text = html.slice(loc.startOffset, loc.endOffset);
        const eq = text.indexOf('=', 1);
        if (eq === -1) continue;
        let vs = loc.startOffset + eq + 1;
        while (/[\t\n\f\r ]/.test(html[vs] ?? '')) vs++;
        let ve = loc.endOffset;
        if (html[vs] === '"' || html[vs] === "'") {
          vs++;
          ve--;
        }
        out.push({ start: vs, end: ve, kind: 'attr', tag: t.tagName, attr: name.toLowerCase() });
      }
    },
  );
  sax.on('text', (t: { sourceCodeLocation?: { startOffset: number; endOffset: number } }) => {
    if (openStyle && t.sourceCodeLocation)
      out.push({
        start: t.sourceCodeLocation.startOffset,
        end: t.sourceCodeLocation.endOffset,
        kind: 'style-text',
        tag: 'style',
      });
  });
  sax.on('endTag', () => {
    openStyle = null;
  });
  sax.end(html);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Aligns the marked output with the input: the text between markers must be the input verbatim,
 * and each replaced span must sit inside a region of the right kind. Returns problems found.
 */
function checkAlignment(input: string, out: string, ctx: LinkContext[]): string[] {
  const problems: string[] = [];
  const pieces: string[] = [];
  const ids: number[] = [];
  let last = 0;
  for (const m of out.matchAll(MARK)) {
    pieces.push(out.slice(last, m.index));
    ids.push(Number(m[1]));
    last = m.index! + m[0].length;
  }
  pieces.push(out.slice(last));
  if (ids.length === 0) return input === out ? [] : ['bytes changed with no link rewritten'];
  const regs = regions(input);
  // The rewriter quotes a value it writes into an unquoted attribute (the ideal output does the
  // same): a '"' added right before or after a marker is part of the rewritten value.
  const fits = (piece: string, at: number, quotedBefore: boolean): number => {
    let p = piece;
    if (!quotedBefore && p.startsWith('"') && input[at] !== '"') p = p.slice(1);
    if (input.startsWith(p, at)) return p.length;
    if (p.endsWith('="') && input.startsWith(p.slice(0, -1), at)) return p.length - 1;
    return -1;
  };
  let pos = fits(pieces[0]!, 0, true);
  if (pos === -1) return ['bytes changed before the first rewritten link'];
  for (let i = 0; i < ids.length; i++) {
    const c = ctx[ids[i]!]!;
    const region = regs.find(
      (r) =>
        r.start <= pos &&
        pos <= r.end &&
        (r.kind === 'attr' ? c.kind !== 'css' || r.attr === 'style' : c.kind === 'css'),
    );
    if (!region)
      return [
        `rewrite #${i} (${c.kind} ${c.tag ?? ''} ${c.attr ?? ''}) at offset ${pos} is not inside an attribute value or <style> url()`,
      ];
    if (region.kind === 'attr' && c.attr !== undefined && c.attr !== region.attr)
      problems.push(`rewrite #${i} claims attribute ${c.attr} but parse5 sees ${region.attr} at ${pos}`);
    if (
      region.kind === 'style-text' &&
      !/(url\(\s*["']?|@import\s*["']?)$/i.test(input.slice(Math.max(region.start, pos - 16), pos))
    )
      problems.push(`rewrite #${i} in <style> text at ${pos} is not a url() or @import`);
    const quoted = region.kind !== 'attr' || /["']/.test(input[region.start - 1] ?? '');
    const next = pieces[i + 1]!;
    let q = -1;
    let used = -1;
    for (let at = pos; at <= region.end; at++) {
      used = fits(next, at, quoted);
      if (used !== -1 && (i < ids.length - 1 || at + used === input.length)) {
        q = at;
        break;
      }
    }
    if (q === -1) return [...problems, `bytes changed after rewrite #${i} (offset ${pos}) outside its value`];
    pos = q + used;
  }
  if (pos !== input.length) problems.push('output ends differently from the input');
  return problems;
}

describe('html5lib tokenizer corpus', () => {
  const inputs = corpusInputs();
  test(`every input (${inputs.length}) under ${CHUNKINGS} seeded chunkings: only targeted values change`, () => {
    const rnd = prng(20260801);
    let rewritten = 0;
    const failures: string[] = [];
    for (const { name, bytes } of inputs) {
      const input = dec.decode(bytes);
      // Every attribute parse5 sees counts as a URL attribute here, so that every value is rewritten.
      const names = [
        ...new Set(
          regions(input).flatMap((r) => (r.attr && /^[a-z][a-z0-9_:.-]*$/.test(r.attr) ? [r.attr] : [])),
        ),
      ];
      const whole = rewriteMarked([bytes], names);
      rewritten += whole.ctx.length;
      for (const p of checkAlignment(input, whole.out, whole.ctx)) failures.push(`${name}: ${p}`);
      for (let k = 0; k < CHUNKINGS; k++) {
        const got = rewriteMarked(chunk(bytes, rnd), names);
        if (got.out !== whole.out) failures.push(`${name}: output depends on the chunking (#${k})`);
      }
    }
    // Links in script, comments, title, textarea, noscript, plaintext: never resolved.
    const seen = FIXTURES.flatMap((f) => rewriteMarked([enc.encode(f)]).ctx.length);
    const values: string[] = [];
    for (const f of FIXTURES)
      createEngine('html', {
        resolve: (v) => {
          values.push(v);
          return null;
        },
      }).push(enc.encode(f), true);
    for (const bad of ['s1', 'c1', 't1', 't2', 's2', 'n1', 'pt1'])
      expect(values, bad).not.toContain(`/private/${bad}`);
    for (const ok of ['ok1', 'ok2', 'q1', 'q2', 'p1', 'v1', 'sv1'])
      expect(values, ok).toContain(`/private/${ok}`);
    console.info(
      `${inputs.length} inputs, ${rewritten} values rewritten, ${seen.reduce((a, b) => a + b, 0)} in fixtures`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(inputs.length).toBeGreaterThan(1500);
    expect(rewritten).toBeGreaterThan(50);
  });
});

describe('generated real-world-like pages', () => {
  const seeds = LONG ? Array.from({ length: 40 }, (_, i) => 1000 + i) : [20240601, 7, 1234567];
  test.each(seeds)('page seed %i: byte-exact ideal output and marker alignment under 20 chunkings', (s) => {
    const { html, expected } = generatePage({ seed: s }) as { html: string; expected: string };
    const bytes = enc.encode(html);
    const rnd = prng(s);
    const whole = rewriteMarked([bytes]);
    expect(checkAlignment(html, whole.out, whole.ctx)).toEqual([]);
    expect(whole.ctx.length).toBeGreaterThan(300);
    for (let k = 0; k < CHUNKINGS; k++) {
      const chunks = chunk(bytes, rnd);
      expect(rewriteMarked(chunks).out === whole.out, `marker output, chunking #${k}`).toBe(true);
      const engine = createEngine('html', { resolve: (u) => fakeSignUrl(u) as string | null });
      const parts = chunks.map((c) => dec.decode(engine.push(c, false) as Uint8Array, { stream: true }));
      parts.push(dec.decode(engine.push(new Uint8Array(0), true) as Uint8Array));
      const got = parts.join('');
      expect(got === expected, `ideal output, chunking #${k}`).toBe(true);
    }
  });
});

describe('CSS comments and strings', () => {
  // Fixed in packages/rewriter/src/css/css-urls.ts: a `url(` inside a CSS string is never a URL.
  // A url() inside a comment is signed by default (the benchmark's ideal output does), and left
  // alone with `cssComments: 'skip'`, which this test uses for the comment inputs.
  test('url() inside a CSS string (always) or comment (cssComments: skip) is never resolved', () => {
    for (const [format, input] of [
      ['html', '<style>a{} /* url(/private/st2) */</style>'],
      ['html', '<style>p::before{content:"url(/private/st3)"}</style>'],
      ['html', '<p style="/* url(/private/st4) */ color:red">'],
      ['css', 'a{} /* url(/private/st5) */'],
    ] as const) {
      const values: string[] = [];
      createEngine(format, {
        // strings: the default options; comments: `cssComments: 'skip'`
        ...(input.includes('/*') && { cssComments: 'skip' as const }),
        resolve: (v) => {
          values.push(v);
          return null;
        },
      }).push(enc.encode(input), true);
      expect(values, input).toEqual([]);
    }
  });
});
