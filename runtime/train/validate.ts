// Validation loss: the stage's objective in inference mode (no corruption, mean latents), averaged
// over the validation set with each batch weighted by its size.
import * as tf from '@tensorflow/tfjs-core';
import type { IRTerm } from '../../ir/types.js';
import type { Dataset } from '../data/index.js';
import { computeObjective, termNames } from '../objective/objective.js';
import type { Program } from '../program/program.js';
import { batchInputs, batchStarts, type ModelInputs } from './batches.js';
import type { GreedyLayer } from './stages.js';

export interface ValidationOptions {
  objective: readonly IRTerm[];
  batch: number;
  /** Greedy stages: the code prefix and the layer's nodes. */
  greedy?: Omit<GreedyLayer, 'layer'>;
}

export function averageLoss(program: Program, dataset: Dataset, inputs: ModelInputs, options: ValidationOptions): { loss: number; terms: Record<string, number> } {
  const delegated = program.evaluateDelegated(dataset, options.objective, options.batch, options.greedy);
  if (delegated) {
    const names = termNames(options.objective, program.ir);
    return { loss: delegated.loss / dataset.count, terms: Object.fromEntries(names.map((name, i) => [name, delegated.terms[i]! / dataset.count])) };
  }
  let total = 0;
  const termTotals = new Map<string, number>();
  for (const start of batchStarts(dataset.count, options.batch)) {
    const size = Math.min(options.batch, dataset.count - start);
    const [loss, names, values] = tf.tidy(() => {
      const batch = batchInputs(dataset, inputs, null, start, size);
      const outputs = forwardStage(program, batch, false, options.greedy);
      const objective = computeObjective(options.objective, program.ir, program.parameters, outputs);
      // The total and every term in one tensor: one read from the backend per batch.
      const [total, ...terms] = tf.stack([objective.total, ...objective.terms.map((t) => t.value)]).dataSync();
      return [total!, objective.terms.map((t) => t.name), terms] as const;
    });
    total += loss * size;
    names.forEach((name, i) => termTotals.set(name, (termTotals.get(name) ?? 0) + values[i]! * size));
  }
  return {
    loss: total / dataset.count,
    terms: Object.fromEntries([...termTotals].map(([name, sum]) => [name, sum / dataset.count])),
  };
}

/** The forward pass of a stage: the whole model, or a greedy layer fed by its frozen prefix. */
export function forwardStage(
  program: Program,
  inputs: Record<string, tf.Tensor>,
  training: boolean,
  greedy: ValidationOptions['greedy'],
): Map<string, tf.Tensor> {
  if (!greedy) return program.forward(inputs, { training });
  const given = codeFor(program, inputs, greedy);
  return program.forward(inputs, { training, nodes: greedy.nodes, given, rename: greedy.rename });
}

/** The input code of a greedy layer, computed by the layers below it in inference mode. */
export function codeFor(
  program: Program,
  inputs: Record<string, tf.Tensor>,
  greedy: NonNullable<ValidationOptions['greedy']>,
): Map<string, tf.Tensor> {
  if (greedy.codeId === null) return new Map();
  const prefix = program.forward(inputs, { training: false, nodes: greedy.prefix });
  return new Map([[greedy.codeId, prefix.get(greedy.codeId)!]]);
}
