// Conditional models: `encoder on x, y` and `decoder on z, y` read the concatenation of what they
// name (labels one-hot), in the IR as one_hot and concat nodes; mirror maps back to the input alone;
// unknown, repeated or non-vector reads and a decoder that does not read the code first are refused
// where they are written.
import { describe, expect, it } from 'vitest';
import { analyze, codes } from './helpers.js';

const cvae = (encoder = 'encoder on x, y { dense(16, act = relu) }', decoder = 'decoder on z, y { dense(16, act = relu), dense(12) }', input = '[12] in [0, 1]') => `model cvae {
  input x: ${input}
  input y: label(3)
  ${encoder}
  latent z = gaussian(2)
  ${decoder}
  output x_hat = sigmoid
  loss = bce(x_hat, x, reduce = sum) + kl(z)
}
`;

const nodes = (source: string) => {
  const analysis = analyze(source);
  expect(codes(analysis, 'any')).toEqual([]);
  return analysis.irs[0]!.nodes.map((n) => `${n.id} ${n.op}(${n.inputs.join(', ')}) [${n.shape.slice(1).join(', ')}]`);
};

describe('conditional encoder and decoder', () => {
  it('one-hot encodes the label and concatenates it after the input, and after the code', () => {
    expect(nodes(cvae())).toEqual([
      'encoder.on.y.one_hot one_hot(y) [3]',
      'encoder.on.concat concat(x, encoder.on.y.one_hot) [15]',
      'encoder.0.dense dense(encoder.on.concat) [16]',
      'latent.z.mean dense(encoder.0.dense) [2]',
      'latent.z.logvar dense(encoder.0.dense) [2]',
      'latent.z gaussian_sample(latent.z.mean, latent.z.logvar) [2]',
      'decoder.on.y.one_hot one_hot(y) [3]',
      'decoder.on.concat concat(latent.z, decoder.on.y.one_hot) [5]',
      'decoder.0.dense dense(decoder.on.concat) [16]',
      'decoder.1.dense dense(decoder.0.dense) [12]',
      'output.x_hat activation(decoder.1.dense) [12]',
    ]);
  });

  it('counts the parameters of the wider first layers (Keras: (15 + 1) · 16 and (5 + 1) · 16)', () => {
    const ir = analyze(cvae()).irs[0]!;
    const kernel = (id: string) => ir.parameters.find((p) => p.id === `${id}.kernel`)!.shape;
    expect(kernel('encoder.0.dense')).toEqual([15, 16]);
    expect(kernel('decoder.0.dense')).toEqual([5, 16]);
  });

  it('reads the corrupted input in training', () => {
    const source = cvae().replace('  input y: label(3)\n', '  input y: label(3)\n  corrupt x with mask(p = 0.2)\n');
    expect(nodes(source).find((n) => n.startsWith('encoder.on.concat'))).toBe('encoder.on.concat concat(corrupt.x.0.mask, encoder.on.y.one_hot) [15]');
  });

  it('mirrors a conditional encoder back to the input alone, reading the condition', () => {
    const mirrored = nodes(cvae(undefined, 'decoder on z, y = mirror(encoder)'));
    expect(mirrored.slice(-4)).toEqual([
      'decoder.on.concat concat(latent.z, decoder.on.y.one_hot) [5]',
      'decoder.0.dense dense(decoder.on.concat) [16]',
      'decoder.1.dense dense(decoder.0.dense) [12]',
      'output.x_hat activation(decoder.1.dense) [12]',
    ]);
  });

  it('keeps an unconditional decoder as it was', () => {
    expect(nodes(cvae(undefined, 'decoder { dense(16, act = relu), dense(12) }'))[6]).toBe('decoder.0.dense dense(latent.z) [16]');
  });
});

describe('conditional reads refused', () => {
  it('AE2001 for an unknown name, with did-you-mean', () => {
    const analysis = analyze(cvae('encoder on x, yy { dense(16) }'));
    expect(codes(analysis)).toEqual(['AE2001@4:17']);
    expect(analysis.diagnostics[0]!.notes).toContain('did you mean `y`?');
  });

  it('AE3016 when the decoder does not read the code first, with a fix', () => {
    const analysis = analyze(cvae(undefined, 'decoder on y { dense(16), dense(12) }'));
    expect(codes(analysis)).toEqual(['AE3016@6:14']);
    expect(analysis.diagnostics[0]!.fix?.edits[0]!.newText).toBe('z, y');
  });

  it('AE3018 for an image beside a label', () => {
    const analysis = analyze(cvae('encoder on x, y { flatten }', 'decoder { dense(12), reshape([2, 2, 3]) }', '[2, 2, 3] in [0, 1]'));
    expect(codes(analysis)).toEqual(['AE3018@4:14']);
    expect(analysis.diagnostics[0]!.message).toBe('`encoder on` reads `x` of [2, 2, 3], which cannot be concatenated with the rest');
  });

  it('AE2002 for a name read twice', () => {
    expect(codes(analyze(cvae('encoder on x, y, y { dense(16) }')))).toEqual(['AE2002@4:20']);
  });
});
