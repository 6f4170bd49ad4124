// Tests that run the package as a user would (bin/ae.js, `prettier --plugin aelang/prettier`) need
// dist/. CI builds it in `npm ci` (the prepare script); a local run rebuilds only when it is stale.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repositoryRoot = join(import.meta.dirname, '../..');
const SOURCE_DIRS = ['diagnostics', 'ir', 'grammar', 'compiler', 'runtime', 'cli', 'lsp'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The build's last output: the `ae` command bundled from tsc's (scripts/bundle-cli.mjs), which
 *  bin/ae.js runs. A dist/ built before the bundle existed has everything else. */
const BUNDLE = 'dist/ae/main.js';

/** Builds dist/ when `probe` (a path under dist/) or the bundle is missing or older than any source file. */
export function ensureBuilt(probe: string): void {
  const built = [probe, BUNDLE].map((path) => join(repositoryRoot, path));
  const sources = Math.max(...SOURCE_DIRS.map((dir) => newestSource(join(repositoryRoot, dir))));
  if (built.every((path) => existsSync(path) && statSync(path).mtimeMs >= sources)) return;
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repositoryRoot, stdio: 'pipe' });
  } catch (error) {
    // tsc still emits when a file elsewhere has a type error; only a missing output is fatal here.
    if (!built.every((path) => existsSync(path))) throw error;
  }
}
