// One case per tokenizer state (and the tree-construction context that picks it): a short
// document that passes through the state with probe links around it, checked against parse5
// tree construction, whole and cut into two and three chunks at every pair of offsets.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/resolver-rewriter.js';
import { treeTruth } from './helpers/tree-truth.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const opts = () => ({ resolve: (u: string) => (/^\/p\/\d+\.x$/.test(u) ? `${u}?sig` : null) });

function run(bytes: Uint8Array, cuts: number[]): string {
  const engine = createEngine('html', opts());
  let out = '';
  let p = 0;
  for (const c of [...cuts, bytes.length]) {
    out += dec.decode(engine.push(bytes.subarray(p, c), false) as Uint8Array, { stream: true });
    p = c;
  }
  return out + dec.decode(engine.push(new Uint8Array(0), true) as Uint8Array);
}

// [state, document]: /p/1.x must be signed, /p/0.x must not (when present).
const STATES: [string, string][] = [
  ['DATA', 'x<img src=/p/1.x>'],
  ['TAG_OPEN (not a tag)', '<1<img src=/p/1.x>'],
  ['END_TAG_OPEN </>', '</><img src=/p/1.x>'],
  ['END_TAG_OPEN bogus', '</1 <img src=/p/0.x><img src=/p/1.x>'],
  ['TAG_NAME', '<IMG\tsrc=/p/1.x>'],
  ['BEFORE_ATTR_NAME', '<img   src=/p/1.x>'],
  ['ATTR_NAME with =', '<img =src src=/p/1.x>'],
  ['AFTER_ATTR_NAME', '<img src = /p/1.x>'],
  ['BEFORE_ATTR_VALUE', '<img src=\n"/p/1.x">'],
  ['ATTR_DQ', '<img alt="a>/p/0.x" src="/p/1.x">'],
  ['ATTR_SQ', "<img alt='a>/p/0.x' src='/p/1.x'>"],
  ['ATTR_UNQ', '<img alt=a"/p/0.x src=/p/1.x >'],
  ['AFTER_ATTR_QUOTED', '<img alt="x"src="/p/1.x">'],
  ['SELF_CLOSING', '<img/src=/p/1.x />'],
  ['MARKUP_DECL', '<!x <img src=/p/0.x><img src=/p/1.x>'],
  ['BOGUS_COMMENT', '<?x <img src=/p/0.x><img src=/p/1.x>'],
  ['DOCTYPE', '<!DOCTYPE html <img src=/p/0.x><img src=/p/1.x>'],
  ['CDATA (foreign)', '<svg><![CDATA[x><img src=/p/0.x>]]><image href=/p/1.x />'],
  ['CDATA_BRACKET', '<svg><![CDATA[]x]<img src=/p/0.x>]]><image href=/p/1.x />'],
  ['CDATA_END', '<svg><![CDATA[]]]]<img src=/p/0.x>]]]><image href=/p/1.x />'],
  ['CDATA in HTML is a bogus comment', '<![CDATA[x><img src=/p/1.x>]]>'],
  ['COMMENT_START', '<!--><img src=/p/1.x>'],
  ['COMMENT_START_DASH', '<!---><img src=/p/1.x>'],
  ['COMMENT', '<!-- <img src=/p/0.x> --><img src=/p/1.x>'],
  ['COMMENT_END_DASH', '<!-- -<img src=/p/0.x> --><img src=/p/1.x>'],
  ['COMMENT_END', '<!-- --<img src=/p/0.x> ---><img src=/p/1.x>'],
  ['COMMENT_END_BANG', '<!-- --!<img src=/p/0.x> --!><img src=/p/1.x>'],
  ['RAW (RCDATA title)', '<title><img src=/p/0.x></title><img src=/p/1.x>'],
  ['RAW_LT', '<textarea><<img src=/p/0.x></textarea><img src=/p/1.x>'],
  ['RAW_END_OPEN', '<xmp></<img src=/p/0.x></xmp><img src=/p/1.x>'],
  ['RAW_END_NAME mismatch', '<iframe></iframex><img src=/p/0.x></iframe><img src=/p/1.x>'],
  ['RAW_END_NAME + whitespace', '<script>x</script ><img src=/p/1.x>'],
  ['RAW_END_NAME + attributes', '<textarea>x</textarea a="<img src=/p/0.x>"><img src=/p/1.x>'],
  ['RAW_END_NAME + /', '<title>x</title/><img src=/p/1.x>'],
  ['RAW_END_NAME + newline', '<noembed>x</noembed\n><img src=/p/1.x>'],
  ['PLAINTEXT', '<img src=/p/1.x><plaintext></plaintext><img src=/p/0.x>'],
  ['SD_ESC_START', '<script><!x<img src=/p/0.x></script><img src=/p/1.x>'],
  ['SD_ESC_START_DASH', '<script><!-x</script><img src=/p/1.x>'],
  ['SD_ESC', '<script><!-- <img src=/p/0.x></script><img src=/p/1.x>'],
  ['SD_ESC_DASH', '<script><!-- -<img src=/p/0.x></script><img src=/p/1.x>'],
  ['SD_ESC_DASH_DASH', '<script><!-- --></script><img src=/p/1.x>'],
  ['SD_ESC_LT', '<script><!-- <b></script><img src=/p/1.x>'],
  ['SD_ESC_END_OPEN', '<script><!-- </1</script><img src=/p/1.x>'],
  ['SD_ESC_END_NAME', '<script><!-- </scrip</SCRIPT\t><img src=/p/1.x>'],
  ['SD_DBL_START', '<script><!--<script></script><img src=/p/0.x>--></script><img src=/p/1.x>'],
  ['SD_DBL', '<script><!--<script> x </script><img src=/p/0.x>--></script><img src=/p/1.x>'],
  ['SD_DBL_DASH', '<script><!--<script>-</script><img src=/p/0.x>--></script><img src=/p/1.x>'],
  ['SD_DBL_DASH_DASH', '<script><!--<script>--></script><img src=/p/1.x>'],
  ['SD_DBL_LT', '<script><!--<script><</script><img src=/p/0.x>--></script><img src=/p/1.x>'],
  ['SD_DBL_END', '<script><!--<script></scriptx><img src=/p/0.x>--></script><img src=/p/1.x>'],
  // tree-construction context
  ['breakout from nested svg', '<svg><svg><img src="/p/1.x"><a href=/p/2.x></a>'],
  ['breakout from nested math', '<math><math><img src="/p/1.x">'],
  ['breakout through annotation-xml', '<math><annotation-xml><svg><img src="/p/1.x">'],
  [
    'breakout stops at an integration point',
    '<svg><foreignObject><svg><img src=/p/1.x><style><img src=/p/0.x>',
  ],
  ['font with color breaks out', '<svg><g><font color=red><style><img src=/p/0.x></style><img src=/p/1.x>'],
  ['mglyph stays MathML', '<math><mi><mglyph><style><img src=/p/1.x></style></mglyph></mi>'],
  ['svg/ is closed at once', '<svg/><style><img src=/p/0.x></style><img src=/p/1.x>'],
  [
    'annotation-xml text/html',
    '<math><annotation-xml encoding=Text/Html><style><img src=/p/0.x></style><img src=/p/1.x>',
  ],
  ['svg in math is MathML', '<math><svg><style><img src=/p/1.x></style></svg></math>'],
  ['CDATA in foreignObject is a comment', '<svg><foreignObject><![CDATA[x><img src=/p/1.x>]]>'],
  ['template content', '<template><img src=/p/1.x><style><img src=/p/0.x></style></template>'],
  ['noscript (scripting on)', '<noscript><img src=/p/0.x></noscript><img src=/p/1.x>'],
];

describe('tokenizer states against parse5 tree construction', () => {
  for (const [state, doc] of STATES)
    it(`${state}: ${doc}`, () => {
      const truth = treeTruth(doc);
      expect(truth.sign.has(1) || truth.sign.has(2), 'the case has a link to sign').toBe(true);
      const bytes = enc.encode(doc);
      const whole = run(bytes, []);
      for (const n of truth.sign) expect(whole).toContain(`/p/${n}.x?sig`);
      for (const n of truth.keep) expect(whole).not.toContain(`/p/${n}.x?sig`);
      for (let a = 1; a < bytes.length; a++)
        for (let b = a; b < bytes.length; b++) expect(run(bytes, [a, b]), `cut at ${a}, ${b}`).toBe(whole);
    });
});
