// Sequences in the checker (LANGUAGE.md section 10): the `sensors` example as written, shapes,
// parameter counts equal to Keras's formulas, the mirror of a recurrent encoder, and the
// diagnostics (AE3002 with its per_step fix, AE3020, AE4108 for a window that is not the input's).
import { describe, expect, it } from 'vitest';
import { formatAe } from '../../compiler/format/format.js';
import type { IRModel } from '../../ir/types.js';
import { analyze, codes } from '../check/helpers.js';

/** LANGUAGE.md section 10's example, verbatim. */
export const SENSORS = `// LSTM autoencoder over windows of a 3-channel sensor series; anomalies score high
model sensors {
  input s: [64, 3]
  encoder { conv1d(16, kernel = 5, act = relu), lstm(32) }
  latent z = dense(8)
  decoder { repeat_vector(64), lstm(32, sequences = true), dense(3, per_step = true) }
  output s_hat = linear
  loss = mse(s_hat, s)
  train { data = csv("sensors.csv", window = 64, stride = 8), epochs = 20 }
}
`;

function ir(text: string): IRModel {
  const analysis = analyze(text);
  expect(codes(analysis)).toEqual([]);
  return analysis.irs[0]!;
}

/** Values per node (tied parameters not counted twice), by node id. */
function counts(model: IRModel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of model.parameters) {
    if (p.tiedTo !== undefined) continue;
    out[p.node] = (out[p.node] ?? 0) + p.shape.reduce((a, b) => a * b, 1);
  }
  return out;
}

// Keras's counts, as its layers compute them.
const conv1D = (k: number, c: number, f: number) => k * c * f + f;
const lstm = (c: number, u: number) => 4 * (u * (c + u) + u);
const gruResetAfter = (c: number, u: number) => 3 * (u * (c + u) + 2 * u);
const timeDistributedDense = (c: number, n: number) => c * n + n;

describe('the sensors model of LANGUAGE.md section 10', () => {
  it('compiles as written, with [t, c] shapes and Keras parameter counts', () => {
    const model = ir(SENSORS);
    expect(model.nodes.map((n) => [n.id, n.op, n.shape])).toEqual([
      ['encoder.0.conv1d', 'conv1d', [null, 64, 16]],
      ['encoder.1.lstm', 'lstm', [null, 32]],
      ['latent.z', 'dense', [null, 8]],
      ['decoder.0.repeat_vector', 'repeat_vector', [null, 64, 8]],
      ['decoder.1.lstm', 'lstm', [null, 64, 32]],
      ['decoder.2.dense', 'dense_per_step', [null, 64, 3]],
      ['output.s_hat', 'activation', [null, 64, 3]],
    ]);
    expect(counts(model)).toEqual({
      'encoder.0.conv1d': conv1D(5, 3, 16),
      'encoder.1.lstm': lstm(16, 32),
      'latent.z': 32 * 8 + 8,
      'decoder.1.lstm': lstm(8, 32),
      'decoder.2.dense': timeDistributedDense(32, 3),
    });
    expect(model.phases[0]!.data).toEqual({ kind: 'csv', path: 'sensors.csv', window: 64, stride: 8 });
  });

  it('formats to itself', async () => {
    const source = SENSORS.replace('// LSTM autoencoder over windows of a 3-channel sensor series; anomalies score high\n', '');
    const formatted = await formatAe(source);
    expect(await formatAe(formatted)).toBe(formatted);
    expect(formatted).toContain('dense(3, per_step = true)');
    expect(formatted).toContain('lstm(32, sequences = true)');
  });
});

describe('sequence layers', () => {
  it('gru counts as Keras GRU(reset_after = True); strides and valid windows shorten the steps', () => {
    const model = ir(`model m {
  input s: [30, 4]
  encoder { conv1d(6, kernel = 4, stride = 2, padding = valid), maxpool(2), gru(5, sequences = true), avgpool(3, padding = same), gru(7) }
  latent z = identity
  decoder { repeat_vector(30), deconv1d(4, kernel = 3), dense(4, per_step = true) }
  output s_hat = linear
  loss = mse(s_hat, s)
}`);
    const shape = (id: string) => model.nodes.find((n) => n.id === id)!.shape;
    expect(shape('encoder.0.conv1d')).toEqual([null, 14, 6]); // ⌊(30 − 4) / 2⌋ + 1
    expect(shape('encoder.1.maxpool')).toEqual([null, 7, 6]);
    expect(shape('encoder.2.gru')).toEqual([null, 7, 5]);
    expect(shape('encoder.3.avgpool')).toEqual([null, 3, 5]); // ⌈7 / 3⌉
    expect(shape('encoder.4.gru')).toEqual([null, 7]);
    const c = counts(model);
    expect(c['encoder.2.gru']).toBe(gruResetAfter(6, 5));
    expect(c['encoder.4.gru']).toBe(gruResetAfter(5, 7));
    expect(c['decoder.1.deconv1d']).toBe(3 * 7 * 4 + 4);
    expect(c['decoder.0.repeat_vector']).toBeUndefined();
    expect(model.parameters.filter((p) => p.node === 'encoder.2.gru').map((p) => [p.role, p.shape])).toEqual([
      ['kernel', [6, 15]],
      ['recurrent_kernel', [5, 15]],
      ['bias', [2, 15]],
    ]);
  });

  it('mirrors a recurrent encoder to repeat_vector, the recurrent layer and a per-step dense; conv1d to a tied deconv1d', () => {
    const model = ir(`model m {
  input s: [16, 3]
  encoder { conv1d(8, kernel = 3, act = relu), lstm(12, sequences = true), lstm(6) }
  latent z = dense(4)
  decoder = mirror(encoder)
  output s_hat = linear
  loss = mse(s_hat, s)
}`);
    expect(model.nodes.filter((n) => n.stage === 'decoder').map((n) => `${n.op} ${JSON.stringify(n.shape.slice(1))}`)).toEqual([
      'dense [6]',
      'repeat_vector [16,6]',
      'lstm [16,6]',
      'dense_per_step [16,12]',
      'lstm [16,12]',
      'dense_per_step [16,8]',
      'deconv1d [16,3]',
    ]);
    const tied = ir(`model m {
  input s: [16, 3]
  encoder { conv1d(8, kernel = 3, stride = 2, act = tanh), conv1d(4, kernel = 3, padding = valid) }
  latent z = identity
  decoder = mirror(encoder, tied = true)
  output s_hat = linear
  loss = mse(s_hat, s)
}`);
    expect(tied.parameters.filter((p) => p.tiedTo).map((p) => `${p.id} -> ${p.tiedTo}`)).toEqual([
      'decoder.0.deconv1d.kernel -> encoder.1.conv1d.kernel',
      'decoder.1.deconv1d.kernel -> encoder.0.conv1d.kernel',
    ]);
    expect(tied.nodes.find((n) => n.id === 'decoder.1.deconv1d')!.shape).toEqual([null, 16, 3]);
  });
});

describe('sequence diagnostics', () => {
  it('AE3020: a tied mirror of a recurrent encoder, at the recurrent layer', () => {
    const analysis = analyze(`model m {
  input s: [16, 3]
  encoder { conv1d(8, kernel = 3), gru(6) }
  latent z = dense(2)
  decoder = mirror(encoder, tied = true)
  output s_hat = linear
  loss = mse(s_hat, s)
}`);
    expect(codes(analysis)).toEqual(['AE3020@3:36']);
    const d = analysis.diagnostics[0]!;
    expect(d.message).toBe('`mirror(encoder, tied = true)` cannot tie this `gru`: it reads its steps in order with a recurrent kernel of its own, so no layer of its mirror can share its weights');
    expect(d.related?.[0]?.range.start.line).toBe(5);
  });

  it('AE3002: plain dense on a sequence, with a fix adding per_step = true', () => {
    const text = `model m {
  input s: [16, 3]
  encoder { lstm(4, sequences = true), dense(2) }
  latent z = identity
  decoder { dense(3, per_step = true) }
  output s_hat = linear
  loss = mse(s_hat, s)
}`;
    const analysis = analyze(text);
    expect(codes(analysis)).toEqual(['AE3002@3:40']);
    const d = analysis.diagnostics[0]!;
    expect(d.message).toBe('`dense` needs a flat input [n], but gets [16, 4]');
    const edit = d.fix!.edits[0]!;
    const fixed = text.slice(0, edit.range.start.offset) + edit.newText + text.slice(edit.range.end.offset);
    expect(fixed).toContain('dense(2, per_step = true) }');
    expect(codes(analyze(fixed))).toEqual([]);
  });

  it('AE3002: a recurrent layer on a vector, repeat_vector on a sequence, a pool [k, j] on a sequence', () => {
    const on = (encoder: string, input = '[8, 2]') =>
      codes(analyze(`model m {\n  input s: ${input}\n  encoder { ${encoder} }\n  latent z = identity\n  decoder { dense(2, per_step = true) }\n  output s_hat = linear\n  loss = mse(s_hat, s)\n}`));
    expect(on('flatten, lstm(4)')).toEqual(['AE3002@3:22']);
    expect(on('repeat_vector(3)')).toEqual(['AE3002@3:13']);
    expect(on('maxpool([2, 1])')).toEqual(['AE3002@3:13']);
    expect(on('conv1d(2, kernel = 9, padding = valid)')).toEqual(['AE3003@3:13']);
  });

  it('AE4108: csv windows that are not the input sequence; AE4102: a stride without a window', () => {
    const train = (data: string, input = '[64, 3]') =>
      analyze(`model m {\n  input s: ${input}\n  encoder { lstm(4) }\n  latent z = identity\n  decoder { repeat_vector(64), lstm(3, sequences = true) }\n  output s_hat = linear\n  loss = mse(s_hat, s)\n  train { data = ${data} }\n}`);
    const wrong = train('csv("s.csv", window = 32)');
    expect(codes(wrong)).toEqual(['AE4108@8:18']);
    expect(wrong.diagnostics[0]!.message).toBe('`csv` gives windows of 32 steps, but `s` is [64, 3]');
    expect(codes(train('csv("s.csv", stride = 4)'))).toEqual(['AE4102@8:18']);
    expect(codes(train('csv("s.csv", window = 64, stride = 4)'))).toEqual([]);
  });
});
