// The noise a training step feeds its graph: the stage plan's draws (ir/noise.ts), one seed from the
// epoch's PRNG per draw in the plan's order, into the same tfjs random op the tfjs program runs,
// then each vq node's two codebook-upkeep seeds in node order, as the tfjs lowering draws them
// during its pass. So a step on ONNX Runtime sees exactly the corruption, dropout and
// reparameterisation draws the tfjs engines see, which is what lets the conformance tests and
// bench/lockstep.ts compare the two step by step.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../program/rng.js';
import type { FedNoise } from '../../../onnx/stage-graph.js';


export interface StepNoise {
  /** The arrays for the noise inputs, by input name. */
  feeds: Map<string, Float32Array>;
  /** A vq node's codebook seeds (seeding, restarts), by node id, drawn where the tfjs lowering draws them. */
  codebookSeeds: Map<string, [number, number]>;
}

/** One step's noise: the plan's draws in its order, then the vq nodes' upkeep seeds (`upkeep`, in
 *  node order). */
export function drawNoise(noise: readonly FedNoise[], upkeep: readonly string[], batch: number, rng: Rng): StepNoise {
  const feeds = new Map<string, Float32Array>();
  const codebookSeeds = new Map<string, [number, number]>();
  for (const input of noise) {
    const shape = [batch, ...input.shape.slice(1).map((d) => d ?? 1)];
    const seed = rng.nextSeed();
    const arrays = tf.tidy(() => draw(input, shape, seed).map((t) => Float32Array.from(t.dataSync())));
    input.inputs.forEach((name, i) => feeds.set(name, arrays[i]!));
  }
  for (const node of upkeep) codebookSeeds.set(node, [rng.nextSeed(), rng.nextSeed()]);
  return { feeds, codebookSeeds };
}

function draw({ distribution: noise }: FedNoise, shape: number[], seed: number): tf.Tensor[] {
  switch (noise.kind) {
    case 'normal':
      return [tf.randomNormal(shape, 0, noise.std, 'float32', seed)];
    case 'uniform':
      return [tf.randomUniform(shape, noise.low, 1, 'float32', seed)];
    case 'mask':
      return [tf.cast(tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', seed), noise.rate), 'float32')];
    case 'dropout':
      // tf.dropout's own multiplier: floor(u + keep) / keep
      return [tf.dropout(tf.ones(shape), noise.rate, undefined, seed)];
    case 'salt_pepper': {
      const u = tf.randomUniform(shape, 0, 1, 'float32', seed);
      const low = tf.cast(tf.less(u, noise.rate / 2), 'float32');
      const high = tf.cast(tf.logicalAnd(tf.greaterEqual(u, noise.rate / 2), tf.less(u, noise.rate)), 'float32');
      return [tf.sub(1, tf.add(low, high)), low, high];
    }
  }
}
