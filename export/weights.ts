// What an exporter is given besides the IR: the trained values of every stored parameter (tied
// parameters own none; they read their `tiedTo`), in the IR's layouts (dense [in, out], conv
// [kh, kw, in, out], deconv [kh, kw, out, in], images NHWC).
import type { IRModel, IRNode, IRParameter } from '../ir/types.js';

export interface WeightTensor {
  shape: number[];
  values: Float32Array;
}

export type Weights = ReadonlyMap<string, WeightTensor>;

/** A model, or a part of one, that an exporter cannot express; the message names the node and op. */
export class ExportError extends Error {}

/** Which half of the model to export: both (input → reconstruction and code), or one. */
export type ModelPart = 'model' | 'encoder' | 'decoder';

/** The parameter a node reads for `role`, resolved to its storage. */
export function storedParameter(ir: IRModel, node: IRNode, role: keyof NonNullable<IRNode['params']>): { stored: IRParameter; transposed: boolean } {
  const id = node.params?.[role];
  const parameter = ir.parameters.find((p) => p.id === id);
  if (id === undefined || parameter === undefined) throw new ExportError(`node '${node.id}' (${node.op}) has no '${role}' parameter`);
  if (parameter.tiedTo === undefined) return { stored: parameter, transposed: false };
  const stored = ir.parameters.find((p) => p.id === parameter.tiedTo);
  if (!stored) throw new ExportError(`parameter '${parameter.id}' is tied to unknown parameter '${parameter.tiedTo}'`);
  return { stored, transposed: parameter.transpose === true };
}

/** Checks that `weights` holds every stored parameter with the IR's shape. */
export function checkWeights(ir: IRModel, weights: Weights): void {
  for (const p of ir.parameters) {
    if (p.tiedTo !== undefined) continue;
    const w = weights.get(p.id);
    if (!w) throw new ExportError(`the weights have no tensor '${p.id}'`);
    if (w.shape.join(',') !== p.shape.join(',')) {
      throw new ExportError(`weight '${p.id}' has shape [${w.shape.join(', ')}], the model says [${p.shape.join(', ')}]`);
    }
  }
}
