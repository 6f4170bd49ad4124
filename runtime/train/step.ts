// One training step: forward + objective + gradients in one variableGrads call inside a tidy, a
// finiteness check of every term, then the optimiser update. Nothing leaks: the only tensors that
// survive are the variables' new values (tests check tf.memory().numTensors across steps).
import * as tf from '@tensorflow/tfjs-core';
import { stageCodebooks } from '../../ir/codebook-upkeep.js';
import type { IRNoise } from '../../ir/noise.js';
import type { IRCodebookUpkeep, IRNode, IRTerm } from '../../ir/types.js';
import { computeObjective } from '../objective/objective.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Program } from '../program/program.js';
import type { Rng } from '../program/rng.js';

export interface StepInput {
  program: Program;
  objective: readonly IRTerm[];
  optimizer: Optimizer;
  /** Parameter ids (storage) this step updates. */
  trainable: readonly string[];
  inputs: Record<string, tf.Tensor>;
  rng: Rng;
  /** The stage's draws as its plan writes them (absent: derived from the graph). */
  noise?: readonly IRNoise[];
  /** The stage's codebook upkeep as its plan writes it (absent: derived from the graph). */
  codebooks?: readonly IRCodebookUpkeep[];
  nodes?: readonly IRNode[];
  given?: ReadonlyMap<string, tf.Tensor>;
  rename?: ReadonlyMap<string, string>;
}

export interface StepResult {
  loss: number;
  terms: Record<string, number>;
  /** The first non-finite term (or 'total'), when the step was refused. */
  nonFinite?: { term: string; value: number };
}

export function trainStep(input: StepInput): StepResult {
  const { program, optimizer } = input;
  const variables = input.trainable.map((id) => program.variables.get(id)!);
  const idByName = new Map(variables.map((v, i) => [v.name, input.trainable[i]!]));
  let termNames: string[] = [];
  let kept: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const outputs = program.forward(input.inputs, {
      training: true,
      codebooks: input.codebooks ?? stageCodebooks(input.nodes ?? program.ir.nodes),
      rng: input.rng,
      ...(input.noise ? { noise: input.noise } : {}),
      ...(input.nodes ? { nodes: input.nodes } : {}),
      ...(input.given ? { given: input.given } : {}),
      ...(input.rename ? { rename: input.rename } : {}),
    });
    const objective = computeObjective(input.objective, program.ir, program.parameters, outputs);
    termNames = objective.terms.map((t) => t.name);
    // The total and every term in one tensor: one read from the backend per step.
    kept = tf.keep(tf.stack([objective.total, ...objective.terms.map((t) => t.value)]));
    return objective.total;
  }, variables);
  try {
    const [loss, ...termValues] = Array.from(kept!.dataSync()) as [number, ...number[]];
    const terms = Object.fromEntries(termNames.map((name, i) => [name, termValues[i]!]));
    const badTerm = termNames.findIndex((_, i) => !Number.isFinite(termValues[i]));
    if (badTerm >= 0 || !Number.isFinite(loss)) {
      const term = badTerm >= 0 ? termNames[badTerm]! : 'total';
      return { loss, terms, nonFinite: { term, value: badTerm >= 0 ? termValues[badTerm]! : loss } };
    }
    const named: Record<string, tf.Tensor> = {};
    for (const [name, g] of Object.entries(grads)) if (g) named[idByName.get(name)!] = g;
    optimizer.apply(named, program.variables);
    return { loss, terms };
  } finally {
    value.dispose();
    kept?.dispose();
    for (const g of Object.values(grads)) g?.dispose();
  }
}
