// What kind of code a model has, which decides what the uses can do with it: a gaussian code has
// a prior to sample and a sphere to interpolate on, a vq code a codebook, a binary code Hamming
// distances; a deterministic (dense) code has no prior at all.
import { latentKindOf } from '../../ir/op-rules.js';
import type { IRModel, IRNode } from '../../ir/types.js';
import { TaskError } from './task-error.js';

export type LatentKind = 'gaussian' | 'vq' | 'binary' | 'one-hot' | 'deterministic';

export function latentNode(ir: IRModel): IRNode {
  const node = ir.nodes.find((n) => n.id === ir.outputs.latent);
  if (node === undefined) throw new TaskError(`model '${ir.model}' names latent '${ir.outputs.latent}', which is not one of its nodes`);
  return node;
}

/** The latent op's `latent` trait (ir/ops.ts), or deterministic. */
export function latentKind(ir: IRModel): LatentKind {
  return latentKindOf(latentNode(ir)) ?? 'deterministic';
}

/** The latent's name as the user wrote it (`z`), for messages. */
export function latentName(ir: IRModel): string {
  const named = Object.entries(ir.outputs.named).find(([, id]) => id === ir.outputs.latent);
  return named?.[0] ?? ir.outputs.latent;
}

/** One code's shape, without the batch dimension. */
export function latentShape(ir: IRModel): number[] {
  return latentNode(ir).shape.slice(1).map((d, i) => {
    if (d === null) throw new TaskError(`latent '${latentName(ir)}' has an unknown dimension ${i + 1}; its codes cannot be drawn`);
    return d;
  });
}
