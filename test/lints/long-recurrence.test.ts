// AE5011: an lstm or gru over more than MAX_RECURRENT_STEPS steps is warned at its call (training
// unrolls every step; a typed-fuzzer model with `input x: [100000, 1]` and an lstm ran tfjs out of
// its heap). A warning: the model still compiles.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { MAX_RECURRENT_STEPS } from '../../compiler/shapes/sequences.js';

const where = (d: { range: { start: { line: number; column: number } } }) => `${d.range.start.line}:${d.range.start.column}`;

function series(steps: number, encoder: string, decoder = '= mirror(encoder)'): string {
  return `model m {\n  input x: [${steps}, 3]\n  encoder { ${encoder} }\n  latent z = dense(4)\n  decoder ${decoder}\n  output x_hat = linear\n  loss = mse(x_hat, x)\n}\n`;
}

const analyze = (text: string) => analyzeSource(text, 'test.ae');
const warnings = (text: string) => analyze(text).diagnostics.filter((d) => d.code === 'AE5011');

describe('AE5011 recurrent layer over too many steps', () => {
  it('warns at an lstm over 100,000 steps, with the count, and hints at windows; the model still compiles', () => {
    const analysis = analyze(series(100_000, 'lstm(8)'));
    const found = analysis.diagnostics.filter((d) => d.code === 'AE5011');
    expect(found.map(where)).toEqual(['3:13']);
    expect(found[0]!.severity).toBe('warning');
    expect(found[0]!.message).toBe(
      '`lstm` runs over 100,000 steps, more than 1,000: training unrolls every step and keeps its tensors for the backward pass, so it is slow and its memory grows with the steps',
    );
    expect(found[0]!.notes[0]).toBe('read the series in windows of fewer steps: `input x: [100, 3]` with `data = csv(path, window = 100)`');
    expect(analysis.irs.map((ir) => ir.model)).toEqual(['m']);
  });

  it('warns at a gru, and at each recurrent layer over too many steps (a decoder written out)', () => {
    const text = series(5_000, 'gru(8, sequences = true), gru(4)', '{ dense(4), repeat_vector(5000), lstm(8, sequences = true), dense(3, per_step = true) }');
    expect(warnings(text).map((d) => `${where(d)} ${d.message.split(':')[0]}`)).toEqual([
      '3:13 `gru` runs over 5,000 steps, more than 1,000',
      '3:39 `gru` runs over 5,000 steps, more than 1,000',
      '5:44 `lstm` runs over 5,000 steps, more than 1,000',
    ]);
  });

  it('is silent at the limit, and when a strided conv1d or a pool shortens the steps first', () => {
    expect(MAX_RECURRENT_STEPS).toBe(1_000);
    expect(warnings(series(1_000, 'lstm(8)'))).toEqual([]);
    expect(warnings(series(1_001, 'lstm(8)')).map(where)).toEqual(['3:13']);
    expect(warnings(series(8_000, 'conv1d(8, kernel = 8, stride = 8), lstm(8)'))).toEqual([]);
    expect(warnings(series(8_000, 'maxpool(16), gru(8)'))).toEqual([]);
    expect(warnings(series(8_000, 'conv1d(8, stride = 2), gru(8)')).map(where)).toEqual(['3:36']);
  });
});
