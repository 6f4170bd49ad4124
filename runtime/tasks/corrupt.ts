// Denoising as a use: corrupt clean data the way the model was trained to undo (its own corruption
// chain, run in training mode), or with a corruption named on the command line, then measure how
// far the reconstruction of the corrupted input lies from the clean one.
import type { IRModel, IRNode } from '../../ir/types.js';
import { sampleRange, type Dataset, type InMemoryDataset } from '../data/index.js';
import { buildProgram, type Program } from '../program/program.js';
import { Rng } from '../program/rng.js';
import { collectOutput, reconstruct } from './infer.js';
import { TaskError } from './task-error.js';
import { modelInputs } from '../train/batches.js';

export const CORRUPTION_FORMS = 'gaussian:STD, mask:RATE, salt_pepper:RATE';

/** A corruption from the command line (`gaussian:0.5`) as IR nodes, clipped into the input's range. */
export function parseCorruption(text: string, ir: IRModel): IRNode[] {
  const match = /^(gaussian|mask|salt_pepper):([0-9.eE+-]+)$/.exec(text.trim());
  const amount = match ? Number(match[2]) : NaN;
  if (!match || !Number.isFinite(amount) || amount < 0 || (match[1] !== 'gaussian' && amount > 1)) {
    throw new TaskError(`'${text}' is not a corruption; expected one of ${CORRUPTION_FORMS} (rates in [0, 1])`);
  }
  const input = modelInputs(ir).data;
  const [low, high] = input.range ?? [0, 1];
  const base = { inputs: [input.name], shape: input.shape, stage: 'corrupt' as const };
  const noise: IRNode =
    match[1] === 'gaussian'
      ? { ...base, id: 'corrupt.gaussian', op: 'corrupt_gaussian', attrs: { std: amount } }
      : match[1] === 'mask'
        ? { ...base, id: 'corrupt.mask', op: 'corrupt_mask', attrs: { rate: amount } }
        : { ...base, id: 'corrupt.salt_pepper', op: 'corrupt_salt_pepper', attrs: { rate: amount, low, high } };
  if (input.range === undefined) return [noise];
  return [noise, { ...base, inputs: [noise.id], id: 'corrupt.clip', op: 'clip', attrs: { low, high } }];
}

/** The model's own corruption chain (`corrupt x with ...`), in order. */
export function modelCorruption(ir: IRModel): IRNode[] {
  return ir.nodes.filter((n) => n.stage === 'corrupt');
}

/** A corrupted copy of `dataset`: `nodes` run in training mode (noise on), seeded. */
export function corruptDataset(ir: IRModel, dataset: Dataset, nodes: readonly IRNode[], seed = 0): InMemoryDataset {
  if (nodes.length === 0) {
    throw new TaskError(`model '${ir.model}' corrupts nothing in training; name a corruption (${CORRUPTION_FORMS})`);
  }
  // A program of the corruption nodes alone: the same op functions as training, no parameters.
  const corruption = buildProgram({ ...ir, parameters: [], nodes: [...nodes] }, { seed });
  try {
    const last = nodes[nodes.length - 1]!.id;
    const out = collectOutput(corruption, dataset, last, { training: true, rng: new Rng(seed) }).values;
    const { name, count, sampleShape, labels } = dataset;
    return { name: `${name} (corrupted)`, count, sampleShape, ...(labels ? { labels } : {}), x: out };
  } finally {
    corruption.dispose();
  }
}

export interface DenoisingError {
  samples: number;
  /** Mean squared error per element of the corrupted input against the clean one. */
  corrupted: number;
  /** ...of the reconstruction of the corrupted input against the clean input. */
  denoised: number;
  /** ...of the reconstruction of the clean input (the model's plain reconstruction error). */
  clean: number;
}

export function denoisingError(program: Program, clean: Dataset, corrupted: Dataset): DenoisingError {
  const fromCorrupted = reconstruct(program, corrupted);
  const fromClean = reconstruct(program, clean);
  const cleanValues = sampleRange(clean, 0, clean.count);
  return {
    samples: clean.count,
    corrupted: meanSquared(sampleRange(corrupted, 0, corrupted.count), cleanValues),
    denoised: meanSquared(fromCorrupted.values, cleanValues),
    clean: meanSquared(fromClean.values, cleanValues),
  };
}

function meanSquared(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum / a.length;
}
