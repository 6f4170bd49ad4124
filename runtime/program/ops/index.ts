// The lowering table: one function per IR op, keyed by ir/ops.ts's op names (a missing one does not
// type-check). The program loop looks ops up here.
import type { LoweringTable } from '../context.js';
import { activation } from './activation.js';
import { conv2d, deconv2d } from './conv.js';
import { concat, oneHot } from './condition.js';
import { tableOutput } from './table.js';
import { clip, corruptDropout, corruptGaussian, corruptMask, corruptSaltPepper } from './corrupt.js';
import { dense } from './dense.js';
import { binarize, gaussianSample, gumbelOnehot, vectorQuantize } from './latent.js';
import { batchnorm, dropout, layernorm } from './normalize.js';
import { avgpool, maxpool, unpool, upsample } from './pool.js';
import { flatten, reshape } from './shape.js';
import { conv1d, deconv1d } from './conv1d.js';
import { gru, lstm } from './recurrent.js';
import { avgpool1d, densePerStep, maxpool1d, repeatVector, unpool1d, upsample1d } from './sequence.js';

export const ops: LoweringTable = {
  dense,
  conv2d,
  deconv2d,
  maxpool,
  avgpool,
  unpool,
  upsample,
  flatten,
  reshape,
  dropout,
  batchnorm,
  layernorm,
  activation,
  one_hot: oneHot,
  concat,
  table_output: tableOutput,
  gaussian_sample: gaussianSample,
  vector_quantize: vectorQuantize,
  binarize,
  gumbel_onehot: gumbelOnehot,
  corrupt_gaussian: corruptGaussian,
  corrupt_mask: corruptMask,
  corrupt_salt_pepper: corruptSaltPepper,
  corrupt_dropout: corruptDropout,
  clip,
  conv1d,
  deconv1d,
  maxpool1d,
  avgpool1d,
  unpool1d,
  upsample1d,
  lstm,
  gru,
  repeat_vector: repeatVector,
  dense_per_step: densePerStep,
};
