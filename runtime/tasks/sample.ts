// Generation: codes drawn from the latent's prior, decoded. The priors are the ones the models were
// trained towards: N(0, I) for a gaussian code (scaled by a temperature, as pythae and Glow do), the
// codebook entries at the frequency the encoder used them for a vq code (a VQ-VAE without a learned
// prior), fair coin bits for a binary code and a uniform category for a one-hot code.
import * as tf from '@tensorflow/tfjs-core';
import { asLatent } from '../../ir/op-rules.js';
import { outputOf } from '../../ir/outputs.js';
import type { Dataset } from '../data/index.js';
import { conditionInputs } from './condition.js';
import type { Program } from '../program/program.js';
import { Rng } from '../program/rng.js';
import { decode } from './decode.js';
import { collectOutput, type TensorValues } from './infer.js';
import { latentKind, latentName, latentNode, latentShape } from './latent.js';
import { TaskError } from './task-error.js';

export interface SampleOptions {
  count: number;
  seed?: number;
  /** Gaussian codes only: the prior's standard deviation (1 draws from N(0, I)). */
  temperature?: number;
  /** VQ codes only: how often each codebook entry was used on the training data (see codeUsage). */
  codeUsage?: ArrayLike<number>;
  batch?: number;
  /** A conditional model's class to generate (its decoder's label). */
  condition?: number;
}

export interface Samples {
  codes: TensorValues;
  samples: TensorValues;
}

/** Draws `count` codes from the prior and decodes them. */
export function sample(program: Program, options: SampleOptions): Samples {
  // A missing condition is reported before any drawing.
  tf.dispose(Object.values(conditionInputs(program.ir, options.condition, 0)));
  const codes = drawPrior(program, options);
  const decoding = { ...(options.batch !== undefined ? { batch: options.batch } : {}), ...(options.condition !== undefined ? { condition: options.condition } : {}) };
  return { codes, samples: decode(program, codes, decoding) };
}

/** `count` codes from the latent's prior, [count, ...latent shape]. */
export function drawPrior(program: Program, options: SampleOptions): TensorValues {
  const { ir } = program;
  const kind = latentKind(ir);
  if (kind === 'deterministic') {
    throw new TaskError(
      `latent '${latentName(ir)}' of '${ir.model}' is deterministic (${latentNode(ir).op}): it has no prior to sample from; ` +
        'decode between the codes of real inputs with interpolate instead',
    );
  }
  if (!Number.isInteger(options.count) || options.count < 1) throw new TaskError(`the number of samples must be a positive integer, got ${options.count}`);
  if (options.temperature !== undefined && kind !== 'gaussian') {
    throw new TaskError(`a temperature scales a gaussian prior; latent '${latentName(ir)}' is ${kind}`);
  }
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new TaskError(`the temperature must be a positive number, got ${temperature}`);
  const shape = latentShape(ir);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(options.count * size);
  const rng = new Rng(options.seed ?? 0);
  if (kind === 'gaussian') {
    for (let i = 0; i < values.length; i++) values[i] = temperature * rng.normal();
  } else if (kind === 'binary') {
    for (let i = 0; i < values.length; i++) values[i] = rng.next() < 0.5 ? 1 : 0;
  } else if (kind === 'one-hot') {
    const classes = shape[shape.length - 1]!;
    for (let row = 0; row < values.length / classes; row++) values[row * classes + Math.floor(rng.next() * classes)] = 1;
  } else {
    fillFromCodebook(program, values, rng, options.codeUsage);
  }
  return { values, shape: [options.count, ...shape] };
}

function fillFromCodebook(program: Program, values: Float32Array, rng: Rng, usage: ArrayLike<number> | undefined): void {
  const { ir } = program;
  const node = asLatent(latentNode(ir), 'vq');
  if (!node) return;
  const { codes, dim } = node.attrs;
  if (usage === undefined) throw new TaskError(`sampling vq latent '${latentName(ir)}' needs its codebook usage on the training data (codeUsage)`);
  if (usage.length !== codes) throw new TaskError(`the code usage counts ${usage.length} codes, but latent '${latentName(ir)}' has ${codes}`);
  const cumulative = new Float64Array(codes);
  let total = 0;
  for (let c = 0; c < codes; c++) {
    const count = usage[c]!;
    if (!(count >= 0)) throw new TaskError(`the code usage of code ${c} is ${count}; counts are non-negative`);
    total += count;
    cumulative[c] = total;
  }
  if (total === 0) throw new TaskError('the code usage counts no code at all');
  const codebook = program.parameters.view(node.params!.codebook!).value.dataSync() as Float32Array;
  for (let at = 0; at < values.length; at += dim) {
    const target = rng.next() * total;
    let code = 0;
    while (code < codes - 1 && cumulative[code]! <= target) code++;
    values.set(codebook.subarray(code * dim, (code + 1) * dim), at);
  }
}

/** How many times each codebook entry is the nearest code over `dataset` (vq latents). */
export function codeUsage(program: Program, dataset: Dataset): Int32Array {
  const { ir } = program;
  const node = asLatent(latentNode(ir), 'vq');
  if (!node) throw new TaskError(`latent '${latentName(ir)}' of '${ir.model}' is ${latentKind(ir)}, not vq: it has no codebook`);
  const indices = collectOutput(program, dataset, outputOf(node, 'codes'));
  const counts = new Int32Array(node.attrs.codes);
  for (const code of indices.values) counts[code]!++;
  return counts;
}
