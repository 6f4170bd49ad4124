// Shape changes: flatten keeps the batch, reshape takes the IR's target (without the batch).
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering } from '../context.js';

export const flatten: Lowering<'flatten'> = ([x]) => tf.reshape(x!, [x!.shape[0]!, -1]);

export const reshape: Lowering<'reshape'> = ([x], attrs) => tf.reshape(x!, [x!.shape[0]!, ...attrs.target]);
