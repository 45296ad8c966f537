/**
 * The Hono app of routes.ts inside workerd (Miniflare from npm): worker-entry.ts is bundled by
 * esbuild for the `worker` condition (so @cfsign/core is its web build, no node:* module), and a
 * small proxy on 127.0.0.1 in front of Miniflare takes each response's report (skips, errors) off.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { signer as defaultSigner, page } from '../../../test/adapters/harness.js';
import { type Adapter, BODIES, streamChunks } from '../../../test/adapters/routes.js';

const packages = fileURLToPath(new URL('../../', import.meta.url));
let bundle: Promise<{ text: string; inputs: string[] }> | undefined;

/** The worker bundle, built once; @cfsign/* resolve to their sources (core: the web entry). */
export function workerBundle(): Promise<{ text: string; inputs: string[] }> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('./worker-entry.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['worker'],
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
  return bundle;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

export function honoWorkerdAdapter(logs: string[]): Adapter {
  return {
    name: 'hono on workerd (Miniflare)',
    sources: ['string', 'buffer', 'stream', 'chunks', 'web-stream', 'response'],
    compressionOrder: 'skipped',
    conditional: 'path',
    encodings: ['gzip'],
    unsupported: {
      'drain-loop': 'a Fetch Response has no EventEmitter: backpressure is the ReadableStream pull',
      memory: "the worker's memory is workerd's process, not this one",
      authorize: 'a function cannot cross into workerd (which has no eval)',
      'stream-abort':
        'workerd itself ends a response whose body stream fails (chunk terminator, Connection: close): the runtime owns the connection',
      compression:
        'workerd encodes responses itself (by Content-Encoding); hono/compress is for Node, Bun and Deno',
    },
    async start(spec) {
      const skips: string[] = [];
      const errors: unknown[] = [];
      const failAt = (spec.signer as { failAt?: number }).failAt;
      if (typeof (spec.signer as { signUrl?: unknown }).signUrl !== 'function')
        throw new TypeError('"signer" must be a Signer from createSigner() of @cfsign/core.');
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
      const { text } = await workerBundle();
      const { PRIVATE_PEM, KEY_ID } = await import('../../../test/adapters/harness.js');
      const wire = {
        rules: spec.rules,
        keyPairId: KEY_ID,
        privateKey: PRIVATE_PEM,
        ...(failAt !== undefined && { failAt }),
        ...(spec.options !== undefined && { options: spec.options }),
        ...(spec.compression !== undefined && { compression: spec.compression }),
        ...(spec.trustProxy !== undefined && { trustProxy: spec.trustProxy }),
        ...(gateUrl !== undefined && { gateUrl }),
        html: page(),
        bodies: { ...BODIES, encoded: Buffer.from(BODIES.encoded).toString('base64') },
        streamChunks: streamChunks(10),
      };
      const mf = new Miniflare({
        modules: [{ type: 'ESModule', path: 'worker.mjs', contents: text }],
        compatibilityDate: '2025-01-01',
        compatibilityFlags: [],
        bindings: { SPEC: JSON.stringify(wire) },
      });
      closers.push(() => mf.dispose());
      const target = new URL(await mf.ready);
      // Options are validated inside the worker: a bad one fails the first request.
      const probe = await fetch(new URL('/__probe', target));
      await probe.arrayBuffer();
      if (probe.status === 500) {
        await Promise.all(closers.map((c) => c()));
        throw new TypeError('the worker refused its options (see its error report)');
      }
      const proxy = createServer((req, res) => {
        const up = httpRequest(
          target,
          { method: req.method, path: req.url, headers: req.headers },
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
