/**
 * The published surface: every `exports` target exists after the build, the core picks its crypto
 * backend by export condition, and the export names do not change by accident.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../packages/', import.meta.url));
const packages = readdirSync(root).filter((d) => existsSync(`${root}${d}/package.json`));
const manifest = (dir: string) => JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8'));

function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

describe.each(packages)('@cfsign/%s package surface', (dir) => {
  const pkg = manifest(dir);
  test('is ESM with an exports map for import and require whose every target exists, types first', () => {
    expect(pkg.name).toBe(`@cfsign/${dir}`);
    expect(pkg.type).toBe('module');
    expect(pkg.license).toBe('MIT');
    expect(pkg.files).toContain('LICENSE');
    expect(pkg.exports['./package.json']).toBe('./package.json');
    const typesFirst = (entry: unknown, where: string): void => {
      if (!entry || typeof entry !== 'object') return;
      const keys = Object.keys(entry);
      if (keys.includes('types')) expect(keys[0], where).toBe('types');
      for (const [k, v] of Object.entries(entry)) typesFirst(v, `${where} ${k}`);
    };
    for (const [subpath, entry] of Object.entries<Record<string, unknown> | string>(pkg.exports)) {
      if (typeof entry === 'object') {
        expect(Object.keys(entry), subpath).toEqual(['import', 'require']);
        for (const t of targets(entry.require)) expect(t, `${subpath} require`).toMatch(/^\.\/dist\/cjs\//);
        for (const t of targets(entry.import)) expect(t, `${subpath} import`).not.toMatch(/\/cjs\//);
      }
      typesFirst(entry, subpath);
      for (const target of targets(entry))
        expect(existsSync(`${root}${dir}/${target}`), `${subpath} -> ${target}`).toBe(true);
    }
    expect(readFileSync(`${root}${dir}/dist/cjs/package.json`, 'utf8')).toContain('"commonjs"');
  });
});

describe('@cfsign/core picks its crypto backend by export condition', () => {
  test.each([
    ['import', './dist/'],
    ['require', './dist/cjs/'],
  ])(
    '%s: edge and worker runtimes get WebCrypto before the node condition is consulted; default is WebCrypto',
    (kind, base) => {
      const exp = manifest('core').exports['.'][kind];
      const keys = Object.keys(exp);
      for (const c of ['workerd', 'edge-light', 'worker', 'browser', 'deno']) {
        expect(exp[c]).toBe(`${base}index.web.js`);
        expect(keys.indexOf(c)).toBeLessThan(keys.indexOf('node'));
      }
      expect(exp.node).toBe(`${base}index.node.js`);
      expect(exp.default).toBe(`${base}index.web.js`);
    },
  );

  test('both entries export the same names, and those names are stable', async () => {
    const node = await import(`${root}core/dist/index.node.js`);
    const web = await import(`${root}core/dist/index.web.js`);
    const names = (m: object) =>
      Object.keys(m)
        .filter((k) => !k.endsWith('Backend'))
        .sort();
    expect(names(web)).toEqual(names(node));
    expect(node.backendName).toBe('node');
    expect(web.backendName).toBe('webcrypto');
    expect(names(node)).toEqual([
      'COOKIE_NAMES',
      'CfsignError',
      'SIGNING_PARAMS',
      'appendSignedQuery',
      'backendName',
      'cannedPolicy',
      'canonicalizeUrl',
      'cfBase64Decode',
      'cfBase64Encode',
      'checkOriginSecret',
      'clearCookies',
      'cookiePathFor',
      'createKeyGroup',
      'createOriginSecretCheck',
      'createSigner',
      'customPolicy',
      'derToRaw',
      'getSignedCookies',
      'getSignedUrl',
      'ipInRange',
      'isCfsignError',
      'matchWildcard',
      'normalizeIpRange',
      'paramsFromCookies',
      'paramsFromUrl',
      'parseDuration',
      'parsePolicy',
      'rawToDer',
      'serializeCookie',
      'stripSigningParams',
      'toEpochSeconds',
      'verifyRequest',
      'verifySignedCookies',
      'verifySignedUrl',
    ]);
  });

  test.each([
    ['express', ['cloudfrontSigner', 'originGuard', 'shouldRewrite', 'untrustedHtml']],
    ['koa', ['cloudfrontSigner', 'originGuard', 'shouldRewrite', 'untrustedHtml']],
    [
      'emulator',
      [
        'MANAGED_CACHE_POLICIES',
        'checkDistribution',
        'createEmulator',
        'createRequestHandler',
        'emulatorConfigFromDistribution',
        'loadDistribution',
        'parseDocument',
        'readDistributionFiles',
      ],
    ],
    ['cli', ['ADVICE', 'EXIT', 'runCli']],
    ['fastify', ['cloudfrontSigner', 'untrustedHtml']],
    ['web', ['createWebSigner', 'guardRequest', 'signResponse', 'untrustedHtml']],
    ['hono', ['cloudfrontSigner', 'untrustedHtml']],
  ])('@cfsign/%s exports', async (dir, expected) => {
    expect(Object.keys(await import(`${root}${dir}/dist/index.js`)).sort()).toEqual(expected);
  });
});

test('the Web-standard core does not reference node: modules outside the Node backend', () => {
  const dist = `${root}core/dist/`;
  const nodeOnly = new Set(['index.node.js', 'crypto/node.js']);
  const files = readdirSync(dist, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js') && !nodeOnly.has(f) && !f.startsWith('cjs/'));
  expect(files.length).toBeGreaterThan(10);
  const code = (f: string) =>
    readFileSync(dist + f, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
  for (const f of files) expect(code(f), f).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|\bprocess\./);
});

test.each(['web', 'hono'])('@cfsign/%s (Web-standard) references no node: module', (dir) => {
  const dist = `${root}${dir}/dist/`;
  const files = readdirSync(dist, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'));
  expect(files.length).toBeGreaterThan(1);
  for (const f of files)
    expect(readFileSync(dist + f, 'utf8'), f).not.toMatch(/from ['"]node:|require\(['"]node:|\bBuffer\b/);
});
