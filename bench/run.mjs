// pnpm bench: runs every benchmark in its own process, one after the other, and records BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const benches = ['bench/core.mjs', 'packages/rewriter/bench/rewrite.bench.mjs', 'bench/express.mjs'].filter((f) => existsSync(f));
for (const file of benches) {
  console.log(`\n# ${file}\n`);
  execFileSync(process.execPath, [file], { stdio: 'inherit' });
}
