// Two options of the commands that compile: `--max-memory` (the AE3014 limit, which the message
// names as the way out) and the project root of `ae check DIR` (imports may leave the file's own
// directory but not the directory named on the command line).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';

const model = (encoder: string) =>
  `model m {\n  input x: [16] in [0, 1]\n  encoder { ${encoder} }\n  latent z = dense(2)\n  decoder { dense(16) }\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n  train { data = synthetic(samples = 8), epochs = 1, batch = 4 }\n}\n`;
const HUGE = model('dense(65536), dense(65536)');
const SMALL = model('dense(8)');

let cwd = '';

async function ae(argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
  return { code, ...out };
}

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-project-options-'));
  writeFileSync(join(cwd, 'huge.ae'), HUGE);
  writeFileSync(join(cwd, 'small.ae'), SMALL);
  mkdirSync(join(cwd, 'proj', 'models'), { recursive: true });
  writeFileSync(join(cwd, 'proj', 'sizes.ae'), 'let code = 3\n');
  writeFileSync(join(cwd, 'proj', 'models', 'uses-sizes.ae'), 'import "../sizes.ae" as sizes\n' + SMALL.replace('dense(2)', 'dense(sizes.code)'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('--max-memory', () => {
  it('is the limit AE3014 holds a model to, in check, compile and summary', async () => {
    const refused = await ae(['check', 'huge.ae']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/error AE3014: `m` needs about 68\.7 GB to train, more than the 16 GB available/);
    expect(refused.stdout).toContain('allow more memory (`--max-memory`)');
    const lifted = await ae(['check', 'huge.ae', '--max-memory', 'none']);
    expect(lifted.code).toBe(0);
    expect(lifted.stdout).not.toContain('AE3014');
    expect((await ae(['check', 'huge.ae', '--max-memory', '80G'])).code).toBe(0);

    const small = await ae(['check', 'small.ae', '--max-memory', '1K']);
    expect(small.code).toBe(1);
    expect(small.stdout).toMatch(/more than the 1 KB available/);
    expect((await ae(['check', 'small.ae', '--max-memory', '2.5e6'])).code).toBe(0);

    const compiled = await ae(['compile', 'huge.ae', '--max-memory', 'none']);
    expect(compiled.code).toBe(0);
    expect(JSON.parse(compiled.stdout).model).toBe('m');
    expect((await ae(['compile', 'huge.ae'])).code).toBe(1);
    expect((await ae(['summary', 'small.ae', '--max-memory', '1KB'])).code).toBe(1);
    expect((await ae(['summary', 'huge.ae', '--max-memory', '1T'])).code).toBe(0);
  });

  it('refuses a size it cannot read, naming the option', async () => {
    for (const bad of ['lots', '-5G', '0', '16Q', 'constructor']) {
      const { code, stderr } = await ae(['check', 'small.ae', `--max-memory=${bad}`]);
      expect(code, bad).toBe(2);
      expect(stderr).toContain(`option '--max-memory' needs a size such as 16G, 512M or 2e10 bytes (or 'none'), got '${bad}'`);
    }
  });

  it('holds `ae train` to it before a run directory is made', async () => {
    const { code, stderr } = await ae(['train', 'small.ae', '--max-memory', '1K', '--backend', 'cpu', '--quiet', '-o', 'run-small']);
    expect(code).toBe(1);
    expect(stderr).toContain('more than the 1 KB available');
    expect(readdirSync(cwd)).not.toContain('run-small');
  });
});

describe('ae check DIR', () => {
  it('lets a file below DIR import from anywhere inside DIR', async () => {
    expect(await ae(['check', 'proj'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('keeps a file named on its own inside its directory', async () => {
    const { code, stdout } = await ae(['check', join('proj', 'models', 'uses-sizes.ae')]);
    expect(code).toBe(1);
    expect(stdout).toContain('error AE2024: `../sizes.ae` is outside the project (proj/models)');
  });
});
