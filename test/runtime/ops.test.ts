// Per-op conformance: each op of the lowering table against a plain-JS reference (test/runtime/reference.ts).
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IRModel, IRNode } from '../../ir/types.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { act, singleNode } from './ir-builders.js';
import { conv2dRef, erf, maxPoolRef, randomArray, sigmoid } from './reference.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const programs: Program[] = [];
afterEach(() => {
  for (const p of programs.splice(0)) p.dispose();
});

function build(spec: ReturnType<typeof singleNode>): Program {
  const program = buildProgram(spec.ir, { seed: 1 });
  for (const [id, p] of Object.entries(spec.values)) program.variables.get(id)!.assign(tf.tensor(p.values, p.shape));
  programs.push(program);
  return program;
}

function run(program: Program, x: tf.Tensor, training = false, extra: Record<string, tf.Tensor> = {}, seed = 3): Map<string, tf.Tensor> {
  return program.forward({ x, ...extra }, { training, rng: new Rng(seed) });
}

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!), `at ${i}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
};

describe('dense', () => {
  const x = randomArray(3 * 4, 1);
  const w = randomArray(4 * 2, 2);
  const bias = [0.5, -0.25];
  const reference = (f: (v: number) => number) =>
    [0, 1, 2].flatMap((n) => [0, 1].map((o) => f(bias[o]! + [0, 1, 2, 3].reduce((s, i) => s + x[n * 4 + i]! * w[i * 2 + o]!, 0))));

  for (const [fn, f] of [
    ['linear', (v: number) => v],
    ['relu', (v: number) => Math.max(v, 0)],
    ['sigmoid', sigmoid],
    ['tanh', Math.tanh],
    ['leaky_relu', (v: number) => (v > 0 ? v : 0.2 * v)],
    ['elu', (v: number) => (v > 0 ? v : Math.exp(v) - 1)],
    ['softplus', (v: number) => Math.log1p(Math.exp(v))],
    ['gelu', (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
  ] as const) {
    it(`computes x·W + b with ${fn}`, () => {
      const program = build(
        singleNode('dense', { units: 2, activation: act(fn), useBias: true }, [null, 4], [null, 2], {
          kernel: { shape: [4, 2], values: w },
          bias: { shape: [2], values: bias },
        }),
      );
      close(run(program, tf.tensor2d(x, [3, 4])).get('n')!.dataSync(), reference(f), 1e-5);
    });
  }

  it('publishes the logits of a sigmoid layer for fromLogits', () => {
    const program = build(
      singleNode('dense', { units: 2, activation: act('sigmoid'), useBias: true }, [null, 4], [null, 2], {
        kernel: { shape: [4, 2], values: w },
        bias: { shape: [2], values: bias },
      }),
    );
    close(run(program, tf.tensor2d(x, [3, 4])).get('n:logits')!.dataSync(), reference((v) => v));
  });
});

describe('tied parameters', () => {
  const ir: IRModel = {
    irVersion: 2,
    model: 'tied',
    inputs: [{ name: 'x', kind: 'tensor', shape: [null, 3], dtype: 'float32' }],
    parameters: [
      { id: 'enc.kernel', node: 'enc', role: 'kernel', shape: [3, 2], init: 'glorot_uniform', trainable: true },
      { id: 'dec.kernel', node: 'dec', role: 'kernel', shape: [2, 3], init: 'glorot_uniform', trainable: true, tiedTo: 'enc.kernel', transpose: true },
    ],
    nodes: [
      { id: 'enc', op: 'dense', inputs: ['x'], attrs: { units: 2, activation: act('linear'), useBias: false }, shape: [null, 2], stage: 'encoder', params: { kernel: 'enc.kernel' } },
      { id: 'dec', op: 'dense', inputs: ['enc'], attrs: { units: 3, activation: act('linear'), useBias: false }, shape: [null, 3], stage: 'decoder', params: { kernel: 'dec.kernel' } },
    ] as IRNode[],
    outputs: { reconstruction: 'dec', target: 'x', latent: 'enc', named: {}, heads: {} },
    objective: [],
    phases: [],
  };

  it('share one variable, read transposed by the mirrored dense', () => {
    const program = buildProgram(ir, { seed: 5 });
    programs.push(program);
    expect([...program.variables.keys()]).toEqual(['enc.kernel']);
    const w = [1, 2, 3, 4, 5, 6]; // [[1,2],[3,4],[5,6]]
    program.variables.get('enc.kernel')!.assign(tf.tensor2d(w, [3, 2]));
    const out = run(program, tf.tensor2d([1, 0, -1], [1, 3]));
    const code = [1 - 5, 2 - 6]; // x·W
    close(out.get('enc')!.dataSync(), code);
    // code·Wᵀ
    close(out.get('dec')!.dataSync(), [code[0]! * 1 + code[1]! * 2, code[0]! * 3 + code[1]! * 4, code[0]! * 5 + code[1]! * 6]);
  });

  it('get one gradient: the sum of both uses', () => {
    const program = buildProgram(ir, { seed: 5 });
    programs.push(program);
    const v = program.variables.get('enc.kernel')!;
    const x = tf.tensor2d([0.3, -0.2, 0.5], [1, 3]);
    const { grads } = tf.variableGrads(() => tf.sum(run(program, x).get('dec')!) as tf.Scalar, [v]);
    // d/dW sum(x W Wᵀ) = xᵀ(1ᵀW) + 1ᵀ... checked numerically against central differences.
    const base = v.arraySync() as number[][];
    const numeric = base.flatMap((row, i) =>
      row.map((_, j) => {
        const at = (delta: number) => {
          const w = base.map((r) => [...r]);
          w[i]![j]! += delta;
          v.assign(tf.tensor2d(w));
          return tf.sum(run(program, x).get('dec')!).dataSync()[0]!;
        };
        return (at(1e-2) - at(-1e-2)) / 2e-2;
      }),
    );
    v.assign(tf.tensor2d(base));
    close(grads[v.name]!.dataSync(), numeric, 1e-3);
  });
});

describe('conv2d and deconv2d', () => {
  const xShape = [2, 5, 5, 2];
  const kShape = [3, 3, 2, 3];
  const x = randomArray(2 * 5 * 5 * 2, 11);
  const k = randomArray(3 * 3 * 2 * 3, 12);

  for (const [stride, padding] of [
    [1, 'same'],
    [2, 'same'],
    [2, 'valid'],
  ] as const) {
    it(`conv2d stride ${stride} ${padding} matches the reference, with bias and relu`, () => {
      const ref = conv2dRef(x, xShape, k, kShape, [stride, stride], padding);
      const program = build(
        singleNode(
          'conv2d',
          { filters: 3, kernel: [3, 3], stride: [stride, stride], padding, activation: act('relu') },
          [null, 5, 5, 2],
          [null, ...ref.shape.slice(1)],
          { kernel: { shape: kShape, values: k }, bias: { shape: [3], values: [0.1, -0.1, 0] } },
        ),
      );
      const expected = ref.y.map((v, i) => Math.max(v + [0.1, -0.1, 0][i % 3]!, 0));
      close(run(program, tf.tensor4d(x, xShape as [number, number, number, number])).get('n')!.dataSync(), expected, 1e-5);
    });
  }

  it('deconv2d is the adjoint of conv2d with the same kernel: <conv(y), x> = <y, deconv(x)>', () => {
    const y = randomArray(1 * 6 * 6 * 2, 21); // conv input [1, 6, 6, 2] → [1, 3, 3, 3] with stride 2 same
    const conv = conv2dRef(y, [1, 6, 6, 2], k, kShape, [2, 2], 'same');
    const z = randomArray(conv.y.length, 22);
    const program = build(
      singleNode(
        'deconv2d',
        { filters: 2, kernel: [3, 3], stride: [2, 2], padding: 'same', activation: act('linear') },
        [null, 3, 3, 3],
        [null, 6, 6, 2],
        { kernel: { shape: kShape, values: k } },
      ),
    );
    const deconv = run(program, tf.tensor4d(z, [1, 3, 3, 3])).get('n')!;
    expect(deconv.shape).toEqual([1, 6, 6, 2]);
    const lhs = conv.y.reduce((s, v, i) => s + v * z[i]!, 0);
    const d = deconv.dataSync();
    const rhs = y.reduce((s, v, i) => s + v * d[i]!, 0);
    expect(rhs).toBeCloseTo(lhs, 4);
  });
});

describe('maxpool, unpool, upsample', () => {
  const shape = [1, 4, 4, 2];
  // Ties on purpose: the first maximum in each window (row-major) is the switch.
  const x = [
    1, 9, 1, 9, 3, 0, 2, 0,
    1, 9, 0, 9, 3, 0, 2, 0,
    5, 1, 5, 1, 0, 4, 7, 4,
    4, 2, 5, 3, 7, 4, 0, 4,
  ];
  const pool = { pool: [2, 2], stride: [2, 2], padding: 'valid' };

  function poolThenUnpool(mode: 'switches' | 'fill'): IRModel {
    return {
      irVersion: 2,
      model: 'pool',
      inputs: [{ name: 'x', kind: 'tensor', shape: [null, 4, 4, 2], dtype: 'float32' }],
      parameters: [],
      nodes: [
        { id: 'p', op: 'maxpool', inputs: ['x'], attrs: pool, shape: [null, 2, 2, 2], stage: 'encoder' },
        { id: 'u', op: 'unpool', inputs: mode === 'switches' ? ['p', 'p:switches'] : ['p'], attrs: { pool: [2, 2], mode }, shape: [null, 4, 4, 2], stage: 'decoder' },
      ] as IRNode[],
      outputs: { reconstruction: 'u', target: 'x', latent: 'p', named: {}, heads: {} },
      objective: [],
      phases: [],
    };
  }

  it('maxpool pools and unpool puts each max back at its first position, zeros elsewhere', () => {
    const ref = maxPoolRef(x, shape, 2);
    const program = buildProgram(poolThenUnpool('switches'), { seed: 1 });
    programs.push(program);
    const out = run(program, tf.tensor4d(x, shape as [number, number, number, number]));
    close(out.get('p')!.dataSync(), ref.y);
    const expected = new Array<number>(x.length).fill(0);
    ref.argmax.forEach((at, i) => (expected[at] = ref.y[i]!));
    close(out.get('u')!.dataSync(), expected);
  });

  it('unpool by fill copies each value over its window', () => {
    const program = buildProgram(poolThenUnpool('fill'), { seed: 1 });
    programs.push(program);
    const out = run(program, tf.tensor4d(x, shape as [number, number, number, number]));
    const ref = maxPoolRef(x, shape, 2);
    const expected = x.map((_, index) => {
      const ch = index % 2;
      const col = Math.floor(index / 2) % 4;
      const row = Math.floor(index / 8);
      return ref.y[((Math.floor(row / 2) * 2 + Math.floor(col / 2)) * 2) + ch]!;
    });
    close(out.get('u')!.dataSync(), expected);
  });

  it('switches work on an odd size with same padding (5×5 → 3×3 → 5×5)', () => {
    const odd = randomArray(25, 31);
    const ir = poolThenUnpool('switches');
    ir.inputs[0]!.shape = [null, 5, 5, 1];
    (ir.nodes[0] as IRNode).shape = [null, 3, 3, 1];
    (ir.nodes[0]!.attrs as { padding: string }).padding = 'same';
    (ir.nodes[1] as IRNode).shape = [null, 5, 5, 1];
    const program = buildProgram(ir, { seed: 1 });
    programs.push(program);
    const out = run(program, tf.tensor4d(odd, [1, 5, 5, 1]));
    const pooled = out.get('p')!.dataSync();
    const unpooled = out.get('u')!.dataSync();
    // Every pooled max appears exactly once in the unpooled map, at a cell holding that value.
    expect(Array.from(unpooled).filter((v) => v !== 0).sort()).toEqual(Array.from(pooled).sort());
    unpooled.forEach((v, i) => v !== 0 && expect(v).toBe(Math.fround(odd[i]!)));
  });

  it('upsample repeats each cell factor × factor times', () => {
    const program = build(singleNode('upsample', { factor: [2, 3] }, [null, 1, 2, 1], [null, 2, 6, 1]));
    close(run(program, tf.tensor4d([1, 2], [1, 1, 2, 1])).get('n')!.dataSync(), [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2]);
  });
});

describe('shape and normalisation', () => {
  it('flatten and reshape keep the batch', () => {
    const flat = build(singleNode('flatten', {}, [null, 2, 2, 1], [null, 4]));
    expect(run(flat, tf.zeros([3, 2, 2, 1])).get('n')!.shape).toEqual([3, 4]);
    const back = build(singleNode('reshape', { target: [2, 2, 1] }, [null, 4], [null, 2, 2, 1]));
    expect(run(back, tf.zeros([3, 4])).get('n')!.shape).toEqual([3, 2, 2, 1]);
  });

  it('batchnorm: batch moments and a moving-statistics update in training, moving statistics in inference', () => {
    const x = [1, 10, 3, 20, 5, 30, 7, 40]; // 4 samples × 2 features
    const spec = singleNode('batchnorm', { momentum: 0.9, epsilon: 1e-3 }, [null, 2], [null, 2], {
      gamma: { shape: [2], values: [2, 1] },
      beta: { shape: [2], values: [0, 1] },
      moving_mean: { shape: [2], values: [0, 0], trainable: false },
      moving_variance: { shape: [2], values: [1, 1], trainable: false },
    });
    const program = build(spec);
    const input = tf.tensor2d(x, [4, 2]);
    const mean = [4, 25];
    const variance = [5, 125];
    const expected = x.map((v, i) => [2, 1][i % 2]! * ((v - mean[i % 2]!) / Math.sqrt(variance[i % 2]! + 1e-3)) + [0, 1][i % 2]!);
    close(run(program, input, true).get('n')!.dataSync(), expected, 1e-4);
    close(program.variables.get('n.moving_mean')!.dataSync(), [0.1 * 4, 0.1 * 25]);
    close(program.variables.get('n.moving_variance')!.dataSync(), [0.9 + 0.1 * 5, 0.9 + 0.1 * 125]);
    const inference = x.map((v, i) => {
      const m = [0.4, 2.5][i % 2]!;
      const s = [1.4, 13.4][i % 2]!;
      return [2, 1][i % 2]! * ((v - m) / Math.sqrt(s + 1e-3)) + [0, 1][i % 2]!;
    });
    close(run(program, input, false).get('n')!.dataSync(), inference, 1e-4);
  });

  it('layernorm normalises each sample over its features', () => {
    const program = build(singleNode('layernorm', { epsilon: 1e-5 }, [null, 3], [null, 3]));
    const out = run(program, tf.tensor2d([1, 2, 3, 10, 10, 40], [2, 3])).get('n')!.dataSync();
    const norm = (row: number[]) => {
      const m = row.reduce((a, b) => a + b) / row.length;
      const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length;
      return row.map((r) => (r - m) / Math.sqrt(v + 1e-5));
    };
    close(out, [...norm([1, 2, 3]), ...norm([10, 10, 40])], 1e-4);
  });

  it('dropout is the identity in inference and zeroes/rescales in training', () => {
    const program = build(singleNode('dropout', { rate: 0.5 }, [null, 1000], [null, 1000]));
    const x = tf.ones([1, 1000]);
    close(run(program, x, false).get('n')!.dataSync(), new Array(1000).fill(1));
    const trained = Array.from(run(program, x, true).get('n')!.dataSync());
    expect(new Set(trained)).toEqual(new Set([0, 2]));
  });
});

describe('corruptions: training only', () => {
  const x = tf.fill([1, 2000], 0.5);
  const cases = [
    ['corrupt_gaussian', { std: 0.1 }],
    ['corrupt_mask', { rate: 0.3 }],
    ['corrupt_salt_pepper', { rate: 0.2, low: 0, high: 1 }],
    ['corrupt_dropout', { rate: 0.25 }],
    ['clip', { low: 0, high: 0.4 }],
  ] as const;

  for (const [op, attrs] of cases) {
    it(`${op} is the identity in inference`, () => {
      const program = build(singleNode(op, attrs, [null, 2000], [null, 2000]));
      expect(Array.from(run(program, x, false).get('n')!.dataSync()).every((v) => v === 0.5)).toBe(true);
    });
  }

  it('gaussian noise has the given std', () => {
    const values = Array.from(run(build(singleNode('corrupt_gaussian', { std: 0.1 }, [null, 2000], [null, 2000])), x, true).get('n')!.dataSync());
    const std = Math.sqrt(values.reduce((s, v) => s + (v - 0.5) ** 2, 0) / values.length);
    expect(std).toBeGreaterThan(0.09);
    expect(std).toBeLessThan(0.11);
  });

  it('mask zeroes about a fraction `rate` and keeps the rest unchanged', () => {
    const values = Array.from(run(build(singleNode('corrupt_mask', { rate: 0.3 }, [null, 2000], [null, 2000])), x, true).get('n')!.dataSync());
    expect(new Set(values)).toEqual(new Set([0, 0.5]));
    const zeroed = values.filter((v) => v === 0).length / values.length;
    expect(zeroed).toBeGreaterThan(0.25);
    expect(zeroed).toBeLessThan(0.35);
  });

  it('salt and pepper sets about rate/2 to low and rate/2 to high', () => {
    const values = Array.from(run(build(singleNode('corrupt_salt_pepper', { rate: 0.2, low: 0, high: 1 }, [null, 2000], [null, 2000])), x, true).get('n')!.dataSync());
    expect(new Set(values)).toEqual(new Set([0, 0.5, 1]));
    const low = values.filter((v) => v === 0).length / values.length;
    const high = values.filter((v) => v === 1).length / values.length;
    expect(low).toBeGreaterThan(0.07);
    expect(low).toBeLessThan(0.13);
    expect(high).toBeGreaterThan(0.07);
    expect(high).toBeLessThan(0.13);
  });

  it('clip clips in training', () => {
    const values = Array.from(run(build(singleNode('clip', { low: 0, high: 0.4 }, [null, 2000], [null, 2000])), x, true).get('n')!.dataSync());
    expect(values.every((v) => Math.abs(v - 0.4) < 1e-7)).toBe(true);
  });

  it('the same rng seed gives the same noise', () => {
    const program = build(singleNode('corrupt_gaussian', { std: 1 }, [null, 50], [null, 50]));
    const a = run(program, tf.zeros([1, 50]), true, {}, 9).get('n')!.dataSync();
    const b = run(program, tf.zeros([1, 50]), true, {}, 9).get('n')!.dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('latents', () => {
  it('gaussian_sample: the mean in inference, mean + exp(logvar/2)·ε in training', () => {
    const spec = singleNode('gaussian_sample', {}, [null, 4000], [null, 4000], {}, [{ name: 'logvar', shape: [null, 4000] }]);
    const program = build(spec);
    const mean = tf.fill([1, 4000], 3);
    const logvar = tf.fill([1, 4000], Math.log(4));
    close(run(program, mean, false, { logvar }).get('n')!.dataSync(), new Array(4000).fill(3));
    const sample = Array.from(run(program, mean, true, { logvar }).get('n')!.dataSync());
    const m = sample.reduce((a, b) => a + b) / sample.length;
    const sd = Math.sqrt(sample.reduce((s, v) => s + (v - m) ** 2, 0) / sample.length);
    expect(m).toBeGreaterThan(2.9);
    expect(m).toBeLessThan(3.1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
  });

  it('vector_quantize picks the nearest code and passes gradients straight through', () => {
    const codebook = [0, 0, 1, 1, -1, 2]; // 3 codes of dim 2
    const program = build(
      singleNode('vector_quantize', { codes: 3, dim: 2, commitment: 0.25 }, [null, 2], [null, 2], { codebook: { shape: [3, 2], values: codebook } }),
    );
    const z = tf.tensor2d([0.9, 0.8, -0.8, 1.7, 0.1, -0.1], [3, 2]);
    const out = run(program, z, true);
    close(out.get('n')!.dataSync(), [1, 1, -1, 2, 0, 0]);
    expect(Array.from(out.get('n:codes')!.dataSync())).toEqual([1, 2, 0]);
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(run(program, input, true).get('n')!, tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]))))(z);
    close(grad.dataSync(), [1, 2, 3, 4, 5, 6]);
  });

  it('binarize: x > 0 in inference; bits with the sigmoid gradient in training', () => {
    const program = build(singleNode('binarize', { stochastic: false }, [null, 3], [null, 3]));
    const x = tf.tensor2d([-2, 0.5, 3], [1, 3]);
    expect(Array.from(run(program, x, false).get('n')!.dataSync())).toEqual([0, 1, 1]);
    expect(Array.from(run(program, x, true).get('n')!.dataSync())).toEqual([0, 1, 1]);
    const grad = tf.grad((input: tf.Tensor) => tf.sum(run(program, input, true).get('n')!))(x);
    close(grad.dataSync(), [-2, 0.5, 3].map((v) => sigmoid(v) * (1 - sigmoid(v))), 1e-5);
  });

  it('gumbel_onehot: one-hot of the argmax in inference, one-hot rows when hard in training', () => {
    const program = build(singleNode('gumbel_onehot', { temperature: 0.5, hard: true }, [null, 4], [null, 4]));
    const x = tf.tensor2d([0, 3, 1, 0, 2, 0, 0, 1], [2, 4]);
    expect(Array.from(run(program, x, false).get('n')!.dataSync())).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
    const rows = tf.sum(run(program, x, true).get('n')!, -1).dataSync();
    close(rows, [1, 1]);
  });
});

it('an unknown op fails with its name', () => {
  const spec = singleNode('dense', {}, [null, 1], [null, 1]);
  (spec.ir.nodes[0] as { op: string }).op = 'fancy_op';
  expect(() => buildProgram(spec.ir, { seed: 1 })).toThrow(/node 'n': unknown op 'fancy_op'/);
});

it('initialisation is deterministic per seed and follows the initialiser', () => {
  const spec = singleNode('dense', { units: 200, activation: act('relu'), useBias: false }, [null, 100], [null, 200]);
  spec.ir.parameters.push();
  spec.ir.parameters = [{ id: 'n.kernel', node: 'n', role: 'kernel', shape: [100, 200], init: 'he_normal', trainable: true }];
  (spec.ir.nodes[0] as { params: object }).params = { kernel: 'n.kernel' };
  const a = buildProgram(spec.ir, { seed: 7 });
  const b = buildProgram(spec.ir, { seed: 7 });
  const c = buildProgram(spec.ir, { seed: 8 });
  programs.push(a, b, c);
  const values = Array.from(a.variables.get('n.kernel')!.dataSync());
  expect(values).toEqual(Array.from(b.variables.get('n.kernel')!.dataSync()));
  expect(values).not.toEqual(Array.from(c.variables.get('n.kernel')!.dataSync()));
  const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
  expect(std).toBeGreaterThan(Math.sqrt(2 / 100) * 0.95);
  expect(std).toBeLessThan(Math.sqrt(2 / 100) * 1.05);
});
