// The memory a model needs to train, estimated before anything is allocated, and refused (AE3014)
// when it exceeds the limit: 16 GB by default (a fixed figure, so that what compiles does not depend
// on the machine compiling it; `ae train` also holds it to the memory of the machine it trains on),
// or what the caller allows (`--max-memory`; Infinity: no limit). Float32 throughout:
//   parameters × (value + gradient + optimizer slots)  +  batch × activations × 2 (forward values
//   kept for the backward pass, and their gradients)  +  synthetic data held in memory  +  the
//   contractive penalty's square matrices (runtime/objective/terms/contractive.ts: the first
//   layer's Gram h₁², each later layer's batch × h², and an identity of the code's width, all kept
//   with their gradients: a 100,000-wide code once asked tfjs for an array of 10¹⁰ floats).
// An estimate, not a bound: tfjs keeps temporaries too, so a model near the limit may still not fit.
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { contractivePath } from '../../ir/contractive-path.js';
import { termTraits } from '../../ir/op-rules.js';
import type { IRNode, IRPhase, IRTerm, Optimizer } from '../../ir/types.js';
import { formatBytes } from './count.js';
import { valuesPerSample } from '../shapes/dims.js';
import type { CheckedModel } from './model.js';
import { thousands } from '../../diagnostics/numbers.js';

const FLOAT_BYTES = 4;

/** The default limit, in bytes. */
export const DEFAULT_MEMORY_LIMIT = 16e9;

function optimizerSlots(optimizer: Optimizer): number {
  switch (optimizer.kind) {
    case 'adam':
      return 2;
    case 'rmsprop':
      return optimizer.momentum > 0 ? 2 : 1;
    case 'sgd':
      return optimizer.momentum > 0 ? 1 : 0;
  }
}

export interface MemoryEstimate {
  parameters: number;
  activationsPerSample: number;
  batch: number;
  slots: number;
  dataValues: number;
  /** The contractive penalty's matrices, values and gradients (0 without the term). */
  contractiveValues: number;
  bytes: number;
}

export function estimateMemory(model: CheckedModel, phases: readonly IRPhase[], objective: readonly IRTerm[] = []): MemoryEstimate {
  const parameters = model.parameterCount.total;
  let activationsPerSample = 0;
  for (const node of model.nodes) activationsPerSample += valuesPerSample(node.shape);
  let batch = 1;
  let slots = 0;
  for (const phase of phases) {
    batch = Math.max(batch, phase.batch);
    slots = Math.max(slots, optimizerSlots(phase.optimizer));
  }
  const input = model.inputs.find((i) => i.ir.kind === 'tensor');
  const sampleSize = input ? valuesPerSample(input.ir.shape) : 0;
  let dataValues = 0;
  for (const phase of phases) {
    for (const source of [phase.data, phase.validate]) {
      if (source?.kind === 'synthetic') dataValues = Math.max(dataValues, source.samples * sampleSize);
    }
  }
  // Loops, not a spread of filtered and mapped terms: this runs for every model of a file.
  let contractiveValues = 0;
  for (const term of objective) contractiveValues = Math.max(contractiveValues, contractiveTermValues(model.nodes, term, batch));
  for (const phase of phases) for (const term of phase.objective) contractiveValues = Math.max(contractiveValues, contractiveTermValues(model.nodes, term, batch));
  const bytes = FLOAT_BYTES * (parameters * (2 + slots) + batch * activationsPerSample * 2 + dataValues + contractiveValues);
  return { parameters, activationsPerSample, batch, slots, dataValues, contractiveValues, bytes };
}

/** A contractive term's matrices (contractiveMatrices); 0 for any other term. */
function contractiveTermValues(nodes: readonly IRNode[], term: IRTerm, batch: number): number {
  return termTraits(term.fn).readsContractivePath ? contractiveMatrices(nodes, term, batch) : 0;
}

/** The values of a contractive term's square matrices along its path, with their gradients. */
function contractiveMatrices(nodes: readonly IRNode[], term: IRTerm, batch: number): number {
  const path = contractivePath(new Map(nodes.map((n) => [n.id, n])), term.args[0]!, term.args[1]!);
  if (!path.ok || path.layers.length === 0) return 0;
  const widths = path.layers.map((layer) => layer.dense.attrs.units);
  const grams = widths.reduce((sum, h, i) => sum + (i === 0 ? 1 : batch) * h * h, 0);
  const code = widths[widths.length - 1]!;
  return 2 * (grams + code * code);
}

/** AE3014 at the model's name when the estimate exceeds `limit` bytes. */
export function checkMemory(model: CheckedModel, phases: readonly IRPhase[], limit: number, objective: readonly IRTerm[] = []): Diagnostic[] {
  const estimate = estimateMemory(model, phases, objective);
  if (estimate.bytes <= limit) return [];
  return [
    diagnostic('AE3014', `\`${model.name}\` needs about ${formatBytes(estimate.bytes)} to train, more than the ${formatBytes(limit)} available`, model.decl.name.range, {
      notes: [
        `${thousands(estimate.parameters)} parameters × ${2 + estimate.slots} copies (values, gradients, ${estimate.slots} optimizer slot${estimate.slots === 1 ? '' : 's'}): ${formatBytes(estimate.parameters * (2 + estimate.slots) * FLOAT_BYTES)}`,
        `${thousands(estimate.activationsPerSample)} activations per sample × batch ${estimate.batch} × 2 (values and gradients): ${formatBytes(estimate.batch * estimate.activationsPerSample * 2 * FLOAT_BYTES)}`,
        ...(estimate.dataValues > 0 ? [`synthetic data: ${thousands(estimate.dataValues)} values: ${formatBytes(estimate.dataValues * FLOAT_BYTES)}`] : []),
        ...(estimate.contractiveValues > 0 ? [`the contractive penalty's square matrices (code width squared, per layer of its path): ${formatBytes(estimate.contractiveValues * FLOAT_BYTES)}`] : []),
        'make the model or the batch smaller, or allow more memory (`--max-memory`)',
      ],
    }),
  ];
}
