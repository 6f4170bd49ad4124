// Every gradient rule of the onnx engine's primitives (runtime/engines/onnx/primitives.ts) against
// central finite differences, computed by ONNX Runtime itself: for each primitive, a small graph
// L = Σ (y² + y) with y = primitive(inputs) gives L and the rule's gradients in one run, and the
// directional derivative along seeded random directions is compared with (L(x + h·v) − L(x − h·v))
// / 2h, as finite-differences.ts does for the tfjs models (the displacement actually taken after
// rounding to float32, float64 sums). Inputs stay away from the kinks of relu, |·| and clip.
import { beforeAll, describe, expect, it } from 'vitest';
import { StepGraph, type Dim, type Sym } from '../../onnx/autodiff/graph.js';
import * as p from '../../onnx/autodiff/primitives.js';
import * as sp from '../../onnx/autodiff/spatial.js';
import * as ax from '../../onnx/autodiff/axes.js';
import * as rnn from '../../onnx/lowering/recurrent.js';
import { usageKl } from '../../onnx/lowering/terms.js';
import { quantise, vqLoss } from '../../onnx/lowering/vq.js';
import { loadOnnxRuntime, type OnnxRuntime } from '../../runtime/engines/onnx/runtime.js';
import { withValueInfo } from '../../onnx/value-info.js';
import { encodeModel } from '../../onnx/proto.js';
import { seededRandom } from '../backends/seeded.js';

interface InputSpec {
  /** The declared shape (null: the batch dimension), and the shape fed. */
  shape: Dim[];
  fed: number[];
  /** Values drawn in [low, high], kept at least `gap` from each kink (default: 0). */
  low?: number;
  high?: number;
  gap?: number;
  kinks?: number[];
  /** Every value apart from every other by more than two steps (max pooling: no switch moves). */
  distinct?: boolean;
  /** These values, not drawn (a codebook whose nearest codes no step of the check changes). */
  values?: Float32Array;
}

interface Case {
  name: string;
  inputs: InputSpec[];
  apply: (g: StepGraph, x: Sym[]) => Sym;
  /**
   * Per input, what the finite difference is in units of the rule's gradient (default 1): a
   * stop-gradient splits one finite difference between terms, each rule taking its share.
   */
  share?: number[];
}

const B = 3;
const batch = (n: number): InputSpec => ({ shape: [null, n], fed: [B, n] });

// VQ: 4 codes of 3 dimensions, far apart, and vectors each within 0.1 of one of them, so no step of
// the check (at most ~0.02 per value) changes a nearest code: the lookup is differentiable there.
const CODEBOOK = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, -1, -1, -1);
const codebookInput: InputSpec = { shape: [4, 3], fed: [4, 3], values: CODEBOOK };
function nearCodes(count: number): Float32Array {
  const random = seededRandom(17);
  return Float32Array.from({ length: count * 3 }, (_, i) => CODEBOOK[((Math.floor(i / 3) * 7) % 4) * 3 + (i % 3)]! + 0.2 * (random() - 0.5));
}
const BETA = 0.25;
const cases: Case[] = [
  { name: 'add, broadcasting a bias', inputs: [batch(4), { shape: [4], fed: [4] }], apply: (g, [a, b]) => p.add(g, a!, b!) },
  { name: 'sub, broadcasting a column', inputs: [batch(4), { shape: [null, 1], fed: [B, 1] }], apply: (g, [a, b]) => p.sub(g, a!, b!) },
  { name: 'mul, broadcasting a scalar-like row', inputs: [batch(4), { shape: [1, 4], fed: [1, 4] }], apply: (g, [a, b]) => p.mul(g, a!, b!) },
  { name: 'div', inputs: [batch(4), { ...batch(4), low: 0.5, high: 2 }], apply: (g, [a, b]) => p.div(g, a!, b!) },
  { name: 'sqrt', inputs: [{ ...batch(4), low: 0.5, high: 3 }], apply: (g, [a]) => p.sqrt(g, a!) },
  { name: 'mean over axes, kept (batch included)', inputs: [{ shape: [null, 2, 3], fed: [B, 2, 3] }], apply: (g, [a]) => p.meanKeep(g, a!, [0, 1]) },
  { name: 'neg', inputs: [batch(4)], apply: (g, [a]) => p.neg(g, a!) },
  { name: 'square', inputs: [batch(4)], apply: (g, [a]) => p.square(g, a!) },
  { name: 'exp', inputs: [batch(4)], apply: (g, [a]) => p.exp(g, a!) },
  { name: 'log', inputs: [{ ...batch(4), low: 0.5, high: 3 }], apply: (g, [a]) => p.log(g, a!) },
  { name: 'abs', inputs: [{ ...batch(4), gap: 0.1 }], apply: (g, [a]) => p.abs(g, a!) },
  { name: 'relu', inputs: [{ ...batch(4), gap: 0.1 }], apply: (g, [a]) => p.relu(g, a!) },
  { name: 'sigmoid', inputs: [batch(4)], apply: (g, [a]) => p.sigmoid(g, a!) },
  { name: 'tanh', inputs: [batch(4)], apply: (g, [a]) => p.tanh(g, a!) },
  { name: 'softplus', inputs: [batch(4)], apply: (g, [a]) => p.softplus(g, a!) },
  { name: 'leaky relu', inputs: [{ ...batch(4), gap: 0.1 }], apply: (g, [a]) => p.leakyRelu(g, a!, 0.2) },
  { name: 'elu', inputs: [{ ...batch(4), gap: 0.1 }], apply: (g, [a]) => p.elu(g, a!) },
  { name: 'gelu', inputs: [batch(4)], apply: (g, [a]) => p.gelu(g, a!) },
  { name: 'softmax', inputs: [batch(5)], apply: (g, [a]) => p.softmax(g, a!) },
  { name: 'log-softmax', inputs: [batch(5)], apply: (g, [a]) => p.logSoftmax(g, a!) },
  {
    // 8 values a sample: the logs summed as logs of products of 8 (see bceWithLogitsSum)
    name: 'binary cross-entropy of logits, summed (its own rule; the targets a constant)',
    inputs: [{ ...batch(8), low: -3, high: 3 }],
    apply: (g, [l]) => p.bceWithLogitsSum(g, l!, g.floats('targets', [B, 8], Float32Array.from({ length: B * 8 }, (_, i) => (i * 7) % 10 / 9))),
  },
  {
    // 6 values a sample, images [2, 3, 1]: folded once (6 → 3), the logs of 3 products of 2
    name: 'binary cross-entropy of logits, summed over images with an odd half',
    inputs: [{ shape: [null, 2, 3, 1], fed: [B, 2, 3, 1], low: -20, high: 20 }],
    apply: (g, [l]) => p.bceWithLogitsSum(g, l!, g.floats('targets', [B, 2, 3, 1], Float32Array.from({ length: B * 6 }, (_, i) => (i * 3) % 5 / 4))),
  },
  { name: 'clip', inputs: [{ ...batch(6), low: -2, high: 2, gap: 0.1, kinks: [-0.5, 0.5] }], apply: (g, [a]) => p.clip(g, a!, -0.5, 0.5) },
  { name: 'gemm', inputs: [batch(4), { shape: [4, 3], fed: [4, 3] }], apply: (g, [a, b]) => p.gemm(g, a!, b!, false, false) },
  { name: 'gemm, b transposed (tied)', inputs: [batch(4), { shape: [3, 4], fed: [3, 4] }], apply: (g, [a, b]) => p.gemm(g, a!, b!, false, true) },
  { name: 'gemm, a transposed', inputs: [{ shape: [4, null], fed: [4, B] }, { shape: [4, 3], fed: [4, 3] }], apply: (g, [a, b]) => p.gemm(g, a!, b!, true, false) },
  { name: 'gemm, both transposed', inputs: [{ shape: [4, null], fed: [4, B] }, { shape: [3, 4], fed: [3, 4] }], apply: (g, [a, b]) => p.gemm(g, a!, b!, true, true) },
  { name: 'gemm with a bias (Gemm\'s C)', inputs: [batch(4), { shape: [4, 3], fed: [4, 3] }, { shape: [3], fed: [3] }], apply: (g, [a, b, c]) => p.gemm(g, a!, b!, false, false, c) },
  { name: 'gemm with a bias, both transposed', inputs: [{ shape: [4, null], fed: [4, B] }, { shape: [3, 4], fed: [3, 4] }, { shape: [3], fed: [3] }], apply: (g, [a, b, c]) => p.gemm(g, a!, b!, true, true, c) },
  {
    // ONNX Runtime runs these two as one FusedGemm; the biases keep every output of the middle
    // column below relu's kink, and the others above it, by 1.5 or more (a·b is in [0.16, 4])
    name: 'gemm with a bias, then relu (fused)',
    inputs: [{ ...batch(4), low: 0.2, high: 1 }, { shape: [4, 3], fed: [4, 3], low: 0.2, high: 1 }, { shape: [3], fed: [3], values: Float32Array.of(1.5, -5.5, 3) }],
    apply: (g, [a, b, c]) => p.relu(g, p.gemm(g, a!, b!, false, false, c)),
  },
  { name: 'gemm with a bias, then tanh (fused)', inputs: [batch(4), { shape: [4, 3], fed: [4, 3] }, { shape: [3], fed: [3] }], apply: (g, [a, b, c]) => p.tanh(g, p.gemm(g, a!, b!, false, false, c)) },
  { name: 'reduce-sum over the last axis, kept', inputs: [batch(4)], apply: (g, [a]) => p.reduceSum(g, a!, [-1], true) },
  { name: 'reduce-sum over the batch', inputs: [batch(4)], apply: (g, [a]) => p.reduceSum(g, a!, [0], false) },
  { name: 'sum over the batch (a product with a row of ones)', inputs: [batch(4)], apply: (g, [a]) => p.sumOverBatch(g, a!) },
  { name: 'mean of everything', inputs: [batch(4)], apply: (g, [a]) => p.meanAll(g, a!) },
  { name: 'mean over the batch', inputs: [batch(4)], apply: (g, [a]) => p.meanOverBatch(g, a!) },
  { name: 'reshape', inputs: [batch(6)], apply: (g, [a]) => p.reshape(g, a!, [null, 2, 3]) },
  { name: 'flatten', inputs: [{ shape: [null, 2, 3], fed: [B, 2, 3] }], apply: (g, [a]) => p.flatten(g, a!) },
  { name: 'transpose', inputs: [{ shape: [null, 2, 3, 4], fed: [B, 2, 3, 4] }], apply: (g, [a]) => sp.transpose(g, a!, [0, 3, 1, 2]) },
  ...[
    { strides: [1, 1], pads: [1, 1, 1, 1], size: 5 },
    { strides: [2, 2], pads: [0, 0, 1, 1], size: 6 },
    { strides: [2, 1], pads: [0, 1, 0, 1], size: 7 },
  ].flatMap(({ strides, pads, size }): Case[] => {
    const window = { kernel: [3, 3] as [number, number], strides: strides as [number, number], pads: pads as sp.Pads };
    const image = { shape: [null, 2, size, size], fed: [B, 2, size, size] };
    const out = (n: number, k: number, s: number, a: number, b: number) => Math.floor((n + a + b - k) / s) + 1;
    const [oh, ow] = [out(size, 3, strides[0]!, pads[0]!, pads[2]!), out(size, 3, strides[1]!, pads[1]!, pads[3]!)];
    return [
      { name: `conv, strides ${strides}, pads ${pads}`, inputs: [image, { shape: [3, 2, 3, 3], fed: [3, 2, 3, 3] }], apply: (g, [x, w]) => sp.conv(g, x!, w!, window) },
      {
        name: `transposed conv, strides ${strides}, pads ${pads}`,
        inputs: [{ shape: [null, 3, oh, ow], fed: [B, 3, oh, ow] }, { shape: [3, 2, 3, 3], fed: [3, 2, 3, 3] }],
        apply: (g, [x, w]) => sp.convTranspose(g, x!, w!, window, [size, size]),
      },
    ];
  }),
  // stride 1 with fewer output channels than input ones: the kernel gradient with the roles swapped
  ...[
    { pads: [1, 1, 1, 1] as sp.Pads, size: 5 },
    { pads: [0, 0, 0, 0] as sp.Pads, size: 6 },
    { pads: [0, 1, 1, 0] as sp.Pads, size: 4 },
  ].map(({ pads, size }): Case => ({
    name: `conv to fewer channels, pads ${pads}`,
    inputs: [{ shape: [null, 3, size, size], fed: [B, 3, size, size] }, { shape: [1, 3, 3, 2], fed: [1, 3, 3, 2] }],
    apply: (g, [x, w]) => sp.conv(g, x!, w!, { kernel: [3, 2], strides: [1, 1], pads }),
  })),
  { name: 'max pool', inputs: [{ shape: [null, 2, 4, 4], fed: [B, 2, 4, 4], distinct: true }], apply: (g, [a]) => sp.maxPool(g, a!, { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] }).y },
  { name: 'max pool, overlapping windows, padded', inputs: [{ shape: [null, 1, 5, 5], fed: [B, 1, 5, 5], distinct: true }], apply: (g, [a]) => sp.maxPool(g, a!, { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }).y },
  { name: 'average pool, padded (padding not counted)', inputs: [{ shape: [null, 2, 5, 5], fed: [B, 2, 5, 5] }], apply: (g, [a]) => sp.averagePool(g, a!, { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1] }) },
  { name: 'average pool, overlapping', inputs: [{ shape: [null, 1, 4, 4], fed: [B, 1, 4, 4] }], apply: (g, [a]) => sp.averagePool(g, a!, { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] }) },
  { name: 'crop', inputs: [{ shape: [null, 2, 5, 5], fed: [B, 2, 5, 5] }], apply: (g, [a]) => sp.cropSpatial(g, a!, [1, 0], [3, 4]) },
  { name: 'pad', inputs: [{ shape: [null, 2, 3, 3], fed: [B, 2, 3, 3] }], apply: (g, [a]) => sp.padSpatial(g, a!, [0, 1, 2, 0]) },
  { name: 'nearest upsampling', inputs: [{ shape: [null, 2, 3, 3], fed: [B, 2, 3, 3] }], apply: (g, [a]) => sp.repeatSpatial(g, a!, [2, 3]) },
  // the sequence primitives: one piece left out (its gradient the zeros split fills in), pieces reordered
  { name: 'split, a piece unused', inputs: [batch(7)], apply: (g, [a]) => ax.concat(g, (([x, , z]) => [p.mul(g, z!, g.scalar(3)), x!])(ax.split(g, a!, -1, [2, 1, 4])), -1) },
  { name: 'concat along the last axis', inputs: [batch(2), batch(3)], apply: (g, [a, b]) => ax.concat(g, [p.tanh(g, a!), b!], -1) },
  { name: 'concat along the steps', inputs: [{ shape: [null, 2, 3], fed: [B, 2, 3] }, { shape: [null, 1, 3], fed: [B, 1, 3] }], apply: (g, [a, b]) => ax.concat(g, [b!, a!], 1) },
  { name: 'unstack, then stack reversed', inputs: [{ shape: [null, 4, 3], fed: [B, 4, 3] }], apply: (g, [a]) => ax.stack(g, ax.unstack(g, a!, 1).reverse(), 1) },
  { name: 'repeat along an axis', inputs: [{ shape: [null, 1, 3], fed: [B, 1, 3] }], apply: (g, [a]) => ax.repeatAxis(g, a!, 1, 4) },
  ...[false, true].flatMap((sequences): Case[] => {
    const units = 2;
    const x = { shape: [null, 3, 2], fed: [B, 3, 2] };
    const weight = (rows: number, gates: number) => ({ shape: [rows, gates * units], fed: [rows, gates * units] });
    return [
      {
        name: `lstm over 3 steps${sequences ? ', every state' : ''}`,
        inputs: [x, weight(2, 4), weight(units, 4), { shape: [4 * units], fed: [4 * units] }],
        apply: (g, [input, kernel, recurrent, bias]) => rnn.lstm(g, input!, units, sequences, { kernel: kernel!, recurrent: recurrent!, bias: bias! }),
      },
      {
        name: `gru over 3 steps${sequences ? ', every state' : ''}`,
        inputs: [x, weight(2, 3), weight(units, 3), { shape: [2, 3 * units], fed: [2, 3 * units] }],
        apply: (g, [input, kernel, recurrent, bias]) => rnn.gru(g, input!, units, sequences, { kernel: kernel!, recurrent: recurrent!, bias: bias! }),
      },
    ];
  }),
  // The usage_kl term (runtime/engines/onnx/terms.ts): KL of the batch-mean softmax from uniform.
  { name: 'usage_kl of onehot logits, summed over clusters', inputs: [{ ...batch(5), low: -2, high: 2 }], apply: (g, [a]) => usageKl(g, a!, 'sum') },
  // VQ (runtime/engines/onnx/vq.ts): the codebook's gradient is the one-hot product's; ArgMin has none.
  { name: 'vq lookup of the nearest codes (one-hot × codebook), the codebook', inputs: [codebookInput], apply: (g, [c]) => quantise(g, g.floats('z', [B, 3], nearCodes(B)), c!, false).quantized },
  { name: 'vq lookup over a grid of vectors (rank 4)', inputs: [codebookInput], apply: (g, [c]) => quantise(g, g.floats('z', [B, 2, 2, 3], nearCodes(B * 4)), c!, true).quantized },
  // vq_loss = ‖sg(z) − q‖² + β‖z − sg(q)‖²: both terms have the value ‖z − q‖², so the finite
  // difference in the codebook is (1 + β) times the rule's (the first term's), in z (1 + β)/β times
  // (the commitment's); sg on the wrong side, or none, breaks the ratio.
  { name: 'vq_loss (mean), the codebook: 1 + β shares of the finite difference', inputs: [codebookInput], share: [1 + BETA], apply: (g, [c]) => vqLoss(g, g.floats('z', [B, 3], nearCodes(B)), quantise(g, g.floats('z', [B, 3], nearCodes(B)), c!, true).quantized, BETA, (e) => p.meanAll(g, e)) },
  {
    name: 'vq_loss (sum), the encoder: (1 + β)/β shares of the finite difference',
    inputs: [{ shape: [null, 2, 3], fed: [B, 2, 3], values: nearCodes(B * 2) }],
    share: [(1 + BETA) / BETA],
    apply: (g, [z]) => vqLoss(g, z!, quantise(g, z!, g.floats('codebook', [4, 3], CODEBOOK), true).quantized, BETA, (e) => p.div(g, p.reduceSum(g, e, [], false), p.batchSize(g, e))),
  },
  { name: 'usage_kl of onehot logits, mean over clusters', inputs: [{ ...batch(4), low: -2, high: 2 }], apply: (g, [a]) => usageKl(g, a!, 'mean') },
];

const STEP = 1e-2;
const DIRECTIONS = 3;

function draw(spec: InputSpec, random: () => number): Float32Array {
  const size = spec.fed.reduce((a, b) => a * b, 1);
  if (spec.values) return spec.values.slice();
  if (spec.distinct) {
    // a shuffled ladder with rungs 5 steps apart
    const ladder = Float32Array.from({ length: size }, (_, i) => (i - size / 2) * 5 * STEP);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ladder[i], ladder[j]] = [ladder[j]!, ladder[i]!];
    }
    return ladder;
  }
  const [low, high] = [spec.low ?? -1, spec.high ?? 1];
  return Float32Array.from({ length: size }, () => {
    let v = low + (high - low) * random();
    for (const kink of spec.gap === undefined ? [] : (spec.kinks ?? [0])) {
      if (Math.abs(v - kink) < spec.gap!) v = v < kink ? v - spec.gap! : v + spec.gap!;
    }
    return v;
  });
}

let runtime: OnnxRuntime;

beforeAll(async () => {
  const loaded = await loadOnnxRuntime();
  if (!loaded.ok) throw new Error(`onnxruntime-node must load for these tests: ${loaded.why}`);
  runtime = loaded.runtime;
});

describe('every gradient rule of the onnx engine matches finite differences', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const g = new StepGraph();
      const inputs = c.inputs.map((spec, i) => g.input(`in${i}`, spec.shape, true));
      const y = c.apply(g, inputs);
      const loss = p.reduceSum(g, p.add(g, p.square(g, y), y), [], false);
      g.output('loss', loss);
      const grads = g.gradients(loss, inputs, (a, b) => p.add(g, a, b), (like) => p.onesLike(g, like));
      grads.forEach((gradient, i) => {
        expect(gradient, `input ${i} has a gradient`).not.toBeNull();
        g.output(`grad${i}`, gradient!);
      });
      // with the shapes the primitives record (a wrong one fails the run: ONNX Runtime plans by them)
      const model = withValueInfo(encodeModel({
        ir_version: 8,
        producer_name: 'aelang-test',
        producer_version: '',
        doc_string: c.name,
        opset_import: [{ domain: '', version: 17 }],
        graph: { name: 'check', node: g.finish(), initializer: g.initializers, input: g.inputs, output: g.outputs },
      }), g.valueInfo());
      const session = await runtime.createSession(model, 1);
      const random = seededRandom(5);
      const values = c.inputs.map((spec) => draw(spec, random));
      const run = async (xs: Float32Array[]) => session.run(Object.fromEntries(xs.map((x, i) => [`in${i}`, runtime.tensor(x, c.inputs[i]!.fed)])));
      const at = await run(values);
      const L = at.get('loss')![0]!;
      for (let d = 0; d < DIRECTIONS; d++) {
        const direction = values.map((x) => Float32Array.from(x, () => 2 * random() - 1));
        const plus = values.map((x, i) => Float32Array.from(x, (v, k) => v + STEP * direction[i]![k]!));
        const minus = values.map((x, i) => Float32Array.from(x, (v, k) => v - STEP * direction[i]![k]!));
        // What the rule predicts for the displacement actually taken (after float32 rounding).
        let analytic = 0;
        values.forEach((x, i) => {
          const gradient = at.get(`grad${i}`)!;
          for (let k = 0; k < x.length; k++) analytic += (c.share?.[i] ?? 1) * gradient[k]! * (plus[i]![k]! - minus[i]![k]!);
        });
        const numeric = (await run(plus)).get('loss')![0]! - (await run(minus)).get('loss')![0]!;
        const tolerance = 2e-3 * Math.abs(analytic) + 3e-6 * Math.abs(L) * 2 + 1e-6;
        expect(Math.abs(numeric - analytic), `direction ${d}: L₊ − L₋ = ${numeric}, the rule gives ${analytic}`).toBeLessThanOrEqual(tolerance);
      }
      await session.release();
    });
  }
});
