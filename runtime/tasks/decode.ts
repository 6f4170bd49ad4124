// The decoder on its own: codes in, reconstructions out. Sampling and interpolation make codes
// that no input produced, so they run only the nodes after the latent, with the code given.
import * as tf from '@tensorflow/tfjs-core';
import type { IRModel, IRNode } from '../../ir/types.js';
import { tidyValue } from '../program/gradient.js';
import type { Program } from '../program/program.js';
import type { TensorValues } from './infer.js';
import { latentName } from './latent.js';
import { TaskError } from './task-error.js';
import { conditionInputs, decoderConditions } from './condition.js';

/** The nodes that turn the code into the reconstruction, in IR order; an error if they read anything
 *  else (an unpool that needs the encoder's pooling switches cannot decode a code on its own). */
export function decoderNodes(ir: IRModel): IRNode[] {
  // A conditional decoder also reads its conditions (model inputs), which decode() supplies.
  const known = new Set([ir.outputs.latent, ...decoderConditions(ir).map((input) => input.name)]);
  const start = ir.nodes.findIndex((n) => n.id === ir.outputs.latent);
  const nodes: IRNode[] = [];
  for (const node of ir.nodes.slice(start + 1)) {
    if (node.stage !== 'decoder' && node.stage !== 'output') continue;
    const foreign = node.inputs.find((id) => !known.has(id));
    if (foreign !== undefined) {
      throw new TaskError(`the decoder of '${ir.model}' cannot run from a code alone: node '${node.id}' reads '${foreign}' from the encoder`);
    }
    known.add(node.id);
    nodes.push(node);
  }
  if (!known.has(ir.outputs.reconstruction)) {
    throw new TaskError(`the reconstruction '${ir.outputs.reconstruction}' of '${ir.model}' does not follow from latent '${latentName(ir)}'`);
  }
  return nodes;
}

/** Decodes `codes` ([n, ...latent shape]) in inference mode, batch by batch; a conditional
 *  decoder's label takes the class `condition` for every code (required exactly when it has one). */
export function decode(program: Program, codes: TensorValues, options: { batch?: number; condition?: number } = {}): TensorValues {
  const { ir } = program;
  const nodes = decoderNodes(ir);
  tf.dispose(Object.values(conditionInputs(ir, options.condition, 0)));
  const batch = options.batch ?? 256;
  const count = codes.shape[0]!;
  const codeSize = codes.shape.slice(1).reduce((a, b) => a * b, 1);
  const parts: Float32Array[] = [];
  let sampleShape: number[] = [];
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    tidyValue(() => {
      const code = tf.tensor(codes.values.subarray(start * codeSize, (start + size) * codeSize), [size, ...codes.shape.slice(1)], 'float32');
      const outputs = program.forward(conditionInputs(ir, options.condition, size), { training: false, nodes, given: new Map([[ir.outputs.latent, code]]) });
      const value = outputs.get(ir.outputs.reconstruction)!;
      sampleShape = value.shape.slice(1);
      parts.push(value.dataSync() as Float32Array);
    });
  }
  return { values: concat(parts), shape: [count, ...sampleShape] };
}

export function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
