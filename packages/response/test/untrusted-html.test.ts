/**
 * untrustedHtml: user HTML wrapped in an untrusted region stays unsigned, whatever it tries to
 * re-open signing with, at every split point of the page; JSON fields named untrusted are never
 * signed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSigner } from '@cfsign/core';
import { createEngine, rewriteBytes } from '@cfsign/rewriter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTACKS } from '../../../test/adapters/untrusted.js';
import {
  createSession,
  prepareOptions,
  signJsonValue,
  signWebResponse,
  untrustedHtml,
} from '../src/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const resolve = (u: string) => (u.includes('/private/') ? `${u}?sig` : null);

/** The page rewritten whole, at every two-chunk split, and one byte at a time: all must agree. */
function rewriteEverySplit(html: string): string {
  const whole = dec.decode(rewriteBytes('html', html, { resolve, charset: 'utf-8' }) as Uint8Array);
  const bytes = enc.encode(html);
  const run = (chunks: Uint8Array[]) => {
    const e = createEngine('html', { resolve, charset: 'utf-8' });
    const parts = chunks.map((c) => e.push(c, false) as Uint8Array);
    parts.push(e.push(new Uint8Array(0), true) as Uint8Array);
    return Buffer.concat(parts).toString('utf8');
  };
  for (let at = 0; at <= bytes.length; at++)
    expect(run([bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toBe(whole);
  expect(run(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)))).toBe(whole);
  return whole;
}

const OWN_1 = '<img src="/private/site/logo.png">';
const OWN_2 = '<a href="/private/site/report.pdf">report</a>';
const page = (comment: string) =>
  `<!doctype html><main>${OWN_1}<section class=comments>${untrustedHtml(comment)}</section>${OWN_2}</main>`;
const signedPage = (comment: string) =>
  page(comment).replace('logo.png"', 'logo.png?sig"').replace('report.pdf"', 'report.pdf?sig"');

describe('untrustedHtml', () => {
  it('wraps the HTML in a region and neutralises markers inside it', () => {
    expect(untrustedHtml('<p>hi</p>')).toBe('<!-- cfsign:off --><p>hi</p><!-- cfsign:on -->');
    expect(untrustedHtml('<!-- CfSign:on -->')).toBe(
      '<!-- cfsign:off --><!-- CfSign&#58;on --><!-- cfsign:on -->',
    );
    expect(untrustedHtml('design: x')).toBe('<!-- cfsign:off -->design: x<!-- cfsign:on -->');
  });

  it('writes HTML that would swallow the closing marker as text', () => {
    expect(untrustedHtml('<!-- <b>')).toBe('<!-- cfsign:off -->&lt;!-- &lt;b><!-- cfsign:on -->');
    expect(untrustedHtml('<b>ok</b><!-- closed -->')).toBe(
      '<!-- cfsign:off --><b>ok</b><!-- closed --><!-- cfsign:on -->',
    );
  });

  it('rejects what is not a string', () => {
    expect(() => untrustedHtml(42 as unknown as string)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARGUMENT',
        message: expect.stringMatching(/as a string, got number/),
      }),
    );
  });

  it.each(ATTACKS)('%s: the comment stays unsigned, the page is signed, at every split', (_name, attack) => {
    expect(rewriteEverySplit(page(attack))).toBe(signedPage(attack));
  });

  it('holds for any mix of the attacks (property)', () => {
    const fragments = ATTACKS.map(([, a]) => a).concat(['<p>', '</p>', 'text', '-->', '<!--', '<', '"']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 6 }), (parts) => {
        const comment = parts.join('');
        const out = dec.decode(
          rewriteBytes('html', page(comment), { resolve, charset: 'utf-8' }) as Uint8Array,
        );
        expect(out).toBe(signedPage(comment));
      }),
      { numRuns: 300 },
    );
  });

  it('works in string templates (EJS <%- %>, Handlebars {{{ }}} style)', () => {
    const comments = ['nice!', '<a href="/private/users/7/x.pdf">mine</a><!--cfsign:on-->'];
    // what `<% for (c of comments) { %><li><%- untrustedHtml(c) %></li><% } %>` renders
    const ejs = `<ul>${comments.map((c) => `<li>${untrustedHtml(c)}</li>`).join('')}</ul>${OWN_1}`;
    const hbs = '<ul>{{#each comments}}<li>{{{untrusted this}}}</li>{{/each}}</ul>'.replace(
      /\{\{#each comments\}\}(.*)\{\{\/each\}\}/,
      (_, item: string) =>
        comments.map((c) => item.replace('{{{untrusted this}}}', untrustedHtml(c))).join(''),
    );
    for (const html of [ejs, `${hbs}${OWN_1}`]) {
      const out = rewriteEverySplit(html);
      expect(out).toContain('href="/private/users/7/x.pdf"');
      expect(out).toContain('logo.png?sig');
    }
  });
});

describe('untrusted JSON fields', () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = createSigner({
    keyPairId: 'K2UNTRUSTEDJSON',
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  const rules = {
    cdn: 'https://d111111abcdef8.cloudfront.net',
    origins: ['https://www.example.com'],
    rules: [{ match: '/private/**' }],
  };
  const body = {
    avatar: '/private/site/a.jpg',
    comments: [{ body: '/private/users/42/tax.pdf', author: { name: 'x', bio: '/private/users/42/b.pdf' } }],
  };

  it('nothing at or under an untrustedKeys name is signed, in values and in JSON text', async () => {
    const prepared = prepareOptions({ rules, signer, signJson: { untrustedKeys: ['body', 'author'] } });
    const request = new Request('https://www.example.com/api');
    const session = createSession(prepared, { url: request.url, clientIp: undefined, req: null });
    const out = (await signJsonValue(body, session, prepared.signJson || null)) as typeof body;
    expect(out.avatar).toMatch(/^https:\/\/d111111abcdef8\.cloudfront\.net\/private\/site\/a\.jpg\?Expires=/);
    expect(out.comments).toEqual(body.comments);
    const res = await signWebResponse(request, Response.json(body), {
      signJson: true,
      begin: () => ({ prepared, session }),
    });
    const json = (await res.json()) as typeof body;
    expect(json.avatar).toMatch(/Signature=/);
    expect(json.comments).toEqual(body.comments);
  });

  it('without untrustedKeys the same user text would be signed (the risk this closes)', async () => {
    const prepared = prepareOptions({ rules, signer, signJson: true });
    const session = createSession(prepared, {
      url: 'https://www.example.com/api',
      clientIp: undefined,
      req: null,
    });
    const out = (await signJsonValue(body, session, prepared.signJson || null)) as typeof body;
    expect(out.comments[0]!.body).toMatch(/Signature=/);
  });
});
