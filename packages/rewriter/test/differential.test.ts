// Differential test of the tokenizer against parse5 (tokenizer + parser feedback simulator, as
// parse5-sax-parser runs it) on the html5lib tokenizer corpus and our own fixtures: the start tags
// and their decoded attributes must agree, however the input is split.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ourTags, parse5Tags, split } from './helpers/observe.js';

const CORPUS = join(import.meta.dirname, 'fixtures/html5lib-tokenizer');
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Html5libTest {
  description: string;
  input: string;
  doubleEscaped?: boolean;
}

function corpusInputs(): { name: string; input: string }[] {
  const out: { name: string; input: string }[] = [];
  for (const f of readdirSync(CORPUS).filter((f) => f.endsWith('.test'))) {
    const data = JSON.parse(readFileSync(join(CORPUS, f), 'utf8')) as {
      tests?: Html5libTest[];
      xmlViolationTests?: Html5libTest[];
    };
    for (const t of [...(data.tests ?? []), ...(data.xmlViolationTests ?? [])]) {
      if (t.doubleEscaped) continue; // lone surrogates cannot round-trip through bytes
      out.push({ name: `${f}: ${t.description}`, input: t.input });
    }
  }
  return out;
}

const FIXTURES = [
  '<script>var a = "<!--"; document.write("<script>x</script>"); b = "<img src=/private/x>";</script><img src=/a>',
  '<script><!--<script></script><img src=1></script>--></script><img src=2>',
  '<script><!--<script>x</SCRIPT ><img src=3>--></script><img src=4>',
  '<script><!-- --!> <img src=5></script><img src=6>',
  '<script><!--x</script ><img src=7>',
  '<svg><style><img src=8></style><desc><style><img src=9></style></desc></svg><style><img src=10></style>',
  '<svg><![CDATA[ <img src=11> ]]><image href="/12"/></svg><image src=13>',
  '<math><mi><textarea><img src=14></textarea></mi><annotation-xml encoding="text/html"><title><b a=1></title></annotation-xml></math>',
  '<svg><p><style><img src=15></style>',
  '<svg><font color=red><style><img src=16></style>',
  '<title><img src=17></title><textarea><img src=18></TEXTAREA><noscript><img src=19></noscript><img src=20>',
  '<!-- <img src=21> --!><img src=22><!--> <img src=23><!---> <img src=24><!----><img src=25>',
  '<!DOCTYPE html "<img src=26>"><img src=27><? <img src=28> ><img src=29>',
  '<plaintext><img src=30></plaintext><img src=31>',
  '<a href="/x?a=1&amp;b=2&copy=3&notin;&notit;&#x2F;&#0;&#128;" HREF=2 Title=\'a"b\' data-x=`q`>',
  '<img\r\nsrc="/a\r\nb"\rsrcset=\'x 1x,\r y 2x\'\0 alt=\0>',
  '<iframe src=/a><img src=32></iframe><xmp><img src=33></xmp><noembed><img src=34></noembed><noframes><img src=35></noframes>',
  '<style>a{}</style x="</style>"><img src=36>',
  '<a/b/c=d e=f/><img src="/38"/ alt=x>',
];

describe('tokenizer vs parse5', () => {
  const inputs = [...corpusInputs(), ...FIXTURES.map((f, i) => ({ name: `fixture ${i}`, input: f }))];

  it(`agrees on ${inputs.length} inputs (whole, and split at every byte offset)`, () => {
    let checked = 0;
    for (const { name, input } of inputs) {
      const bytes = enc.encode(input);
      const parsed = parse5Tags(dec.decode(bytes));
      // Names with non-ASCII (U+FFFD from NUL) are never link attributes; compare the rest.
      const ascii = (n: string) => n.length > 0 && /^[\x00-\x7f]*$/.test(n);
      const names = [...parsed.names].filter(ascii);
      const expected = { tags: parsed.tags.map((t) => t.filter(([n]) => ascii(n))) };
      const whole = ourTags([bytes], names);
      expect(whole, name).toEqual(expected.tags);
      for (let at = 1; at < bytes.length; at++)
        expect(ourTags(split(bytes, at), names), `${name} @${at}`).toEqual(expected.tags);
      checked++;
    }
    expect(checked).toBeGreaterThan(1500);
  });
});
