// Shape rules as a table: op, input shape (batch dimension first) and arguments in; output shape
// or diagnostic code out. Arguments not given take the op's declared defaults.
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../ir/types.js';
import { layerOps } from '../../compiler/shapes/layers.js';
import type { BoundArgs } from '../../compiler/shapes/signature.js';
import { analyze, codes, model } from './helpers.js';

function infer(op: string, input: Shape, args: BoundArgs = {}, switchesInput?: Shape) {
  const decl = layerOps[op]!;
  const full: BoundArgs = {};
  for (const spec of decl.signature.args) if (spec.default !== undefined) full[spec.name] = spec.default;
  const result = decl.infer(input, { ...full, ...args }, switchesInput ? { switches: { from: 'encoder.0.maxpool', inputShape: switchesInput } } : undefined);
  return 'code' in result ? result.code : result.shape;
}

const N = null;
const cases: [string, Shape, BoundArgs, Shape | string][] = [
  ['dense', [N, 784], { units: 64 }, [N, 64]],
  ['dense', [N, 28, 28, 1], { units: 64 }, 'AE3002'],
  ['conv2d', [N, 28, 28, 1], { filters: 16 }, [N, 28, 28, 16]],
  ['conv2d', [N, 28, 28, 1], { filters: 16, kernel: [5, 5], padding: 'valid' }, [N, 24, 24, 16]],
  ['conv2d', [N, 28, 28, 1], { filters: 8, kernel: [3, 3], stride: [2, 2], padding: 'same' }, [N, 14, 14, 8]],
  ['conv2d', [N, 7, 7, 8], { filters: 8, kernel: [3, 3], stride: [2, 2], padding: 'valid' }, [N, 3, 3, 8]],
  ['conv2d', [N, 3, 3, 8], { filters: 8, kernel: [5, 5], padding: 'valid' }, 'AE3003'],
  ['conv2d', [N, 784], { filters: 8 }, 'AE3002'],
  ['conv2d', [N, N, 28, 1], { filters: 4 }, [N, N, 28, 4]],
  ['deconv2d', [N, 7, 7, 8], { filters: 16, stride: [2, 2], padding: 'same' }, [N, 14, 14, 16]],
  ['deconv2d', [N, 3, 3, 8], { filters: 1, kernel: [3, 3], stride: [2, 2], padding: 'valid' }, [N, 7, 7, 1]],
  ['maxpool', [N, 28, 28, 16], {}, [N, 14, 14, 16]],
  ['maxpool', [N, 7, 7, 8], { pool: [2, 2] }, [N, 3, 3, 8]],
  ['maxpool', [N, 7, 7, 8], { pool: [2, 2], padding: 'same' }, [N, 4, 4, 8]],
  ['maxpool', [N, 1, 1, 8], { pool: [2, 2] }, 'AE3003'],
  ['maxpool', [N, 8, 8, 4], { pool: [3, 3], stride: [1, 1] }, [N, 6, 6, 4]],
  ['unpool', [N, 14, 14, 16], { mode: 'fill' }, [N, 28, 28, 16]],
  ['upsample', [N, 7, 7, 8], {}, [N, 14, 14, 8]],
  ['upsample', [N, 7, 7, 8], { factor: [3, 2] }, [N, 21, 14, 8]],
  ['upsample', [N, 49], {}, 'AE3002'],
  ['flatten', [N, 7, 7, 8], {}, [N, 392]],
  ['flatten', [N, N, 7, 8], {}, [N, N]],
  ['reshape', [N, 784], { target: [28, 28, 1] }, [N, 28, 28, 1]],
  ['reshape', [N, 784], { target: [-1, 28, 1] }, [N, 28, 28, 1]],
  ['reshape', [N, 784], { target: [28, 27, 1] }, 'AE3004'],
  ['reshape', [N, 784], { target: [-1, 5] }, 'AE3004'],
  ['dropout', [N, 64], { p: 0.5 }, [N, 64]],
  ['batchnorm', [N, 7, 7, 8], {}, [N, 7, 7, 8]],
  ['layernorm', [N, 64], {}, [N, 64]],
  ['relu', [N, 64], {}, [N, 64]],
  ['leaky_relu', [N, 3, 3, 2], { alpha: 0.1 }, [N, 3, 3, 2]],
  ['softmax', [N, 10], {}, [N, 10]],
];

describe('shape rules', () => {
  it.each(cases)('%s on %j with %j → %j', (op, input, args, expected) => {
    expect(infer(op, input, args)).toEqual(expected);
  });

  it('unpool with switches restores the maxpool input size, odd sizes included', () => {
    expect(infer('unpool', [N, 3, 3, 8], { mode: 'switches' }, [N, 7, 7, 8])).toEqual([N, 7, 7, 8]);
  });

  it('every activation is a layer', () => {
    for (const fn of ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'elu', 'gelu', 'softplus', 'softmax', 'linear']) {
      expect(layerOps[fn]?.ir([N, 4], { alpha: 0.1 })).toMatchObject({ op: 'activation', attrs: { fn } });
    }
  });
});

describe('arguments and shapes in source', () => {
  const run = (encoder: string, rest = 'latent z = dense(2)\n  decoder { dense(784) }\n  output x_hat = sigmoid', input?: string) =>
    codes(analyze(model(`  encoder { ${encoder} }\n  ${rest}`, input)));

  it.each([
    ['dense(64, act = relu)', []],
    ['dense(64, act = rleu)', ['AE2004@3:29']],
    ['dense(64, ac = relu)', ['AE2005@3:23']],
    ['dense(64, relu, true, false, 3)', ['AE2006@3:42']],
    ['dense()', ['AE2006@3:13']],
    ['dense(64, units = 3)', ['AE2007@3:23']],
    ['dense(64.5)', ['AE2015@3:19']],
    ['dense(0)', ['AE2020@3:19']],
    ['dense("a")', ['AE2014@3:19']],
    ['dropout(1.5)', ['AE2020@3:21']],
    ['dens(64)', ['AE2003@3:13']],
    ['conv2d(8)', ['AE3002@3:13']],
  ])('%s → %j', (encoder, expected) => {
    expect(run(encoder)).toEqual(expected);
  });

  it('suggests the closest layer, activation and argument', () => {
    const a = analyze(model('  encoder { dens(64), dense(8, act = sigmod), dense(8, acct = relu) }\n  latent z = dense(2)\n  decoder { dense(784) }\n  output x_hat = sigmoid'));
    const notes = a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.notes.find((n) => n.startsWith('did you mean')));
    expect(notes).toEqual(['did you mean `dense`?', 'did you mean `sigmoid`?', 'did you mean `act`?']);
    expect(a.diagnostics[0]!.fix?.edits[0]?.newText).toBe('dense');
  });

  it('padding words: same/valid, with did-you-mean for a misspelling', () => {
    const a = analyze(model('  encoder { conv2d(4, padding = sme) }\n  latent z = identity\n  decoder { conv2d(1) }\n  output x_hat = sigmoid', '[8, 8, 1]'));
    expect(codes(a)).toEqual(['AE2019@3:33']);
    expect(a.diagnostics[0]!.notes).toContain('did you mean `same`?');
  });

  it('a decoder whose output differs from the input is an error at the decoder, related to the input', () => {
    const a = analyze(model('  encoder { dense(64) }\n  latent z = dense(2)\n  decoder { dense(780) }\n  output x_hat = sigmoid'));
    expect(codes(a)).toEqual(['AE3001@5:3']);
    expect(a.diagnostics[0]!.related[0]?.range.start.line).toBe(2);
  });

  it('vq dim must equal the encoder output width', () => {
    expect(codes(analyze(model('  encoder { dense(32) }\n  latent z = vq(codes = 8, dim = 16)\n  decoder { dense(784) }\n  output x_hat = sigmoid')))).toEqual(['AE3011@4:14']);
  });

  it('input dimensions must be whole and positive; value ranges ordered', () => {
    expect(codes(analyze(model('  encoder { dense(8) }\n  latent z = dense(2)\n  decoder { dense(784) }\n  output x_hat = sigmoid', '[0] in [0, 1]')))).toEqual(['AE3008@2:13']);
    expect(codes(analyze(model('  encoder { dense(8) }\n  latent z = dense(2)\n  decoder { dense(784) }\n  output x_hat = sigmoid', '[784] in [1, 0]')))).toEqual(['AE3009@2:21']);
  });

  it('unknown dimensions stay unknown instead of failing', () => {
    const shape = infer('dense', [N, N], { units: 4 });
    expect(shape).toEqual([N, 4]);
  });
});
