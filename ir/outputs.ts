// Named outputs: the edges besides a node's value that ir/ops.ts declares (a maxpool's `switches`,
// a vq's `codes` and `quantized`, a squashing layer's `logits`). A node input or a term argument
// reads one as `<node id>:<output>`; node ids never contain `:`, so the reference is unambiguous.
// This file is the only place that writes or parses such a reference: the compiler writes them,
// ir/graph.ts checks each against the producing op's declaration, and engines store a named output
// under the reference its op context gives (never a string of their own).
import { irOps, type OutputDeclaration } from './ops.js';
import type { IRNode, IROp, Shape } from './types.js';

/** The names of the outputs `Op` declares. */
export type OutputName<Op extends IROp> = (typeof irOps)[Op] extends { outputs: infer O } ? keyof O & string : never;

/** The reference to output `name` of node `nodeId`. */
export function outputRef(nodeId: string, name: string): string {
  return `${nodeId}:${name}`;
}

/** The reference to a named output `node`'s op declares (typed: an undeclared name does not compile). */
export function outputOf<Op extends IROp>(node: IRNode<Op>, name: OutputName<Op>): string {
  return outputRef(node.id, name);
}

/** A reference split into its node and output name; `output` is undefined for a plain value. */
export function parseRef(ref: string): { node: string; output?: string } {
  const at = ref.indexOf(':');
  return at < 0 ? { node: ref } : { node: ref.slice(0, at), output: ref.slice(at + 1) };
}

/** Every output an op declares, with its declaration. */
export function declaredOutputs(op: IROp): Readonly<Record<string, OutputDeclaration>> {
  const declaration = irOps[op] as { outputs?: Readonly<Record<string, OutputDeclaration>> } | undefined;
  return declaration?.outputs ?? {};
}

/** Whether `node` has the declared output `name` with its attributes (a relu dense has no logits). */
export function hasOutput(node: IRNode, name: string): boolean {
  const declared = declaredOutputs(node.op)[name];
  return declared !== undefined && holds(node, declared.when);
}

/** Why `node` has no output `name`, for an error message. */
export function missingOutputReason(node: IRNode, name: string): string {
  const declared = declaredOutputs(node.op)[name];
  if (declared === undefined) {
    const names = Object.keys(declaredOutputs(node.op));
    return `a ${node.op} has no output '${name}' (${names.length > 0 ? `it has ${names.join(', ')}` : 'only its value'})`;
  }
  return declared.when === 'squashes' ? `its activation is not sigmoid or softmax, so it has no logits` : `its windows overlap (stride ≠ pool), so it records no switches`;
}

/** The shape of `node`'s output `name`, from the node's input shape. */
export function outputShape(node: IRNode, name: string, input: Shape | undefined): Shape {
  const declared = declaredOutputs(node.op)[name]!;
  if (declared.shape === 'value' || input === undefined) return node.shape;
  return declared.shape === 'input' ? input : input.slice(0, -1);
}

function holds(node: IRNode, when: OutputDeclaration['when']): boolean {
  if (when === undefined) return true;
  const attrs = node.attrs as { activation?: { fn: string }; pool?: number | number[]; stride?: number | number[] };
  if (when === 'squashes') return attrs.activation?.fn === 'sigmoid' || attrs.activation?.fn === 'softmax';
  return String(attrs.pool) === String(attrs.stride);
}

/** What a loss reads as the logits behind `node`'s value: its `logits` output when it squashes
 *  (sigmoid/softmax) itself, else the value (a linear layer is its own logits). */
export function logitsOf(node: IRNode): string {
  return hasOutput(node, 'logits') ? outputRef(node.id, 'logits') : node.id;
}
