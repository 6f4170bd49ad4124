// The memory a model needs to train, estimated before anything is allocated, and refused (AE3014)
// when it exceeds the limit: 16 GB by default (a fixed figure, so that what compiles does not depend
// on the machine compiling it; `ae train` also holds it to the memory of the machine it trains on),
// or what the caller allows (`--max-memory`; Infinity: no limit). Float32 throughout:
//   parameters × (value + gradient + optimizer slots)  +  batch × activations × 2 (forward values
//   kept for the backward pass, and their gradients)  +  synthetic data held in memory.
// An estimate, not a bound: tfjs keeps temporaries too, so a model near the limit may still not fit.
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { IRPhase, Optimizer } from '../../ir/types.js';
import { formatBytes } from './count.js';
import type { CheckedModel } from './model.js';

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
  bytes: number;
}

export function estimateMemory(model: CheckedModel, phases: readonly IRPhase[]): MemoryEstimate {
  const parameters = model.parameterCount.total;
  let activationsPerSample = 0;
  for (const node of model.nodes) activationsPerSample += node.shape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);
  const batch = Math.max(1, ...phases.map((p) => p.batch));
  const slots = Math.max(0, ...phases.map((p) => optimizerSlots(p.optimizer)));
  const input = model.inputs.find((i) => i.ir.kind === 'tensor');
  const sampleSize = input ? input.ir.shape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1) : 0;
  let dataValues = 0;
  for (const phase of phases) {
    for (const source of [phase.data, phase.validate]) {
      if (source?.kind === 'synthetic') dataValues = Math.max(dataValues, source.samples * sampleSize);
    }
  }
  const bytes = FLOAT_BYTES * (parameters * (2 + slots) + batch * activationsPerSample * 2 + dataValues);
  return { parameters, activationsPerSample, batch, slots, dataValues, bytes };
}

/** AE3014 at the model's name when the estimate exceeds `limit` bytes. */
export function checkMemory(model: CheckedModel, phases: readonly IRPhase[], limit: number): Diagnostic[] {
  const estimate = estimateMemory(model, phases);
  if (estimate.bytes <= limit) return [];
  const count = (n: number) => n.toLocaleString('en-US');
  return [
    diagnostic('AE3014', `\`${model.name}\` needs about ${formatBytes(estimate.bytes)} to train, more than the ${formatBytes(limit)} available`, model.decl.name.range, {
      notes: [
        `${count(estimate.parameters)} parameters × ${2 + estimate.slots} copies (values, gradients, ${estimate.slots} optimizer slot${estimate.slots === 1 ? '' : 's'}): ${formatBytes(estimate.parameters * (2 + estimate.slots) * FLOAT_BYTES)}`,
        `${count(estimate.activationsPerSample)} activations per sample × batch ${estimate.batch} × 2 (values and gradients): ${formatBytes(estimate.batch * estimate.activationsPerSample * 2 * FLOAT_BYTES)}`,
        ...(estimate.dataValues > 0 ? [`synthetic data: ${count(estimate.dataValues)} values: ${formatBytes(estimate.dataValues * FLOAT_BYTES)}`] : []),
        'make the model or the batch smaller, or allow more memory (`--max-memory`)',
      ],
    }),
  ];
}
