// The installed command, end to end: `node bin/ae.js ...` in a child process over the built dist/,
// from compiling a model to training it and using the run, as a new user would in a terminal.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repositoryRoot } from '../support/dist.js';

const work = mkdtempSync(join(tmpdir(), 'ae-bin-'));
const ae = (...args: string[]) => {
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'bin/ae.js'), ...args], { cwd: work, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

// A 4×4 grey "image" model small enough to train in a second on the cpu backend.
const TINY_MODEL = `model tiny {
  input x: [4, 4, 1]
  encoder { flatten, dense(8, act = tanh) }
  latent z = dense(3)
  decoder = mirror(encoder)
  output x_hat = linear
  loss = mse(x_hat, x)
}
`;

beforeAll(() => {
  ensureBuilt('dist/cli/main.js');
  writeFileSync(join(work, 'tiny.ae'), TINY_MODEL);
  writeFileSync(join(work, 'two-phases.ae'), TWO_PHASES);
  writeFileSync(join(work, 'short.csv'), `${Array.from({ length: 16 }, (_, i) => `p${i}`).join(',')}\n${'0.5,'.repeat(15)}0.5\n0.5,0.5\n`);
  writeFileSync(join(work, 'broken.ae'), 'model m {\n  input x: [4]\n  encoder { dense(2 act = relu) }\n}\n');
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Two phases; the second reads a CSV whose third line is short. The error must come before the
// first phase trains, and leave no run directory behind.
const TWO_PHASES = TINY_MODEL.replace(
  '  loss = mse(x_hat, x)\n',
  '  loss = mse(x_hat, x)\n  train first { data = synthetic(samples = 32), epochs = 1 }\n  train second { data = csv("short.csv"), epochs = 1 }\n',
);

describe('bin/ae.js', () => {
  it('lists the commands with --help', () => {
    const result = ae('--help');
    expect(result.code).toBe(0);
    for (const command of ['check', 'fmt', 'compile', 'summary', 'train', 'eval', 'encode', 'reconstruct', 'sample', 'interpolate', 'score', 'search', 'plot']) {
      expect(result.stdout).toContain(`  ${command}`);
    }
  });

  it('checks a clean file with exit 0 and a broken one with exit 1 at the right place', () => {
    expect(ae('check', 'tiny.ae').code).toBe(0);
    const broken = ae('check', 'broken.ae');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('broken.ae:3:21: error AE1011');
  });

  it('stops writing, without a stack trace, when its reader goes away (`ae fmt big.ae | head`)', async () => {
    // ~300 KB of formatted layers, more than a pipe holds; the reader closes it after the first chunk.
    writeFileSync(join(work, 'long.ae'), TINY_MODEL.replace('flatten, dense(8, act = tanh)', Array.from({ length: 20_000 }, () => 'dense(8)').join(', ')));
    const child = spawn(process.execPath, [join(repositoryRoot, 'bin/ae.js'), 'fmt', 'long.ae'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('exits 2 on misuse', () => {
    expect(ae('check', '--bogus', 'tiny.ae').code).toBe(2);
    expect(ae('check', 'missing.ae').code).toBe(2);
    expect(ae('frobnicate').code).toBe(2);
  });

  it('rejects data that does not fit before training, leaving no run directory', () => {
    const result = ae('train', 'two-phases.ae', '--backend', 'cpu', '--out', 'bad-run');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('short.csv: line 3 has 2 columns but the header has 16');
    expect(result.stderr).not.toContain('first 1/1');
    expect(existsSync(join(work, 'bad-run'))).toBe(false);
  });

  it('trains, then evaluates, encodes and reconstructs from the run', () => {
    const train = ae('train', 'tiny.ae', '--data', 'synthetic:samples=64,seed=3', '--epochs', '2', '--batch', '16', '--backend', 'cpu', '--out', 'run');
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/train 2\/2 loss \d/);
    expect(readFileSync(join(work, 'run/metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);

    const evaluation = ae('eval', 'run', '--data', 'synthetic:samples=32,seed=4', '--format', 'json', '--backend', 'cpu');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const report = JSON.parse(evaluation.stdout) as { samples: number; loss: number; mse: number; terms: Record<string, number> };
    expect(report.samples).toBe(32);
    expect(Object.keys(report.terms)).toEqual(['mse(x_hat, x)']); // the names the user wrote, not node ids
    expect(report.mse).toBeGreaterThan(0);
    expect(report.mse).toBeCloseTo(report.loss, 5); // the objective is the mse itself

    const encoded = ae('encode', 'run', '--data', 'synthetic:samples=10,seed=4', '-o', 'codes.npy', '--backend', 'cpu');
    expect(encoded.code, encoded.stderr).toBe(0);
    const npy = readFileSync(join(work, 'codes.npy'));
    expect(npy.subarray(1, 6).toString('latin1')).toBe('NUMPY');
    expect(npy.toString('latin1')).toContain("'shape': (10, 3)");

    const grid = ae('reconstruct', 'run', '--data', 'synthetic:samples=8,seed=4', '-n', '4', '-o', 'grid.png', '--backend', 'cpu');
    expect(grid.code, grid.stderr).toBe(0);
    expect(readFileSync(join(work, 'grid.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
