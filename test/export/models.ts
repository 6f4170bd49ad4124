// The models the export tests run: every model of the IR goldens in specs/valid/, with its trained
// parameters replaced by seeded random values (biases and batch-norm statistics are not zero or one,
// so every weight shows in the outputs), and the runtime's own inference outputs to compare with.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { IRModel } from '../../ir/types.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import type { Weights } from '../../export/weights.js';

export const specsDir = join(import.meta.dirname, '../../specs/valid');

/** Models the exporters refuse by design, with a clear ExportError (onnx.test.ts checks it): a
 *  conditional model reads a label beside its data input, and a table's input is a row encoded with
 *  the run's column statistics, which an exported graph does not carry. */
export function notExportable(ir: IRModel): boolean {
  return ir.inputs.some((i) => i.kind === 'table') || ir.nodes.some((n) => n.op === 'one_hot');
}

export function specModels(options: { exportable?: boolean } = { exportable: true }): { file: string; ir: IRModel }[] {
  return readdirSync(specsDir)
    .filter((f) => f.endsWith('.ir.json'))
    .sort()
    .flatMap((file) => {
      const json = JSON.parse(readFileSync(join(specsDir, file), 'utf8')) as IRModel | IRModel[];
      return (Array.isArray(json) ? json : [json]).map((ir) => ({ file, ir }));
    })
    .filter(({ ir }) => !options.exportable || !notExportable(ir));
}

/** A small deterministic PRNG (mulberry32), so failures repeat. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A program whose every stored parameter holds seeded random values, and those values. */
export function randomizedProgram(ir: IRModel, seed = 7): { program: Program; weights: Weights } {
  const program = buildProgram(ir, { seed });
  const next = random(seed);
  const weights = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const p of ir.parameters) {
    if (p.tiedTo !== undefined) continue;
    const size = p.shape.reduce((a, b) => a * b, 1);
    const fanIn = p.shape.length > 1 ? p.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
    const spread = p.role === 'kernel' || p.role === 'codebook' ? 2 / Math.sqrt(fanIn) : 0.5;
    const values = Float32Array.from({ length: size }, () => (p.role === 'moving_variance' ? 0.5 + next() : (next() - 0.5) * spread));
    program.variables.get(p.id)!.assign(tf.tensor(values, p.shape));
    weights.set(p.id, { shape: p.shape, values });
  }
  return { program, weights };
}

/** `count` samples for the model's data input, uniform in its declared range (default [0, 1]). */
export function sampleInput(ir: IRModel, count: number, seed = 3): { name: string; shape: number[]; values: Float32Array } {
  const input = ir.inputs.find((i) => i.kind !== 'label')!;
  const shape = [count, ...(input.shape.slice(1) as number[])];
  const [low, high] = input.range ?? [0, 1];
  const next = random(seed);
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => low + (high - low) * next());
  return { name: input.name, shape, values };
}

/** The runtime's inference outputs: the reconstruction and the code. */
export function runtimeOutputs(program: Program, input: { name: string; shape: number[]; values: Float32Array }): { reconstruction: Float32Array; code: Float32Array; codeShape: number[] } {
  return tf.tidy(() => {
    const outputs = program.forward({ [input.name]: tf.tensor(input.values, input.shape) }, { training: false });
    const code = outputs.get(program.ir.outputs.latent)!;
    return {
      reconstruction: outputs.get(program.ir.outputs.reconstruction)!.dataSync() as Float32Array,
      code: code.dataSync() as Float32Array,
      codeShape: code.shape,
    };
  });
}

/** The largest |a − b| / max(1, |b|) (absolute near zero, relative for large values). */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}
