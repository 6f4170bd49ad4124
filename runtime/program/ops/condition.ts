// What a conditional encoder or decoder reads (`encoder on x, y`): labels as one-hot vectors, and the
// concatenation of its tensors along the last axis. Neither has parameters; the concatenation's
// gradient flows to each part, the one-hot of a label (an input) needs none.
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering } from '../context.js';

export const oneHot: Lowering<'one_hot'> = ([labels], attrs) => tf.cast(tf.oneHot(tf.cast(labels!, 'int32'), attrs.depth), 'float32');

export const concat: Lowering<'concat'> = (inputs) => tf.concat(inputs, -1);
