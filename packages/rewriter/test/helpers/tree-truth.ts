// The truth for the tree differential: parse5 tree construction (scripting on), walked into a
// canonical list of nodes. Each probe `/p/<n>.x` is classed by where the tree puts it:
// - `sign`: in an attribute a browser loads or follows (the rewriter's targets), or a `url()` of
//   an HTML `<style>` element or `style` attribute;
// - `keep`: only in text, comments, doctypes and attributes that are not links;
// - neither (dropped by tree construction, or in a MathML `href` that browsers do not follow):
//   no constraint.
import { parse } from 'parse5';

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';

interface Node {
  nodeName: string;
  tagName?: string;
  namespaceURI?: string;
  attrs?: { name: string; value: string; prefix?: string }[];
  childNodes?: Node[];
  content?: Node;
  value?: string;
  data?: string;
  name?: string;
  publicId?: string;
  systemId?: string;
}

/** HTML link targets, `tag attr`, as the rewriter's table lists them. */
const HTML_LINKS = new Set([
  'a href',
  'area href',
  'link href',
  'link imagesrcset',
  'img srcset',
  'source srcset',
  'video poster',
  'object data',
  ...['img', 'source', 'video', 'audio', 'track', 'script', 'embed', 'iframe', 'input'].map(
    (t) => `${t} src`,
  ),
]);

const PROBE = /\/p\/(\d+)\.x/g;

export interface Truth {
  sign: Set<number>;
  keep: Set<number>;
  /** Canonical form of the tree; `signed` marks probes in `sign` positions as rewritten. */
  canon: string[];
}

type Where = 'sign' | 'keep' | 'free';

function attrClass(el: Node, name: string): Where {
  if (name === 'style') return 'sign';
  const tag = el.tagName ?? '';
  if (el.namespaceURI === HTML_NS) return HTML_LINKS.has(`${tag} ${name}`) ? 'sign' : 'keep';
  if (name === 'href' || name === 'xlink:href') return el.namespaceURI === SVG_NS ? 'sign' : 'free';
  return 'keep';
}

/**
 * Parses `html` (scripting on) and classes every probe. `mark(n, where)` renders a probe found in
 * the tree (so that the input's tree can be rendered as the output's should be).
 */
export function treeTruth(html: string, mark: (text: string, where: Where) => string = (t) => t): Truth {
  const sign = new Set<number>();
  const keep = new Set<number>();
  const canon: string[] = [];
  const note = (text: string, where: Where) => {
    for (const m of text.matchAll(PROBE))
      (where === 'sign' ? sign : where === 'keep' ? keep : null)?.add(+m[1]!);
    return mark(text, where);
  };
  // In an HTML `<style>`, a probe is a link only as a `url()`.
  const cssText = (text: string) =>
    text
      .split(/(url\(\/p\/\d+\.x)/)
      .map((part) => note(part, part.startsWith('url(') ? 'sign' : 'keep'))
      .join('');
  const walk = (n: Node, rawCss: boolean) => {
    if (n.nodeName === '#text')
      canon.push(`T ${rawCss ? cssText(n.value ?? '') : note(n.value ?? '', 'keep')}`);
    else if (n.nodeName === '#comment') canon.push(`C ${note(n.data ?? '', 'keep')}`);
    else if (n.nodeName === '#documentType')
      canon.push(`D ${note(`${n.name} ${n.publicId} ${n.systemId}`, 'keep')}`);
    else if (n.tagName !== undefined) {
      const attrs = (n.attrs ?? []).map((a) => {
        const name = a.prefix ? `${a.prefix}:${a.name}` : a.name;
        return `${name}=${note(a.value, attrClass(n, name))}`;
      });
      canon.push(`<${n.namespaceURI} ${n.tagName} ${attrs.join(' ')}`);
    }
    const css = n.tagName === 'style' && n.namespaceURI === HTML_NS;
    for (const c of n.childNodes ?? []) walk(c, css);
    if (n.content !== undefined) {
      canon.push('template-content');
      walk(n.content, false);
    }
    if (n.tagName !== undefined) canon.push('>');
  };
  walk(parse(html, { scriptingEnabled: true }) as unknown as Node, false);
  // A probe both in a link and elsewhere (cloned formatting elements) must be signed.
  for (const n of sign) keep.delete(n);
  return { sign, keep, canon };
}
