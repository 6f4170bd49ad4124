// `ae encode --codes`: the discrete code of each sample, the token grid people feed a prior, rather
// than the vectors the decoder reads: a vq latent's codebook indices (one per position of its grid),
// a onehot latent's cluster (the argmax of its units). Other latents have no discrete code.
import * as tf from '@tensorflow/tfjs-core';
import { asLatent } from '../../ir/op-rules.js';
import { outputOf } from '../../ir/outputs.js';
import type { Dataset } from '../data/index.js';
import type { Program } from '../program/program.js';
import { collectOutput, type TensorValues } from './infer.js';
import { latentKind, latentName, latentNode } from './latent.js';
import { TaskError } from './task-error.js';

export function encodeCodes(program: Program, dataset: Dataset): TensorValues {
  const { ir } = program;
  const node = latentNode(ir);
  const vq = asLatent(node, 'vq');
  if (vq) return collectOutput(program, dataset, outputOf(vq, 'codes'));
  if (latentKind(ir) === 'one-hot') {
    const onehot = collectOutput(program, dataset, node.id);
    const classes = onehot.shape.at(-1)!;
    const clusters = tf.tidy(() => tf.argMax(tf.tensor(onehot.values, [onehot.values.length / classes, classes]), -1).dataSync());
    return { values: Float32Array.from(clusters), shape: onehot.shape.slice(0, -1) };
  }
  throw new TaskError(`latent '${latentName(ir)}' of '${ir.model}' is ${latentKind(ir)}: --codes is for vq and onehot latents, whose codes are indices`);
}
