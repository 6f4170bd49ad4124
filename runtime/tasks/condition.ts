// A conditional model's decoder (`decoder on z, y`) reads a label beside the code, so generating
// from it needs that label: `ae sample --condition 7` draws codes and decodes them all as class 7.
// The conditions are the model inputs the decoder's nodes read; only a label can be given as a
// class index. A missing or impossible condition is a TaskError with a catalogue code (AE6001,
// AE6002: docs/diagnostics.md), since it is the user's request that cannot work, not a crash.
import * as tf from '@tensorflow/tfjs-core';
import type { IRInput, IRModel } from '../../ir/types.js';
import { TaskError } from './task-error.js';

/** The model inputs the decoder (the nodes after the latent) reads besides the code. */
export function decoderConditions(ir: IRModel): IRInput[] {
  const start = ir.nodes.findIndex((n) => n.id === ir.outputs.latent);
  const read = new Set(ir.nodes.slice(start + 1).filter((n) => n.stage === 'decoder' || n.stage === 'output').flatMap((n) => n.inputs));
  return ir.inputs.filter((input) => read.has(input.name));
}

/** The inputs that give every one of `count` decoded codes the class `condition`; none for a
 *  model without conditions (and then no condition may be given). */
export function conditionInputs(ir: IRModel, condition: number | undefined, count: number): Record<string, tf.Tensor> {
  const conditions = decoderConditions(ir);
  if (conditions.length === 0) {
    if (condition === undefined) return {};
    throw new TaskError(`'${ir.model}' has no condition (its decoder reads only the code), so --condition ${condition} means nothing`, 'AE6002');
  }
  const [only, ...more] = conditions;
  if (more.length > 0 || only!.kind !== 'label') {
    const names = conditions.map((c) => `'${c.name}'`).join(', ');
    throw new TaskError(`the decoder of '${ir.model}' reads ${names}; --condition gives one label's class, so this model cannot be decoded from the command line`, 'AE6002');
  }
  const classes = only!.classes!;
  if (condition === undefined) {
    throw new TaskError(`the decoder of '${ir.model}' reads the label '${only!.name}' (${classes} classes) beside the code: give the class to generate with --condition N (0..${classes - 1})`, 'AE6001');
  }
  if (!Number.isInteger(condition) || condition < 0 || condition >= classes) {
    throw new TaskError(`--condition ${condition} is not a class of label '${only!.name}' (0..${classes - 1})`, 'AE6002');
  }
  return { [only!.name]: tf.fill([count], condition, 'int32') };
}
