// Mirror expansion by LANGUAGE.md section 4, ties, switches, and the checks around them.
import { describe, expect, it } from 'vitest';
import type { IRNode } from '../../ir/types.js';
import { analyze, codes, onlyModel } from './helpers.js';

const describeNode = (n: IRNode): string => {
  const a = n.attrs as Record<string, unknown>;
  const act = a.activation ? `:${(a.activation as { fn: string }).fn}` : '';
  const size = a.units ?? a.filters ?? (a.target ? JSON.stringify(a.target) : '');
  const switches = n.inputs[1]?.endsWith(':switches') ? `<${n.inputs[1].slice(0, -':switches'.length)}>` : '';
  return `${n.op}${size === '' ? '' : `(${String(size)})`}${act}${switches}`;
};
const decoder = (text: string) => onlyModel(text).nodes.filter((n) => n.stage === 'decoder').map(describeNode);
const source = (input: string, encoder: string, latent: string, mirror = 'mirror(encoder)', output = 'sigmoid') =>
  `model m {\n  input x: ${input}\n  encoder { ${encoder} }\n  latent z = ${latent}\n  decoder = ${mirror}\n  output x_hat = ${output}\n  loss = mse(x_hat, x)\n}\n`;

describe('mirror', () => {
  it('M(Lz), M(Ln)..M(L1): each maps back to its input and takes the previous activation', () => {
    expect(decoder(source('[784]', 'dense(256, act = relu), dense(64, act = tanh)', 'dense(8)'))).toEqual([
      'dense(64):tanh',
      'dense(256):relu',
      'dense(784):linear',
    ]);
  });

  it('conv ↔ deconv, maxpool ↔ unpool with switches, flatten ↔ reshape, dropout and batchnorm in place', () => {
    const nodes = decoder(
      source('[28, 28, 1]', 'conv2d(8, act = relu), maxpool(2), batchnorm, dropout(0.2), flatten, dense(32, act = elu)', 'dense(4)'),
    );
    expect(nodes).toEqual([
      'dense(32):elu',
      'dense(1568):relu',
      'reshape([14,14,8])',
      'dropout',
      'batchnorm',
      'unpool<encoder.1.maxpool>',
      'deconv2d(1):linear',
    ]);
  });

  it('upsample mirrors to maxpool; standalone activations are not mirrored themselves', () => {
    expect(decoder(source('[8, 8, 2]', 'upsample(2), conv2d(4), relu', 'identity'))).toEqual(['deconv2d(2):linear', 'maxpool']);
  });

  it('the output activation is its own node after the last decoder layer, which is its pre-activation', () => {
    const m = onlyModel(source('[784] in [0, 1]', 'dense(64, act = relu)', 'dense(8)'));
    const output = m.nodes.at(-1)!;
    expect(output).toMatchObject({ id: 'output.x_hat', op: 'activation', attrs: { fn: 'sigmoid' }, inputs: ['decoder.1.dense'] });
    expect(m.tensors.get('x_hat')).toMatchObject({ preActivationNodeId: 'decoder.1.dense', valueRange: [0, 1], origin: 'output' });
    expect([...m.tensors.get('z')!.differentiableFrom]).toEqual(['x']);
  });

  it('tied convolutions share the kernel tensor untransposed; each layer keeps its bias', () => {
    const m = onlyModel(source('[28, 28, 1]', 'conv2d(16, act = relu), maxpool(2), conv2d(8, act = relu), maxpool(2)', 'identity', 'mirror(encoder, tied = true)'));
    const tied = m.parameters.filter((p) => p.tiedTo).map((p) => `${p.id}→${p.tiedTo}:${p.transpose}:${p.shape}`);
    expect(tied).toEqual(['decoder.1.deconv2d.kernel→encoder.2.conv2d.kernel:false:3,3,16,8', 'decoder.3.deconv2d.kernel→encoder.0.conv2d.kernel:false:3,3,1,16']);
    expect(m.parameterCount.total).toBe(3 * 3 * 16 + 16 + 3 * 3 * 16 * 8 + 8 + 16 + 1);
  });

  it('odd sizes: unpool restores the size its maxpool saw', () => {
    expect(decoder(source('[7, 7, 1]', 'conv2d(2), maxpool(2)', 'identity')).slice(0, 1)).toEqual(['unpool<encoder.1.maxpool>']);
  });

  it('a strided conv whose mirror cannot restore the size is reported at the encoder layer', () => {
    const a = analyze(source('[7, 7, 1]', 'conv2d(4, stride = 2)', 'identity'));
    expect(codes(a)).toEqual(['AE3007@3:13']);
    expect(a.diagnostics[0]!.message).toBe('the mirror of this `conv2d` cannot restore its input shape [7, 7, 1]: it gives [8, 8, 1]');
    expect(a.diagnostics[0]!.related[0]!.range.start.line).toBe(5);
  });

  it('only the encoder can be mirrored; mirror takes only `tied`', () => {
    expect(codes(analyze(source('[4]', 'dense(2)', 'dense(1)', 'mirror(decoder)')))).toEqual(['AE2018@5:20']);
    expect(codes(analyze(source('[4]', 'dense(2)', 'dense(1)', 'mirror(encoder, tide = true)')))).toEqual(['AE2005@5:29']);
  });

  it('gaussian, binary and onehot latents mirror through a dense back to the encoder width', () => {
    expect(decoder(source('[16]', 'dense(8, act = relu)', 'gaussian(2)'))).toEqual(['dense(8):relu', 'dense(16):linear']);
    expect(decoder(source('[16]', 'dense(8, act = relu)', 'onehot(4)'))).toEqual(['dense(8):relu', 'dense(16):linear']);
    const m = onlyModel(source('[16]', 'dense(8, act = relu)', 'binary(4, stochastic = true)'));
    expect(m.nodes.filter((n) => n.stage === 'latent').map((n) => `${n.id}:${n.op}`)).toEqual(['latent.z.logits:dense', 'latent.z:binarize']);
    expect([...m.tensors.get('z')!.differentiableFrom]).toEqual([]);
  });
});

describe('explicit decoders and unpool switches', () => {
  const cae = (decoderLayers: string) =>
    `model m {\n  input x: [28, 28, 1]\n  encoder { conv2d(4), maxpool(2), conv2d(2), maxpool(2) }\n  latent z = identity\n  decoder { ${decoderLayers} }\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)\n}\n`;

  it('unpools take the switches of the encoder maxpools, innermost first', () => {
    const m = onlyModel(cae('unpool(2), conv2d(4), unpool(2), conv2d(1)'));
    const unpools = m.nodes.filter((n) => n.op === 'unpool').map((n) => n.inputs[1]);
    expect(unpools).toEqual(['encoder.3.maxpool:switches', 'encoder.1.maxpool:switches']);
  });

  it('an unpool with no maxpool left to take switches from is an error; fill mode needs none', () => {
    expect(codes(analyze(cae('unpool(2), conv2d(4), unpool(2), conv2d(1), unpool(2), maxpool(2)')))).toEqual(['AE3006@5:57']);
    expect(codes(analyze(cae('unpool(2, mode = fill), conv2d(4), upsample(2), conv2d(1)')))).toEqual([]);
  });

  it('a head on the latent gets its own nodes, its softmax split off for losses from logits', () => {
    const m = onlyModel(
      `model m {\n  input x: [8]\n  input y: label(3)\n  encoder { dense(4, act = relu) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = linear\n  head c on z { dense(3, act = softmax) }\n  loss = mse(x_hat, x) + cross_entropy(c, y)\n}\n`,
    );
    expect(m.heads).toEqual([expect.objectContaining({ name: 'c', nodeId: 'head.c.activation', preActivationNodeId: 'head.c.0.dense', activation: { fn: 'softmax' } })]);
  });
});
