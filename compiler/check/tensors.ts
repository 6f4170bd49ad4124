// The names a loss or a head may use (inputs, the latent, the output, `as` names, heads), with what
// the objective checks need to know about each: shape, activation, value bounds, the node before
// the activation (losses from logits), and which inputs it depends on differentiably.
import type { SourceRange } from '../../grammar/ast.js';
import type { ActivationSpec, IRNode } from '../../ir/types.js';
import { activationRange } from '../shapes/activations.js';
import { activationOf, blocksGradient, opValueRange } from '../../ir/op-rules.js';
import type { NamedTensor } from './model.js';
import type { Reporter } from '../../diagnostics/reporter.js';
import { message } from '../../diagnostics/message.js';

/** For every node, the model inputs it depends on through differentiable ops. The sets are read,
 *  never changed: a node reading one value shares that value's set (most nodes of every model do),
 *  and those reading none share one empty set. */
export function differentiableInputs(nodes: readonly IRNode[], inputNames: readonly string[]): Map<string, ReadonlySet<string>> {
  const from = new Map<string, ReadonlySet<string>>();
  for (const name of inputNames) from.set(name, new Set([name]));
  const none: ReadonlySet<string> = new Set();
  for (const node of nodes) {
    if (blocksGradient(node)) {
      from.set(node.id, none);
    } else if (node.inputs.length === 1) {
      from.set(node.id, from.get(node.inputs[0]!) ?? none);
    } else {
      const union = new Set<string>();
      for (const input of node.inputs) for (const name of from.get(input) ?? none) union.add(name);
      from.set(node.id, union);
    }
  }
  return from;
}

/** The activation a node applies: fused into a layer, or an activation node. */
export function nodeActivation(node: IRNode | undefined): ActivationSpec | undefined {
  return activationOf(node);
}

/** Known bounds of a node's values. */
export function nodeValueRange(node: IRNode | undefined): [number, number] | undefined {
  if (!node) return undefined;
  return opValueRange(node) ?? activationRange(nodeActivation(node));
}

export class TensorNames {
  readonly tensors = new Map<string, NamedTensor>();

  constructor(
    private readonly reporter: Reporter,
    private readonly file: string,
  ) {}

  /** Adds a name; a second use of it is reported at both places. */
  add(tensor: NamedTensor, at: { range: SourceRange }): boolean {
    const first = this.tensors.get(tensor.name);
    if (first) {
      this.reporter.report('AE2002', at, message('AE2002', { owner: 'the model', count: 'two', things: 'tensors', name: tensor.name }), {
        file: this.file,
        related: [{ message: `first named here: ${describe(first)}`, range: first.declaredAt }],
      });
      this.reporter.report('AE2002', first.declaredAt, message('AE2002', { owner: 'the model', count: 'two', things: 'tensors', name: tensor.name }), {
        file: this.file,
        related: [{ message: 'named again here', range: at.range }],
      });
      return false;
    }
    this.tensors.set(tensor.name, tensor);
    return true;
  }
}

function describe(tensor: NamedTensor): string {
  switch (tensor.origin) {
    case 'input':
      return 'an input';
    case 'latent':
      return 'the latent';
    case 'output':
      return 'the output';
    case 'head':
      return 'a head';
    case 'layer':
      return 'a layer';
  }
}
