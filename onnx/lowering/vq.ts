// Vector quantisation in the step and inference graphs, as runtime/program/ops/latent.ts computes
// it on tfjs: the nearest code by squared distance ‖z‖² − 2 z·c + ‖c‖² (ArgMin, the first of equal
// minima, as tf.argMin), the quantised vectors as one-hot(codes) × codebook, so the codebook's
// gradient is the Gemm rule's onehotᵀ·dy, and in training the straight-through value z + sg(q − z).
// The distances and the codes carry no gradient (untaped nodes). vq_loss (terms.ts) reads the
// `quantized` output; the engine's codebook upkeep (runtime/engines/onnx/codebooks.ts) reads the `codes` and the encoder's output.
import { attr, type Sym, type StepGraph } from '../autodiff/graph.js';
import * as p from '../autodiff/primitives.js';

export interface Quantised {
  /** The value the decoder reads: z + sg(q − z) in training, q in inference. */
  value: Sym;
  /** The nearest codebook vectors, shaped as z. */
  quantized: Sym;
  /** The code index at each position (floats), z's shape without its last axis. */
  codes: Sym;
}

/** Quantises `z` ([..., dim]) with `codebook` ([codes, dim]). */
export function quantise(g: StepGraph, z: Sym, codebook: Sym, training: boolean): Quantised {
  const [codes, dim] = codebook.shape as [number, number];
  const flat = z.shape.length === 2 ? z : p.reshape(g, z, [null, dim]);
  const rows = flat.shape;
  const c = (op: string, inputs: Sym[], shape: Sym['shape'], attributes: Parameters<StepGraph['constant']>[3] = []) => g.constant(op, inputs, shape, attributes);
  const keep = [attr.int('keepdims', 1)];
  const zz = c('ReduceSum', [c('Mul', [flat, flat], rows), g.int64s([1])], [rows[0]!, 1], keep);
  const cc = c('Reshape', [c('ReduceSum', [c('Mul', [codebook, codebook], [codes, dim]), g.int64s([1])], [codes, 1], keep), g.int64s([1, -1])], [1, codes]);
  const zc = c('Gemm', [flat, codebook], [rows[0]!, codes], [attr.int('transB', 1)]);
  const distances = c('Add', [c('Sub', [zz, c('Mul', [zc, g.scalar(2)], [rows[0]!, codes])], [rows[0]!, codes]), cc], [rows[0]!, codes]);
  const index = c('ArgMin', [distances], [rows[0]!], [attr.int('axis', 1), attr.int('keepdims', 0)]);
  const onehot = c('OneHot', [index, g.int64s([codes]), g.floats('vq_onehot_values', [2], Float32Array.of(0, 1))], [rows[0]!, codes], [attr.int('axis', -1)]);
  const lookedUp = p.gemm(g, onehot, codebook, false, false);
  const quantized = z.shape.length === 2 ? lookedUp : p.reshape(g, lookedUp, z.shape);
  const codeShape = z.shape.slice(0, -1);
  const asFloats = c('Cast', [index], [rows[0]!], [attr.int('to', 1)]);
  const codeValues = z.shape.length === 2 ? asFloats : c('Reshape', [asFloats, g.int64s(codeShape.map((d) => d ?? -1))], codeShape);
  if (!training) return { value: quantized, quantized, codes: codeValues };
  // straight-through: the value of q, the gradient of z (q − z a constant of the tape)
  const value = p.add(g, z, c('Sub', [quantized, z], z.shape));
  return { value, quantized, codes: codeValues };
}

/**
 * vq_loss of the encoder's output `encoded` and its `quantized` vectors: ‖sg(z_e) − z_q‖² (moves
 * the codebook) + β‖z_e − sg(z_q)‖² (commits the encoder), each reduced by `reduce`.
 */
export function vqLoss(g: StepGraph, encoded: Sym, quantized: Sym, commitment: number, reduce: (elementwise: Sym) => Sym): Sym {
  const codebookTerm = reduce(p.square(g, p.sub(g, p.stopGradient(g, encoded), quantized)));
  const commitTerm = reduce(p.square(g, p.sub(g, encoded, p.stopGradient(g, quantized))));
  return p.add(g, codebookTerm, p.mul(g, commitTerm, g.scalar(commitment)));
}
