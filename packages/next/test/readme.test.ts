/**
 * Docs that hold: every TypeScript and JavaScript snippet of packages/next/README.md is written to a
 * small app (`test/.readme/`, removed afterwards) under the path its first line names, type-checked
 * with the TypeScript compiler (strict), then run: pages rendered, route handlers called, server
 * actions invoked, each against a real key, with every signed URL verified. A snippet without a plan
 * below fails the test, so a new snippet cannot go unchecked.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifySignedUrl } from '@cfsign/core';
import { cloneElement, Fragment, isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const connection = vi.fn(async () => {});
const headerState = { session: false };
const jar = new Map<string, { value: string; options: Record<string, unknown> }>();
vi.mock('server-only', () => ({}));
vi.mock('next/server', () => ({ connection }));
vi.mock('next/headers', () => ({
  cookies: async () => ({
    has: (name: string) => name === 'session' && headerState.session,
    set: (name: string, value: string, options: Record<string, unknown>) => jar.set(name, { value, options }),
  }),
}));

const pkg = fileURLToPath(new URL('..', import.meta.url));
const app = join(pkg, 'test/.readme');
const CDN = 'https://cdn.example.com';
const KEY_ID = 'K2READMESNIPPETS';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = { [KEY_ID]: publicKey.export({ type: 'spki', format: 'pem' }).toString() };

interface Snippet {
  lang: string;
  path: string;
  code: string;
}

/** The fenced code blocks of the README; TS/JS ones must name their file on the first line. */
function snippets(): { code: Snippet[]; other: string[] } {
  const text = readFileSync(join(pkg, 'README.md'), 'utf8');
  const code: Snippet[] = [];
  const other: string[] = [];
  for (const m of text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)) {
    const [, lang, body] = m as unknown as [string, string, string];
    if (!['ts', 'tsx', 'js', 'mjs'].includes(lang)) {
      other.push(lang);
      continue;
    }
    const path = /^\/\/ ([\w./[\]-]+\.(?:tsx?|mjs|js))\b/.exec(body)?.[1];
    if (path === undefined) throw new Error(`README snippet without a "// path" first line:\n${body}`);
    code.push({ lang, path, code: body });
  }
  return { code, other };
}

/** `@/x` as the relative import it is in the app (the alias of create-next-app). */
function withRelativeAlias(path: string, code: string): string {
  return code.replace(/(from |import\()'@\/([^']+)'/g, (_s, how: string, target: string) => {
    let rel = relative(dirname(join(app, path)), join(app, target));
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `${how}'${rel}'`;
  });
}

/** Resolves async server components (what Next's RSC renderer does) into plain elements. */
async function resolveTree(node: ReactNode): Promise<ReactNode> {
  if (Array.isArray(node)) return Promise.all(node.map(resolveTree));
  if (!isValidElement(node)) return node;
  const el = node as ReactElement<{ children?: ReactNode }>;
  if (typeof el.type === 'function')
    return resolveTree(await (el.type as (p: unknown) => ReactNode | Promise<ReactNode>)(el.props));
  const children = await resolveTree(el.props.children);
  return el.type === Fragment ? children : cloneElement(el, undefined, children);
}

async function render(page: () => ReactNode | Promise<ReactNode>): Promise<string> {
  return renderToStaticMarkup(await resolveTree(await page()));
}

/** Every CDN URL in src/srcset/poster/href of some HTML. */
function cdnUrls(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\s(src|srcSet|srcset|poster|href)="([^"]*)"/g)) {
    const value = m[2]!.replace(/&amp;/g, '&');
    const list = /srcset/i.test(m[1]!) ? value.split(',').map((c) => c.trim().split(/\s+/)[0]!) : [value];
    out.push(...list.filter((u) => u.startsWith(CDN)));
  }
  return out;
}

async function expectVerified(url: string): Promise<void> {
  const verdict = await verifySignedUrl(url, { keys });
  expect(verdict.ok, `${url}: ${JSON.stringify(verdict)}`).toBe(true);
}

const load = <T>(path: string) => import(join(app, path)) as Promise<T>;
type Handler = (request: Request, context?: unknown) => Promise<Response>;

/** How each snippet is run, by the file it names. Order matters only for the env-only snippet. */
const plans: Record<string, () => Promise<void>> = {
  // First: the env-only helpers refuse once a config module has called cfsign({...}).
  async 'app/env-only/route.ts'() {
    vi.stubEnv('CLOUDFRONT_RULES', '[{"match":"/media/**","expiresIn":"10m"}]');
    try {
      const { GET } = await load<{ GET: () => Promise<Response> }>('app/env-only/route.ts');
      const { src } = (await (await GET()).json()) as { src: string };
      expect(src.startsWith(`${CDN}/media/cat.jpg?`)).toBe(true);
      await expectVerified(src);
    } finally {
      vi.unstubAllEnvs();
      env();
    }
  },
  async 'lib/cfsign.ts'() {
    const m = await load<Record<string, unknown>>('lib/cfsign.ts');
    for (const name of [
      'signUrl',
      'SignedImage',
      'SignedVideo',
      'mediaRedirect',
      'withSignedLinks',
      'setSignedCookies',
    ])
      expect(typeof m[name], name).toBe('function');
    const { signUrl } = m as { signUrl: (u: string) => Promise<string> };
    await expect(signUrl('/media/secret/plan.pdf')).rejects.toMatchObject({ code: 'ERR_NO_MATCHING_RULE' });
  },
  async 'app/gallery/page.tsx'() {
    const { default: Page } = await load<{ default: () => Promise<ReactNode> }>('app/gallery/page.tsx');
    connection.mockClear();
    const html = await render(Page);
    expect(connection).toHaveBeenCalled();
    const urls = [...new Set(cdnUrls(html))];
    expect(urls.some((u) => u.includes('/media/cat.jpg?w='))).toBe(true);
    expect(urls.some((u) => u.includes('/video/7/poster.jpg?'))).toBe(true);
    expect(urls.some((u) => u.includes('/video/7/clip.mp4?'))).toBe(true);
    expect(urls.some((u) => u.includes('/media/report.pdf?'))).toBe(true);
    for (const u of urls) await expectVerified(u);
    expect(html).not.toMatch(/(?:src|poster|href)="\/(?:media|video)\//);
  },
  async 'app/reports/page.tsx'() {
    const mod = await load<{ default: () => Promise<ReactNode>; revalidate: number }>('app/reports/page.tsx');
    expect(mod.revalidate).toBe(3600);
    connection.mockClear();
    const now = Math.floor(Date.now() / 1000);
    const [url] = cdnUrls(await render(mod.default));
    expect(connection).not.toHaveBeenCalled();
    await expectVerified(url!);
    const expires = Number(new URL(url!).searchParams.get('Expires'));
    expect(expires).toBeGreaterThanOrEqual(now + 3600 + 900);
    expect(expires).toBeLessThanOrEqual(now + 3600 + 900 + 61);
  },
  async 'instrumentation.ts'() {
    const { register } = await load<{ register: () => Promise<void> }>('instrumentation.ts');
    vi.stubEnv('NEXT_RUNTIME', 'nodejs');
    try {
      await register();
      // The same start-up check fails loudly on a broken key.
      vi.stubEnv('CLOUDFRONT_PRIVATE_KEY', 'not a key');
      vi.resetModules();
      const fresh = await load<{ register: () => Promise<void> }>('instrumentation.ts');
      await expect(fresh.register()).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_/) });
    } finally {
      vi.unstubAllEnvs();
      env();
    }
  },
  async 'app/media/[...path]/route.ts'() {
    const { GET } = await load<{ GET: Handler }>('app/media/[...path]/route.ts');
    const at = (p: string) => GET(new Request(`https://www.example.com${p}`));
    headerState.session = false;
    expect((await at('/media/cat.jpg')).status).toBe(403);
    headerState.session = true;
    const ok = await at('/media/cat.jpg');
    expect(ok.status).toBe(307);
    expect(ok.headers.get('cache-control')).toBe('private, no-store');
    await expectVerified(ok.headers.get('location')!);
    // The config module's authorize, on a route hit before any page rendered.
    expect((await at('/media/secret/plan.pdf')).status).toBe(403);
    expect((await at('/other/cat.jpg')).status).toBe(404);
  },
  async 'app/playlists/[id]/route.ts'() {
    const { GET } = await load<{ GET: Handler }>('app/playlists/[id]/route.ts');
    const res = await GET(new Request('https://www.example.com/playlists/7'), {
      params: Promise.resolve({ id: '7' }),
    });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const segments = (await res.text()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatch(/^https:\/\/cdn\.example\.com\/video\/7\/seg0\.ts\?Policy=/);
    await expectVerified(segments[0]!);
  },
  async 'app/actions.ts'() {
    const { unlockCourse } = await load<{ unlockCourse: (id: number) => Promise<void> }>('app/actions.ts');
    jar.clear();
    await unlockCourse(42);
    expect([...jar.keys()].sort()).toEqual([
      'CloudFront-Key-Pair-Id',
      'CloudFront-Policy',
      'CloudFront-Signature',
    ]);
    for (const { options } of jar.values()) {
      expect(options).toMatchObject({
        domain: 'example.com',
        path: '/courses/42/',
        secure: true,
        httpOnly: true,
      });
      expect(options.maxAge).toBeGreaterThanOrEqual(12 * 3600);
    }
    const cookie = [...jar].map(([n, { value }]) => `${n}=${value}`).join('; ');
    const { verifySignedCookies } = await import('@cfsign/core');
    expect((await verifySignedCookies(`${CDN}/courses/42/intro.mp4`, cookie, { keys })).ok).toBe(true);
    expect((await verifySignedCookies(`${CDN}/courses/43/intro.mp4`, cookie, { keys })).ok).toBe(false);
  },
  async 'next.config.mjs'() {
    const { default: config } = await load<{
      default: { images: { remotePatterns: { protocol: string; hostname: string; pathname: string }[] } };
    }>('next.config.mjs');
    const [pattern] = config.images.remotePatterns;
    // The pattern admits the signed URLs the helpers make.
    const { signUrl } = await load<{ signUrl: (u: string) => Promise<string> }>('lib/cfsign.ts');
    const url = new URL(await signUrl('/media/cat.jpg'));
    expect(`${url.protocol}`).toBe(`${pattern!.protocol}:`);
    expect(url.hostname).toBe(pattern!.hostname);
    expect(url.pathname.startsWith(pattern!.pathname.replace(/\*\*$/, ''))).toBe(true);
  },
};

function env(): void {
  vi.stubEnv('CLOUDFRONT_KEY_PAIR_ID', KEY_ID);
  vi.stubEnv(
    'CLOUDFRONT_PRIVATE_KEY',
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim().replace(/\n/g, '\\n'),
  );
  vi.stubEnv('CLOUDFRONT_DOMAIN', 'cdn.example.com');
  vi.stubEnv('CLOUDFRONT_SITE_ORIGINS', 'https://www.example.com');
}

const { code: list, other } = snippets();

beforeAll(() => {
  env();
  rmSync(app, { recursive: true, force: true });
  for (const s of list) {
    const file = join(app, s.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, withRelativeAlias(s.path, s.code));
  }
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(app, { recursive: true, force: true });
});

describe('packages/next/README.md', () => {
  it('has one plan per snippet, one file per snippet, and only shell blocks besides', () => {
    expect(list.map((s) => s.path).sort()).toEqual(Object.keys(plans).sort());
    expect(new Set(list.map((s) => s.path)).size).toBe(list.length);
    expect(new Set(other)).toEqual(new Set(['sh']));
  });

  it('every snippet type-checks (strict, react-jsx, bundler resolution)', () => {
    const program = ts.createProgram(
      list.map((s) => join(app, s.path)),
      {
        strict: true,
        noEmit: true,
        allowJs: true,
        checkJs: true,
        skipLibCheck: true,
        jsx: ts.JsxEmit.ReactJSX,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        types: ['node'],
        paths: { '@cfsign/next': [join(pkg, 'src/index.ts')] },
      },
    );
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${relative(pkg, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  }, 120_000);

  for (const path of Object.keys(plans))
    it(`runs ${path}`, async () => {
      await plans[path]!();
    });
});
