// The published plugin: `prettier --plugin aelang/prettier FILE.ae`, run as a user would (a child
// process on the built dist/), prints exactly what `ae fmt FILE.ae` prints.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './cases.js';
import { runAe } from './run-cli.js';

const builtPlugin = join(repoRoot, 'dist/compiler/format/plugin.js');
const sourceDirs = ['compiler/format', 'compiler', 'grammar'];

/** Newest modification time of the TypeScript the plugin is built from. */
function newestSource(): number {
  return Math.max(
    ...sourceDirs.flatMap((dir) =>
      readdirSync(join(repoRoot, dir))
        .filter((name) => name.endsWith('.ts'))
        .map((name) => statSync(join(repoRoot, dir, name)).mtimeMs),
    ),
  );
}

beforeAll(() => {
  // CI builds dist/ in `npm ci` (the prepare script); a local run rebuilds only when it is stale.
  if (!existsSync(builtPlugin) || statSync(builtPlugin).mtimeMs < newestSource()) {
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'pipe' });
    } catch (error) {
      // tsc still emits when some other file has a type error; only a missing plugin is fatal here.
      if (!existsSync(builtPlugin)) throw error;
    }
  }
});

describe('prettier --plugin aelang/prettier', () => {
  for (const spec of ['specs/format/hinton/_input.ae', 'specs/format/comments-leading-trailing/_input.ae']) {
    it(`prints what ae fmt prints for ${spec}`, async () => {
      const prettier = execFileSync(join(repoRoot, 'node_modules/.bin/prettier'), ['--plugin', 'aelang/prettier', spec], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      const ae = await runAe(['fmt', spec], repoRoot);
      expect(ae.code).toBe(0);
      expect(prettier).toBe(ae.stdout);
      expect(prettier.length).toBeGreaterThan(0);
    });
  }
});
