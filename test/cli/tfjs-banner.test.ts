// tfjs-backend-cpu prints "Hi, looks like you are running TensorFlow.js in Node.js… install our node
// backend" on its first tensor; `ae train` and `ae eval` say which backend they use themselves, so
// the banner must not reach the user, on any backend and without --quiet. Spawned: the banner goes
// to the process's console, not to the CliIO a test can capture.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/dist.js';

const run = promisify(execFile);
const ae = resolve(import.meta.dirname, '../../bin/ae.js');
let cwd = '';

beforeAll(() => {
  ensureBuilt('dist/cli/main.js');
  cwd = mkdtempSync(join(tmpdir(), 'ae-banner-'));
  writeFileSync(
    join(cwd, 'tiny.ae'),
    'model tiny {\n  input x: [8] in [0, 1]\n  encoder { dense(4, act = tanh) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n  train { data = synthetic(samples = 16, seed = 1)  epochs = 1  batch = 16 }\n}\n',
  );
}, 300_000); // a stale dist/ is rebuilt first (tsc: minutes on a busy 2-core machine)

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('the tfjs "install the node backend" banner', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`is not printed by ae train and ae eval on ${backend}`, async () => {
      const env = { ...process.env, NO_COLOR: '1' };
      const train = await run(process.execPath, [ae, 'train', 'tiny.ae', '--backend', backend, '--out', `run-${backend}`], { cwd, env });
      expect(train.stderr).toContain(`trained tiny: 1 steps`);
      const evaluated = await run(process.execPath, [ae, 'eval', `run-${backend}`, '--backend', backend], { cwd, env });
      expect(evaluated.stdout).toMatch(/^ {2}loss \d\.\d{4}$/m);
      for (const output of [train.stdout, train.stderr, evaluated.stdout, evaluated.stderr]) {
        expect(output).not.toContain('TensorFlow.js in Node.js');
        expect(output).not.toContain('====');
      }
    });
  }
});
