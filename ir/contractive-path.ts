// What the contractive penalty can be computed for, exactly and in closed form: a code reached from
// the input through dense layers (each with an activation whose slope is known from its output),
// with only reshapes, corruptions and clips between them. The compiler rejects any other path with
// a located diagnostic (AE4014); the runtime's contractive term walks the same path.
import type { Activation, IRNode } from './types.js';

/** Ops the Jacobian passes through unchanged (taken with respect to the flattened, corrupted input). */
export const contractiveTransparentOps: ReadonlySet<IRNode['op']> = new Set(['flatten', 'reshape', 'corrupt_gaussian', 'corrupt_mask', 'corrupt_salt_pepper', 'corrupt_dropout', 'clip']);

/** Activations whose derivative the penalty writes in terms of their output. */
export const contractiveActivations: ReadonlySet<Activation> = new Set(['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softplus']);

export type ContractivePath = { ok: true; denseLayers: number } | { ok: false; node?: IRNode; reason: string };

/** Walks from `codeId` back to the model input `inputName` over `nodes` (by id). */
export function contractivePath(nodes: ReadonlyMap<string, IRNode>, codeId: string, inputName: string): ContractivePath {
  let denseLayers = 0;
  let id = codeId;
  while (id !== inputName) {
    const node = nodes.get(id);
    if (!node) return { ok: false, reason: `\`${id}\` is not computed from the input` };
    if (contractiveTransparentOps.has(node.op)) {
      id = node.inputs[0]!;
      continue;
    }
    const dense = node.op === 'dense' ? node : node.op === 'activation' ? nodes.get(node.inputs[0]!) : undefined;
    if (dense?.op !== 'dense' || (node.op === 'activation' && dense.attrs.activation.fn !== 'linear')) {
      return { ok: false, node, reason: `a \`${node.op}\` node sits on the path; only dense layers (with reshapes, corruptions and clips between them) are supported` };
    }
    const activation = node.op === 'activation' ? node.attrs.fn : dense.attrs.activation.fn;
    if (!contractiveActivations.has(activation)) {
      return { ok: false, node, reason: `the \`${activation}\` activation has no closed-form slope here (supported: ${[...contractiveActivations].join(', ')})` };
    }
    denseLayers++;
    id = dense.inputs[0]!;
  }
  return denseLayers > 0 ? { ok: true, denseLayers } : { ok: false, reason: 'the code does not depend on the input through a dense layer' };
}
