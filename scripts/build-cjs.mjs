// Builds the CommonJS copy of a package's ESM build, so that `require('@cfsign/x')` works on every
// Node 20 (require(esm) needs 20.19+) and CommonJS TypeScript projects get types:
//   dist/**/*.js   -> dist/cjs/**/*.js    (ESM syntax turned into CommonJS by TypeScript itself)
//   dist/**/*.d.ts -> dist/cjs/**/*.d.ts  (read as CommonJS declarations beside a "type": "commonjs")
// Run from a package folder after `tsc`: `node ../../scripts/build-cjs.mjs`.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const dist = join(process.cwd(), 'dist');
const out = join(dist, 'cjs');
rmSync(out, { recursive: true, force: true });

/** Every file under `dir`, depth first, leaving out the CommonJS folder itself. */
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== out) yield* files(path);
    } else yield path;
  }
}

let count = 0;
for (const file of files(dist)) {
  const target = join(out, relative(dist, file));
  if (file.endsWith('.d.ts')) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''));
  } else if (file.endsWith('.js')) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        allowJs: true,
        sourceMap: false,
      },
    });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText.replace(/^\/\/# sourceMappingURL=.*$/m, ''));
    count++;
  }
}
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
console.log(`build-cjs: ${count} modules -> ${relative(process.cwd(), out)}`);
