// Shape changes: flatten keeps the batch, reshape takes the IR's target (without the batch).
import * as tf from '@tensorflow/tfjs-core';
import type { OpFn } from '../context.js';

export const flatten: OpFn<Record<string, never>> = ([x]) => tf.reshape(x!, [x!.shape[0]!, -1]);

export const reshape: OpFn<{ target: number[] }> = ([x], attrs) => tf.reshape(x!, [x!.shape[0]!, ...attrs.target]);
