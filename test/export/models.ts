// The models the export tests run: every model of the IR goldens in specs/valid/, with its trained
// parameters replaced by seeded random values (biases and batch-norm statistics are not zero or one,
// so every weight shows in the outputs), and the runtime's own inference outputs to compare with
// (a conditional model's labels fed beside its data, a table's rows encoded as aelang encodes them).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { analyzeFile } from '../../compiler/analyze.js';
import type { IRModel } from '../../ir/types.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import type { Weights } from '../../export/weights.js';

export const specsDir = join(import.meta.dirname, '../../specs/valid');

export function specModels(): { file: string; ir: IRModel }[] {
  return readdirSync(specsDir)
    .filter((f) => f.endsWith('.ir.json'))
    .sort()
    .flatMap((file) => {
      const json = JSON.parse(readFileSync(join(specsDir, file), 'utf8')) as IRModel | IRModel[];
      return (Array.isArray(json) ? json : [json]).map((ir) => ({ file, ir }));
    });
}

/** The models of examples/ that are conditional or tables (the spec corpus has one of each; the
 *  examples may differ in layers), compiled from their .ae files. */
export function exampleModels(): { file: string; ir: IRModel }[] {
  const root = join(import.meta.dirname, '../../examples');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ae'))
    .sort()
    .flatMap((file) => analyzeFile(join(root, file), { cwd: join(root, '..') }).irs.map((ir) => ({ file: `examples/${file}`, ir })))
    .filter(({ ir }) => conditional(ir) || table(ir));
}

/** A conditional model: one that reads a label input beside its data (`encoder on x, y`). */
export const conditional = (ir: IRModel): boolean => ir.inputs.some((i) => i.kind === 'label') && ir.nodes.some((n) => n.op === 'one_hot');

/** A table model: its input is a row of named columns, fed encoded (`input x: table(...)`). */
export const table = (ir: IRModel): boolean => ir.inputs.some((i) => i.kind === 'table');

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

export interface Feed {
  name: string;
  shape: number[];
  values: Float32Array;
  /** A label input: class indices (whole numbers in `values`). */
  label?: boolean;
}

/** `count` samples for the model's data input: uniform in its declared range (default [0, 1]), or
 *  for a table rows as aelang encodes them (a standardised value per numeric column, one-hot levels). */
export function sampleInput(ir: IRModel, count: number, seed = 3): Feed {
  const input = ir.inputs.find((i) => i.kind !== 'label')!;
  const shape = [count, ...(input.shape.slice(1) as number[])];
  const next = random(seed);
  if (input.kind === 'table') {
    const values = new Float32Array(shape[0]! * shape[1]!);
    let at = 0;
    for (let r = 0; r < count; r++) {
      for (const column of input.columns!) {
        if (column.levels === undefined) values[at++] = (next() - 0.5) * 4;
        else {
          values[at + Math.floor(next() * column.levels)] = 1;
          at += column.levels;
        }
      }
    }
    return { name: input.name, shape, values };
  }
  const [low, high] = input.range ?? [0, 1];
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => low + (high - low) * next());
  return { name: input.name, shape, values };
}

/** `count` class indices for each label input, every class shown where count allows. */
export function sampleLabels(ir: IRModel, count: number, seed = 5): Feed[] {
  const next = random(seed);
  return ir.inputs
    .filter((i) => i.kind === 'label' && ir.nodes.some((n) => n.inputs.includes(i.name)))
    .map((i) => ({ name: i.name, shape: [count], values: Float32Array.from({ length: count }, (_, n) => (n < i.classes! ? n : Math.floor(next() * i.classes!))), label: true }));
}

/** The runtime's inference outputs: the reconstruction and the code. */
export function runtimeOutputs(program: Program, input: Feed, labels: Feed[] = []): { reconstruction: Float32Array; code: Float32Array; codeShape: number[] } {
  return tf.tidy(() => {
    const feeds = Object.fromEntries([input, ...labels].map((f) => [f.name, f.label ? tf.tensor(Int32Array.from(f.values), f.shape, 'int32') : tf.tensor(f.values, f.shape)]));
    const outputs = program.forward(feeds, { training: false });
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
