// pnpm bench: runs every benchmark in its own process, one after the other, and records BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { machine, writeSection } from './lib.mjs';

// Benchmarks that write their own BENCHMARKS.md section.
const files = ['bench/core.mjs', 'bench/express.mjs', 'bench/response.mjs', 'bench/adapters.mjs'];
for (const file of files.filter((f) => existsSync(f))) {
  console.log(`\n# ${file}\n`);
  execFileSync(process.execPath, [file], { stdio: 'inherit' });
}

// The rewriter benchmark prints a markdown table; record it as is.
const rewriter = 'packages/rewriter/bench/rewrite.bench.mjs';
if (existsSync(rewriter)) {
  console.log(`\n# ${rewriter}\n`);
  const out = execFileSync(process.execPath, [rewriter], { encoding: 'utf8' });
  console.log(out);
  writeSection(
    'rewriter',
    `## Rewriter: the standard page (bench/page), rewrite only

Machine: ${machine()}. File \`${rewriter}\`, run by \`pnpm bench\`; the signer is the spec's fixed fake
signature so that only finding and rewriting links is measured. "copy floor" is a plain buffer copy of
the same page in the same run: compare ratios across machines, not absolute MB/s.

${out.trim()}`,
  );
}
