// Bundles src/worker.ts for workerd (the `worker` export condition: @cfsign/core's WebCrypto build).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export async function bundleWorker() {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['worker'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}
