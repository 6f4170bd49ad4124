// Every golden IR in specs/valid (written by the compiler) builds, and each of its phases takes a
// training step with a finite loss, on random data of the input's shape, without leaking tensors.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateIR } from '../../ir/schema-validation.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { buildProgram } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { planStages } from '../../runtime/train/stages.js';
import { trainStep } from '../../runtime/train/step.js';
import { codeFor } from '../../runtime/train/validate.js';
import { tidyValue } from '../../runtime/program/gradient.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const dir = join(import.meta.dirname, '../../specs/valid');
// A golden holds one model's IR, or an array of them for a file with several models.
const models = readdirSync(dir)
  .filter((f) => f.endsWith('.ir.json'))
  .flatMap((file) => ([] as unknown[]).concat(JSON.parse(readFileSync(join(dir, file), 'utf8'))).map((json, i) => ({ name: `${file}#${i}`, json })));

describe('golden IRs train', () => {
  it('there are golden IRs', () => expect(models.length).toBeGreaterThan(0));
  for (const { name, json } of models) {
    it(name, () => {
      const valid = validateIR(json);
      if (!valid.ok) throw new Error(valid.error);
      const ir = valid.ir;
      const before = tf.memory().numTensors;
      const program = buildProgram(ir, { seed: 1 });
      const rng = new Rng(2);
      const batch = 4;
      const inputs = () => {
        const out: Record<string, tf.Tensor> = {};
        for (const input of ir.inputs) {
          const shape = [batch, ...(input.shape.slice(1) as number[])];
          out[input.name] =
            input.kind === 'label'
              ? tf.tensor1d(Array.from({ length: batch }, (_, i) => i % (input.classes ?? 2)), 'int32')
              : tf.randomUniform(shape, input.range?.[0] ?? 0, input.range?.[1] ?? 1, 'float32', 3);
        }
        return out;
      };
      for (const stage of planStages(ir)) {
        const optimizer = createOptimizer(stage.phase.optimizer, new Set());
        const result = tidyValue(() => {
          const x = inputs();
          const given = stage.greedy ? codeFor(program, x, stage.greedy) : undefined;
          return trainStep({ program, objective: stage.objective, optimizer, trainable: stage.trainable, inputs: x, rng, ...(stage.greedy ? { nodes: stage.greedy.nodes, rename: stage.greedy.rename } : {}), ...(given ? { given } : {}) });
        });
        expect(result.nonFinite, `${stage.name}: ${JSON.stringify(result)}`).toBeUndefined();
        expect(Number.isFinite(result.loss)).toBe(true);
        optimizer.dispose();
      }
      program.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
