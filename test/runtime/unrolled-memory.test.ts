// A recurrent layer over more steps than a training step can hold is refused before training, in one
// line (issue 22: a typed-fuzzer model, `input x: [100000, 1]` with an lstm, ran tfjs's unrolled step
// out of Node's 4 GB heap and aborted the process).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { main } from '../../cli/main.js';
import type { IRModel } from '../../ir/types.js';
import { TrainingError } from '../../runtime/train/errors.js';
import { train } from '../../runtime/train/train.js';
import { heapLimit, unrolledLayers, unrolledRefusal } from '../../runtime/train/unrolled-memory.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const text = (steps: number, encoder = 'lstm(4)') =>
  `model m {\n  input x: [${steps}, 1]\n  encoder { ${encoder} }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = linear\n  loss = mse(x_hat, x)\n` +
  `  train { data = synthetic(samples = 4), batch = 2, epochs = 1 }\n}\n`;

function compile(source: string): IRModel {
  const analysis = analyzeSource(source, 'm.ae');
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return analysis.irs[0]!;
}

describe('the unrolled memory of a recurrent layer', () => {
  it('is 64 KB a step plus 188 bytes a state value and the step\'s recurrent-kernel gradient, for each recurrent node', () => {
    const layers = unrolledLayers(compile(text(2_000, 'gru(8)')), 32);
    // The encoder's gru, and its mirror's over the repeated code.
    expect(layers.map((l) => [l.node, l.op, l.steps, l.units])).toEqual([
      ['encoder.0.gru', 'gru', 2_000, 8],
      ['decoder.2.gru', 'gru', 2_000, 8],
    ]);
    expect(layers[0]!.bytes).toBe(2_000 * (64 * 1024 + 188 * 32 * 8 + 4 * 3 * 8 * 8));
  });

  it('refuses 100,000 steps of an lstm in one line naming the layer, the steps and a way out; 200 steps fit', () => {
    const ir = compile(text(100_000));
    const refusal = unrolledRefusal(ir, 2, 4.3e9);
    expect(refusal).toBe(
      'cannot train m: `lstm` encoder.0.lstm unrolls 100,000 steps, and one training step over a batch of 2 would hold about 13.5 GB, ' +
        'more than the 4.3 GB this process can hold; read the series in shorter windows (`input x: [100, c]` with `csv(path, window = 100)`) ' +
        'or shorten it before the lstm (a strided conv1d or a maxpool)',
    );
    expect(unrolledRefusal(compile(text(200)), 2, 4.3e9)).toBeUndefined();
    expect(unrolledRefusal(compile(text(200)), 32, heapLimit())).toBeUndefined();
  });

  it('train() throws it as a TrainingError before writing anything into the run', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'ae-unrolled-'));
    const error = await train({ ir: compile(text(100_000)), runDir, cwd: runDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as Error).message).toMatch(/^cannot train m: `lstm` encoder\.0\.lstm unrolls 100,000 steps/);
    expect(readdirSync(runDir)).toEqual([]);
  });

  it('`ae train` says it in one line and exits 1, leaving no run directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ae-unrolled-cli-'));
    writeFileSync(join(cwd, 'm.ae'), text(100_000));
    let stderr = '';
    const exit = await main(['train', 'm.ae', '--backend', 'cpu', '-o', 'run'], { stdout: () => {}, stderr: (t) => void (stderr += t), isTTY: false, cwd });
    expect(exit).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^ae train: cannot train m: `lstm` encoder\.0\.lstm unrolls 100,000 steps, .* more than the [\d.]+ GB this process can hold; /);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(cwd)).toEqual(['m.ae']);
  });
});
