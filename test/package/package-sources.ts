/** The TypeScript sources of every package (`packages/*\/src/**\/*.ts(x)`, no `.d.ts`), for the scans. */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repo = fileURLToPath(new URL('../../', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return walk(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Absolute paths of the package sources, with their path from the repository root.
 *
 * @example
 * ```ts
 * for (const { path, file } of packageSources()) scan(file, readFileSync(path, 'utf8'));
 * ```
 */
export function packageSources(): { path: string; file: string }[] {
  const packages = join(repo, 'packages');
  return readdirSync(packages)
    .map((p) => join(packages, p, 'src'))
    .filter((src) => existsSync(src))
    .flatMap(walk)
    .map((path) => ({ path, file: relative(repo, path) }));
}
