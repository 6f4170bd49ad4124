// One training step of every phase of an IR on the cpu backend, on random data of the input's shape
// (as test/runtime/specs-smoke.test.ts does for the golden IRs): the fuzzer's last property, that a
// file which checks clean trains. Models too large for a quick step are skipped, and counted.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { IRModel } from '../../ir/types.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { tidyValue } from '../../runtime/program/gradient.js';
import { buildProgram } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { planStages } from '../../runtime/train/stages.js';
import { trainStep } from '../../runtime/train/step.js';
import { codeFor } from '../../runtime/train/validate.js';
import { unrolledLayers, unrolledRefusal } from '../../runtime/train/unrolled-memory.js';

/** Parameters or values per sample past which a model is not stepped (it would take seconds). */
const MAX_PARAMETERS = 2_000_000;
const MAX_NODE_VALUES = 1_000_000;
/** Steps past which a recurrent layer is not stepped, for time: tfjs unrolls it, a few milliseconds
 *  a step. (What cannot fit at all, such as the 100,000 steps of an lstm that ran the long fuzz run
 *  out of its 4 GB heap, typed seed 13428, the runtime refuses: `ae train` says so in one line, and
 *  such a model is not stepped here either. Both count as too large to step.) */
const MAX_RECURRENT_STEPS = 2_000;
const BATCH = 2;

export async function useCpuBackend(): Promise<void> {
  await selectBackend('cpu');
}

/** Steps every phase once; false when the model was too large to try. Throws what the runtime throws. */
export function trainOneStep(ir: IRModel): boolean {
  const parameters = ir.parameters.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  const widest = Math.max(0, ...ir.nodes.map((n) => n.shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1)));
  // What `ae train` refuses is not stepped; then what would take too long.
  if (unrolledRefusal(ir, BATCH) !== undefined) return false;
  const recurrentSteps = Math.max(0, ...unrolledLayers(ir, BATCH).map((layer) => layer.steps));
  if (parameters > MAX_PARAMETERS || widest > MAX_NODE_VALUES || recurrentSteps > MAX_RECURRENT_STEPS) return false;
  const program = buildProgram(ir, { seed: 1 });
  const rng = new Rng(2);
  const batch = BATCH;
  try {
    for (const stage of planStages(ir)) {
      const optimizer = createOptimizer(stage.phase.optimizer, new Set());
      try {
        const result = tidyValue(() => {
          const inputs: Record<string, tf.Tensor> = {};
          for (const input of ir.inputs) {
            const shape = [batch, ...(input.shape.slice(1) as number[])];
            inputs[input.name] =
              input.kind === 'label'
                ? tf.tensor1d(Array.from({ length: batch }, (_, i) => i % (input.classes ?? 2)), 'int32')
                : tf.randomUniform(shape, input.range?.[0] ?? 0, input.range?.[1] ?? 1, 'float32', 3);
          }
          const given = stage.greedy ? codeFor(program, inputs, stage.greedy) : undefined;
          return trainStep({ program, objective: stage.objective, optimizer, trainable: stage.trainable, inputs, rng, ...(stage.greedy ? { nodes: stage.greedy.nodes, rename: stage.greedy.rename } : {}), ...(given ? { given } : {}) });
        });
        if (!Number.isFinite(result.loss) && result.nonFinite === undefined) throw new Error(`${stage.name}: loss ${result.loss}`);
      } finally {
        optimizer.dispose();
      }
    }
  } finally {
    program.dispose();
  }
  return true;
}
