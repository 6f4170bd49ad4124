// The `ae` command as bin/ae.js runs it: bundled from tsc's output into dist/ae/ (scripts/bundle-cli.mjs).
// Each module that finds a file beside itself must still find it from inside the bundle, and a
// command must load what its own module graph needs, not every command's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repositoryRoot } from '../support/dist.js';

const bundle = join(repositoryRoot, 'dist/ae');
let work: string;

beforeAll(() => {
  ensureBuilt('dist/cli/main.js');
  work = mkdtempSync(join(tmpdir(), 'aelang-bundle-'));
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the bundled command', () => {
  it("resolves every import.meta.url to its own module's place in dist/", () => {
    const rewritten: string[] = [];
    for (const name of readdirSync(bundle)) {
      const text = readFileSync(join(bundle, name), 'utf8');
      const bare = text.replaceAll(/new URL\("([^"]+)", import\.meta\.url\)\.href/g, (_, relative: string) => {
        rewritten.push(relative);
        return '';
      });
      expect(bare, name).not.toContain('import.meta');
    }
    // The modules that look beside themselves: the version's package.json, the tfjs gradient
    // table, onnxruntime's binding, Chevrotain's bundle, the playground's assets, ...
    expect(rewritten).toContain('../runtime/backends/gradients.js');
    expect(rewritten).toContain('../cli/version.js');
    for (const relative of new Set(rewritten)) {
      expect(existsSync(fileURLToPath(new URL(relative, pathToFileURL(join(bundle, 'main.js'))))), relative).toBe(true);
    }
  });

  it('reads the package version from beside its module, as tsc output does', () => {
    const version = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')).version as string;
    expect(execFileSync(process.execPath, [join(repositoryRoot, 'bin/ae.js'), '--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
  });

  it('`ae check` loads a few modules of the bundle and not the IR schema validator', () => {
    // A module-resolution hook in the child writes down every file URL it loads.
    const log = join(work, 'loaded.txt');
    const hooks = join(work, 'hooks.mjs');
    writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`);
    const register = join(work, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const spec = join(work, 'm.ae');
    writeFileSync(spec, 'model m {\n  input x: [8] in [0, 1]\n  encoder { dense(4) }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n}\n');
    execFileSync(process.execPath, ['--import', pathToFileURL(register).href, join(repositoryRoot, 'bin/ae.js'), 'check', spec], { encoding: 'utf8' });
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    const ours = loaded.filter((url) => url.startsWith(pathToFileURL(join(repositoryRoot, 'dist')).href));
    expect(ours.every((url) => url.startsWith(pathToFileURL(bundle).href)), ours.join('\n')).toBe(true);
    // tsc's output is ~140 modules on the way to `ae check`; the bundle, about ten.
    expect(ours.length).toBeGreaterThan(1);
    expect(ours.length).toBeLessThan(20);
    for (const url of ours) expect(readFileSync(fileURLToPath(url), 'utf8'), url).not.toContain('// dist/ir/schema-validator.generated.js');
  });
});
