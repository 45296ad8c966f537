/**
 * untrustedHtml with React server rendering: `dangerouslySetInnerHTML` writes the region as it is,
 * so a comment's links stay unsigned while the page's own are signed. Also: @cfsign/next re-exports
 * the one implementation of @cfsign/response.
 */

import { untrustedHtml } from '@cfsign/response';
import { rewriteBytes } from '@cfsign/rewriter';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/server', () => ({ connection: async () => {} }));

const resolve = (u: string) => (u.includes('/private/') ? `${u}?sig` : null);

describe('untrustedHtml in React server rendering', () => {
  it('is the function of @cfsign/response', async () => {
    const next = await import('@cfsign/next');
    expect(next.untrustedHtml).toBe(untrustedHtml);
  });

  it('renderToString keeps the region; its links stay unsigned, the page is signed', () => {
    const comments = [
      '<img src="/private/users/42/tax.pdf"><!-- cfsign:on --><img src="/private/users/42/b.jpg">',
    ];
    const html = renderToString(
      createElement(
        'main',
        null,
        createElement('img', { src: '/private/site/logo.png' }),
        ...comments.map((c, i) =>
          createElement('div', {
            key: i,
            className: 'comment',
            // biome-ignore lint/security/noDangerouslySetInnerHtml: the point of the test (user HTML, sanitised upstream)
            dangerouslySetInnerHTML: { __html: untrustedHtml(c) },
          }),
        ),
        createElement('a', { href: '/private/site/report.pdf' }, 'report'),
      ),
    );
    expect(html).toContain('<!-- cfsign:off -->');
    const out = new TextDecoder().decode(
      rewriteBytes('html', html, { resolve, charset: 'utf-8' }) as Uint8Array,
    );
    expect(out).toContain('src="/private/site/logo.png?sig"');
    expect(out).toContain('href="/private/site/report.pdf?sig"');
    expect(out).toContain('src="/private/users/42/tax.pdf"');
    expect(out).toContain('src="/private/users/42/b.jpg"');
    expect(out).not.toMatch(/users\/42\/[^"]*\?sig/);
  });
});
