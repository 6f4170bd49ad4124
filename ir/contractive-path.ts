// What the contractive penalty can be computed for, exactly and in closed form: a code reached from
// the input through dense layers (each with an activation whose slope is known from its output),
// with only reshapes, corruptions and clips between them. Which ops those are is each op's
// `jacobian` trait (ir/ops.ts). The compiler rejects any other path with a located diagnostic
// (AE4014); the runtime's contractive term (tfjs and ONNX alike) computes along the `layers` this
// returns, so the path is walked in one place.
import { activationOf, opTraits } from './op-rules.js';
import type { Activation, ActivationSpec, IRNode } from './types.js';

/** Activations whose derivative the penalty writes in terms of their output. */
export const contractiveActivations: ReadonlySet<Activation> = new Set(['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softplus']);

/** One dense layer of the path: h = f(W·x + b), with h the value of node `output`. */
export interface ContractiveLayer {
  /** The node whose kernel W is (as the node sees it, [in, out]). */
  dense: IRNode<'dense'>;
  /** f, fused into the dense or the activation node after a linear one. */
  activation: ActivationSpec;
  /** The node whose value is h (the dense itself, or the activation after it). */
  output: string;
}

/** `reads`: every node the penalty reads on its way (a training stage must compute them all);
 *  `layers`: the dense layers, the one reading the input first. */
export type ContractivePath = { ok: true; reads: string[]; layers: ContractiveLayer[] } | { ok: false; node?: IRNode; reason: string };

/** Walks from `codeId` back to the model input `inputName` over `nodes` (by id). */
export function contractivePath(nodes: ReadonlyMap<string, IRNode>, codeId: string, inputName: string): ContractivePath {
  const reads: string[] = [];
  const layers: ContractiveLayer[] = [];
  let id = codeId;
  while (id !== inputName) {
    const node = nodes.get(id);
    if (!node) return { ok: false, reason: `\`${id}\` is not computed from the input` };
    reads.push(id);
    const jacobian = opTraits(node.op).jacobian;
    if (jacobian === 'identity') {
      id = node.inputs[0]!;
      continue;
    }
    // a dense carries its activation; an activation node must follow a linear dense
    const dense = jacobian === 'dense' ? node : jacobian === 'activation' ? nodes.get(node.inputs[0]!) : undefined;
    const isDense = dense !== undefined && opTraits(dense.op).jacobian === 'dense';
    if (!isDense || (dense !== node && activationOf(dense)?.fn !== 'linear')) {
      return { ok: false, node, reason: `a \`${node.op}\` node sits on the path; only dense layers (with reshapes, corruptions and clips between them) are supported` };
    }
    const activation = activationOf(node)!;
    if (!contractiveActivations.has(activation.fn)) {
      return { ok: false, node, reason: `the \`${activation.fn}\` activation has no closed-form slope here (supported: ${[...contractiveActivations].join(', ')})` };
    }
    if (dense !== node) reads.push(dense.id);
    layers.unshift({ dense: dense as IRNode<'dense'>, activation, output: node.id });
    id = dense.inputs[0]!;
  }
  return layers.length > 0 ? { ok: true, reads, layers } : { ok: false, reason: 'the code does not depend on the input through a dense layer' };
}
