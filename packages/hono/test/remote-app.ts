/**
 * The Hono app of routes.ts on runtimes other than Node: inside workerd (Miniflare from npm), on
 * Bun and on Deno (both from npm). The entry is bundled by esbuild for the `worker` condition (so
 * @cfsign/core is its web build, no node:* module), and a small proxy on 127.0.0.1 in front of the
 * runtime takes each response's report (skips, errors) off.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfsignError, type CfsignErrorCode } from '@cfsign/core';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { signer as defaultSigner, page } from '../../../test/adapters/harness.js';
import { type Adapter, BODIES, streamChunks } from '../../../test/adapters/routes.js';

const packages = fileURLToPath(new URL('../../', import.meta.url));
const bundles = new Map<string, Promise<{ text: string; inputs: string[] }>>();

/** The runtimes this adapter runs the app on. */
export type Runtime = 'workerd' | 'bun' | 'deno';

/** The path of the runtime's binary from npm, or `null` (with the reason) when it is not usable here. */
export function runtimeBinary(runtime: 'bun' | 'deno'): { path: string } | { reason: string } {
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    const pkg = require.resolve(`${runtime}/package.json`);
    path = join(pkg, '..', runtime === 'bun' ? 'bin/bun.exe' : 'bin.cjs');
  } catch (err) {
    return { reason: `${runtime} is not installed from npm (${(err as Error).message.split('\n')[0]})` };
  }
  try {
    const [cmd, args] = runtime === 'deno' ? [process.execPath, [path]] : [path, []];
    execFileSync(cmd, [...args, '--version'], { stdio: 'pipe', timeout: 60_000 });
    return { path };
  } catch (err) {
    return {
      reason: `${runtime} from npm does not run here (${String((err as Error).message).split('\n')[0]})`,
    };
  }
}

/** The app bundle for a runtime, built once; @cfsign/* resolve to their sources (core: the web entry). */
export function appBundle(runtime: Runtime = 'workerd'): Promise<{ text: string; inputs: string[] }> {
  const cached = bundles.get(runtime);
  if (cached !== undefined) return cached;
  const bundle = build({
    entryPoints: [
      fileURLToPath(new URL(`./${runtime === 'workerd' ? 'app' : runtime}-entry.ts`, import.meta.url)),
    ],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: runtime === 'workerd' ? ['worker'] : [runtime, 'worker'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    alias: {
      '@cfsign/core': `${packages}core/src/index.web.ts`,
      '@cfsign/response': `${packages}response/src/index.ts`,
      '@cfsign/rewriter': `${packages}rewriter/src/index.ts`,
      '@cfsign/web': `${packages}web/src/index.ts`,
    },
  }).then((out) => ({ text: out.outputFiles[0]!.text, inputs: Object.keys(out.metafile.inputs) }));
  bundles.set(runtime, bundle);
  return bundle;
}

/** Starts the bundle on Bun or Deno with the spec in its environment; resolves the URL and a closer. */
async function spawnRuntime(
  runtime: 'bun' | 'deno',
  text: string,
  spec: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const bin = runtimeBinary(runtime);
  if (!('path' in bin)) throw new Error(bin.reason);
  const dir = mkdtempSync(join(tmpdir(), `cfsign-${runtime}-`));
  const file = join(dir, 'app.mjs');
  writeFileSync(file, text);
  const args = runtime === 'bun' ? ['run', file] : ['run', '--allow-net', '--allow-env', '--no-prompt', file];
  const child = spawn(
    runtime === 'deno' ? process.execPath : bin.path,
    runtime === 'deno' ? [bin.path, ...args] : args,
    {
      env: { ...process.env, CFSIGN_SPEC: spec, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      // Its own process group: npm's deno shim starts the real binary as a child, and both must end.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`${runtime} exited before listening: ${err}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

export function honoRemoteAdapter(runtime: Runtime, logs: string[]): Adapter {
  const names = { workerd: 'hono on workerd (Miniflare)', bun: 'hono on Bun', deno: 'hono on Deno' };
  const elsewhere = `the app runs in ${runtime}'s process, not this one`;
  return {
    name: names[runtime],
    sources: ['string', 'buffer', 'stream', 'chunks', 'web-stream', 'response'],
    compressionOrder: 'skipped',
    conditional: 'path',
    encodings: ['gzip'],
    unsupported: {
      'drain-loop': 'a Fetch Response has no EventEmitter: backpressure is the ReadableStream pull',
      memory: elsewhere,
      'page-memo': `the signer is rebuilt inside ${runtime}, so its calls cannot be counted from here (the memo is the response layer's, run on Node by the Hono-on-Node app)`,
      authorize: `the framework request cannot cross out of ${runtime}'s process (the hook is asked over HTTP)`,
      ...(runtime === 'workerd' && {
        'stream-abort':
          'workerd itself ends a response whose body stream fails (chunk terminator, Connection: close): the runtime owns the connection',
        compression:
          'workerd encodes responses itself (by Content-Encoding); hono/compress is for Node, Bun and Deno',
      }),
    },
    async start(spec) {
      const skips: string[] = [];
      const errors: unknown[] = [];
      const failAt = (spec.signer as { failAt?: number }).failAt;
      if (typeof (spec.signer as { signUrl?: unknown }).signUrl !== 'function')
        throw new CfsignError(
          'ERR_INVALID_OPTIONS',
          '"signer" must be a Signer: pass createSigner({ keyPairId, privateKey }) of @cfsign/core.',
        );
      if (spec.signer !== defaultSigner && failAt === undefined)
        throw new Error('the workerd adapter rebuilds only the harness signers');
      const closers: Array<() => Promise<void>> = [];
      let gateUrl: string | undefined;
      if (spec.ssrGate !== undefined) {
        const gate = spec.ssrGate;
        const gateServer = createServer((_req, res) => void gate().then(() => res.end('open')));
        gateUrl = `${await listen(gateServer)}/gate`;
        closers.push(
          () =>
            new Promise((resolve) => {
              gateServer.closeAllConnections();
              gateServer.close(() => resolve());
            }),
        );
      }
      let authorizeUrl: string | undefined;
      const authorize = spec.options?.authorize;
      if (typeof authorize === 'function') {
        // The hook stays here; the app asks it over HTTP (the framework request cannot cross).
        const hook = authorize as (req: unknown, url: string) => boolean | Promise<boolean>;
        const hookServer = createServer((req, res) => {
          const link = new URL(req.url ?? '/', 'http://x').searchParams.get('url') ?? '';
          void Promise.resolve()
            .then(() => hook({ remote: runtime }, link))
            .then(
              (ok) => res.end(ok === true ? 'yes' : 'no'),
              () => res.end('no'),
            );
        });
        authorizeUrl = `${await listen(hookServer)}/authorize`;
        closers.push(
          () =>
            new Promise((resolve) => {
              hookServer.closeAllConnections();
              hookServer.close(() => resolve());
            }),
        );
      }
      const { text } = await appBundle(runtime);
      const { PRIVATE_PEM, KEY_ID } = await import('../../../test/adapters/harness.js');
      const wire = {
        rules: spec.rules,
        keyPairId: KEY_ID,
        privateKey: PRIVATE_PEM,
        ...(failAt !== undefined && { failAt }),
        ...(spec.options !== undefined && { options: spec.options }),
        ...(authorizeUrl !== undefined && { authorizeUrl }),
        ...(spec.compression !== undefined && { compression: spec.compression }),
        ...(spec.trustProxy !== undefined && { trustProxy: spec.trustProxy }),
        ...(gateUrl !== undefined && { gateUrl }),
        html: page(),
        bodies: { ...BODIES, encoded: Buffer.from(BODIES.encoded).toString('base64') },
        streamChunks: streamChunks(10),
      };
      let target: URL;
      if (runtime === 'workerd') {
        const mf = new Miniflare({
          modules: [{ type: 'ESModule', path: 'worker.mjs', contents: text }],
          compatibilityDate: '2025-01-01',
          compatibilityFlags: [],
          bindings: { SPEC: JSON.stringify(wire) },
        });
        closers.push(() => mf.dispose());
        target = new URL(await mf.ready);
      } else {
        const started = await spawnRuntime(runtime, text, JSON.stringify(wire));
        closers.push(() => started.close());
        target = new URL(started.url);
      }
      // Options are validated inside the worker: a bad one fails the first request.
      const probe = await fetch(new URL('/__probe', target));
      await probe.arrayBuffer();
      const refused = (
        JSON.parse(probe.headers.get('x-test-report') ?? '{}') as {
          refused?: { name: string; code?: string; message: string };
        }
      ).refused;
      if (probe.status === 500 || refused !== undefined) {
        await Promise.all(closers.map((c) => c()));
        // The worker's error as it was thrown there: a CfsignError keeps its code.
        if (refused?.code !== undefined)
          throw new CfsignError(refused.code as CfsignErrorCode, refused.message);
        throw new TypeError(refused?.message ?? 'the worker refused its options (see its error report)');
      }
      const proxy = createServer((req, res) => {
        const up = httpRequest(
          target,
          // A connection per request: runtimes close idle keep-alive connections on their own terms.
          { method: req.method, path: req.url, headers: req.headers, agent: false },
          (pres) => {
            const report = JSON.parse(
              String(pres.headers['x-test-report'] ?? '{"skips":[],"errors":[]}'),
            ) as {
              skips: string[];
              errors: Array<{ code?: string; message: string }>;
            };
            skips.push(...report.skips);
            for (const e of report.errors) errors.push(Object.assign(new Error(e.message), { code: e.code }));
            const headers = { ...pres.headers };
            delete headers['x-test-report'];
            res.writeHead(pres.statusCode ?? 502, headers);
            pres.pipe(res);
            pres.on('error', () => res.destroy());
            pres.on('end', () => {
              if (!pres.complete) res.destroy();
            });
            res.on('close', () => pres.destroy());
          },
        );
        up.on('error', () => res.destroy());
        req.pipe(up);
      });
      const base = await listen(proxy);
      closers.unshift(
        () =>
          new Promise((resolve) => {
            proxy.closeAllConnections();
            proxy.close(() => resolve());
          }),
      );
      return {
        base,
        errors,
        skips,
        logs,
        close: async () => {
          for (const c of closers) await c();
        },
      };
    },
  };
}
