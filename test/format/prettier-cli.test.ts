// The published plugin: `prettier --plugin aelang/prettier FILE.ae`, run as a user would (a child
// process on the built dist/), prints exactly what `ae fmt FILE.ae` prints.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './cases.js';
import { runAe } from './run-cli.js';
import { ensureBuilt } from '../support/dist.js';

beforeAll(() => ensureBuilt('dist/compiler/format/plugin.js'), 300_000);

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
