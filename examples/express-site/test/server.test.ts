/**
 * `npm run demo` as documented: PORT chooses the port, a busy or invalid PORT gets one clear line
 * (no stack trace), and SIGTERM / SIGINT stop the server process (the npm script execs its way down
 * to `node server.mjs`, so the signal reaches it).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const siteDir = fileURLToPath(new URL('..', import.meta.url));

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: siteDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`exited before listening:\n${out}${err}`)));
  });
  url.catch(() => {}); // awaited only by the tests that expect a listening server
  return { child, url, exited, output: () => ({ out, err }) };
}

async function stopsOn(signal: NodeJS.Signals) {
  const s = startServer({ PORT: '0' });
  const url = await s.url;
  expect((await fetch(url)).status).toBe(200);
  s.child.kill(signal);
  const [code] = await s.exited;
  expect(code).toBe(0);
  await expect(fetch(url)).rejects.toThrow();
}

describe('the demo server (examples/express-site/server.mjs)', () => {
  test('listens on PORT and serves the gallery', async () => {
    const s = startServer({ PORT: '0' });
    try {
      const url = await s.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await (await fetch(url)).text()).toContain('Signature=');
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  });

  test('SIGTERM stops it and frees the port', () => stopsOn('SIGTERM'));
  test('SIGINT stops it and frees the port', () => stopsOn('SIGINT'));

  test('a busy PORT: one line naming PORT, no stack trace, exit 1', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const s = startServer({ PORT: String(port) });
      const [code] = await s.exited;
      const { out, err } = s.output();
      expect(code).toBe(1);
      expect(err.trim().split('\n')).toEqual([
        `cfsign demo: port ${port} is in use; set PORT to a free one, e.g. PORT=8081 npm run demo`,
      ]);
      expect(out + err).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  test('an invalid PORT: one line, exit 2', async () => {
    const s = startServer({ PORT: 'eighty' });
    const [code] = await s.exited;
    expect(code).toBe(2);
    expect(s.output().err.trim()).toBe('cfsign demo: PORT must be a port number (0-65535), not "eighty".');
  });

  test('npm run demo execs down to node, so a signal to npm reaches the server', () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(root.scripts.demo).toBe('exec bash scripts/demo.sh');
    const script = readFileSync(new URL('../../../scripts/demo.sh', import.meta.url), 'utf8');
    expect(script.trim().split('\n').at(-1)).toBe('exec node server.mjs');
  });
});
