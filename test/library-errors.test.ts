// The library's errors, as a program embedding aelang meets them: each an exported class with a
// `code` to branch on and a message in the library's words (no CLI flag), and train() making its
// run directory instead of failing with ENOENT.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError, CheckpointError, DataError, FormatterUnavailableError, LossExplodedError, NonFiniteLossError,
  RunFileError, TaskError, TrainingError, analyzeSource, loadDataset, selectBackend, train,
} from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-lib-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOURCE = `model tiny {
  input x: [6] in [0, 1]
  encoder { dense(4, act = tanh) }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x)
  train { data = synthetic(samples = 16, seed = 1)  epochs = 1  batch = 8 }
}`;

describe('library errors', () => {
  it('each has its code and its class name', () => {
    const codes = [
      [new TrainingError('m'), 'TrainingError', 'TRAINING_FAILED'],
      [new LossExplodedError('p', 1, 2, 1e9, 1), 'LossExplodedError', 'LOSS_EXPLODED'],
      [new NonFiniteLossError('p', 1, 2, 'mse', Number.NaN), 'NonFiniteLossError', 'LOSS_NOT_FINITE'],
      [new DataError('m'), 'DataError', 'DATA_INVALID'],
      [new TaskError('m'), 'TaskError', 'TASK_MISUSE'],
      [new CheckpointError('m'), 'CheckpointError', 'CHECKPOINT_DAMAGED'],
      [new RunFileError('m'), 'RunFileError', 'RUN_FILE'],
      [new BackendUnavailableError('webgpu', 'no adapter'), 'BackendUnavailableError', 'BACKEND_UNAVAILABLE'],
      [new FormatterUnavailableError(), 'FormatterUnavailableError', 'PRETTIER_MISSING'],
    ] as const;
    for (const [error, name, code] of codes) expect([error.name, error.code, error instanceof Error]).toEqual([name, code, true]);
  });

  it('train() makes a missing run directory, parents included', async () => {
    await selectBackend('cpu');
    const ir = analyzeSource(SOURCE, 'tiny.ae').irs[0]!;
    const runDir = join(dir, 'runs', 'deep', 'tiny');
    const result = await train({ ir, runDir, cwd: dir });
    result.program.dispose();
    expect(result.steps).toBe(2);
    expect(JSON.parse(readFileSync(join(runDir, 'model.ir.json'), 'utf8')).model).toBe('tiny');
  });

  it('a phase without data is a TrainingError NO_DATA naming train() options, not a CLI flag', async () => {
    const ir = analyzeSource(SOURCE.replace(/ {2}train \{[^}]*\}\n/, ''), 'tiny.ae').irs[0]!;
    const error = await train({ ir, runDir: join(dir, 'none'), cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).code).toBe('NO_DATA');
    expect((error as Error).message).toBe(
      "phase 'train' has no data: set data = ... in its train block, or give train() a data source (options.data, e.g. 'npy:x.npy') or a loaded options.dataset",
    );
    expect((error as Error).message).not.toContain('--');
  });

  it('bad data is a DataError DATA_INVALID', async () => {
    const ir = analyzeSource(SOURCE, 'tiny.ae').irs[0]!;
    const error = await loadDataset('npy:missing.npy', ir.inputs[0]!, { cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('DATA_INVALID');
    expect(existsSync(join(dir, 'missing.npy'))).toBe(false);
  });
});
