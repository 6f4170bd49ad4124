// The IR as a graph, beyond what the schema can say: every reference resolves (node inputs, the
// parameters a node reads, `tiedTo`, the objective's arguments and `tensor` options (fromLogits, mean, logvar),
// the outputs), a reference to a named output (`pool:switches`, ir/outputs.ts) names one its node's
// op declares and has, each node has the inputs its op declares, ids are unique, nodes come after their inputs, and each weighted
// node's parameters have the shapes its op and input imply. The runtime trusts all of this; an IR
// written by hand or by another tool is refused here, with the JSON path of the first problem,
// instead of crashing inside a kernel.
import { irOps, type InputDeclaration } from './ops.js';
import { declaredOutputs, hasOutput, missingOutputReason, outputRef, outputShape, parseRef } from './outputs.js';
import { opTraits, parameterShapes, tensorOptionNames } from './op-rules.js';
import type { IRAttrs, IRModel, IRNode, IROp, IRParameter, IRTerm, ParameterRole, Shape } from './types.js';

/** The first problem as `IR <json path>: <what>`, or undefined for a sound graph. */
export function graphProblem(ir: IRModel): string | undefined {
  try {
    checkGraph(ir);
    return undefined;
  } catch (error) {
    if (error instanceof GraphProblem) return `IR ${error.path}: ${error.message}`;
    throw error;
  }
}

class GraphProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const fail = (path: string, message: string): never => {
  throw new GraphProblem(path, message);
};

function checkGraph(ir: IRModel): void {
  // Everything a node input or a term argument may name: model inputs, then nodes as they come.
  const tensors = new Map<string, Shape>();
  ir.inputs.forEach((input, i) => {
    if (tensors.has(input.name)) fail(`/inputs/${i}/name`, `duplicate input name '${input.name}'`);
    tensors.set(input.name, input.shape);
  });
  const parameters = new Map<string, IRParameter>();
  ir.parameters.forEach((p, i) => {
    if (parameters.has(p.id)) fail(`/parameters/${i}/id`, `duplicate parameter id '${p.id}'`);
    parameters.set(p.id, p);
  });
  const nodes = new Map<string, IRNode>();
  ir.nodes.forEach((node, i) => {
    const at = `/nodes/${i}`;
    if (nodes.has(node.id) || tensors.has(node.id)) fail(`${at}/id`, `duplicate id '${node.id}'`);
    node.inputs.forEach((input, j) => {
      if (!tensors.has(input)) fail(`${at}/inputs/${j}`, unknownTensor(input, nodes, 'an input or an earlier node'));
    });
    checkInputs(node, at);
    for (const [role, id] of Object.entries(node.params ?? {})) {
      const p = parameters.get(id!);
      if (!p) fail(`${at}/params/${role}`, `no parameter '${id}'`);
      else if (p.node !== node.id || p.role !== role) fail(`${at}/params/${role}`, `parameter '${id}' belongs to '${p.node}' as ${p.role}`);
    }
    checkShapes(node, node.inputs.map((input) => tensors.get(input)!), parameters, at);
    if (node.id.includes(':')) fail(`${at}/id`, `'${node.id}' contains ':', which separates a node from its named output`);
    nodes.set(node.id, node);
    tensors.set(node.id, node.shape);
    for (const name of Object.keys(declaredOutputs(node.op))) {
      if (hasOutput(node, name)) tensors.set(outputRef(node.id, name), outputShape(node, name, tensors.get(node.inputs[0] ?? '')));
    }
  });
  ir.parameters.forEach((p, i) => {
    const at = `/parameters/${i}`;
    const node = nodes.get(p.node);
    if (!node) fail(`${at}/node`, `no node '${p.node}'`);
    else if (node.params?.[p.role] !== p.id) fail(`${at}/node`, `node '${p.node}' does not read it as its ${p.role}`);
    if (p.tiedTo === undefined) return;
    const stored = parameters.get(p.tiedTo);
    if (!stored) return fail(`${at}/tiedTo`, `no parameter '${p.tiedTo}'`);
    if (stored.tiedTo !== undefined) fail(`${at}/tiedTo`, `'${p.tiedTo}' is itself tied: a tie names the stored parameter`);
    const seen = p.transpose ? [...stored.shape].reverse() : stored.shape;
    if (!sameShape(seen, p.shape)) fail(`${at}/shape`, `[${p.shape}] is not the tied parameter's [${seen}]${p.transpose ? ' (transposed)' : ''}`);
  });
  const tensor = (path: string, id: string): void => {
    if (!tensors.has(id)) fail(path, unknownTensor(id, nodes, 'an input or a node'));
  };
  const node = (path: string, id: string): void => {
    if (!nodes.has(id)) fail(path, `'${id}' is not a node`);
  };
  const terms = (base: string, list: readonly IRTerm[]): void =>
    list.forEach((term, i) => {
      term.args.forEach((arg, j) => tensor(`${base}/${i}/args/${j}`, arg));
      const options = term.options as Record<string, unknown>;
      for (const key of tensorOptionNames(term.fn)) if (typeof options[key] === 'string') tensor(`${base}/${i}/options/${key}`, options[key]);
    });
  terms('/objective', ir.objective);
  ir.phases.forEach((phase, i) => terms(`/phases/${i}/objective`, phase.objective));
  node('/outputs/reconstruction', ir.outputs.reconstruction);
  tensor('/outputs/target', ir.outputs.target);
  node('/outputs/latent', ir.outputs.latent);
  for (const [name, id] of Object.entries(ir.outputs.named)) node(`/outputs/named/${name}`, id);
  for (const [name, id] of Object.entries(ir.outputs.heads)) node(`/outputs/heads/${name}`, id);
}

/** What is wrong with a reference that resolves to nothing. */
function unknownTensor(ref: string, nodes: ReadonlyMap<string, IRNode>, what: string): string {
  const { node: id, output } = parseRef(ref);
  const node = nodes.get(id);
  if (output === undefined || node === undefined) return `'${ref}' is not ${what}`;
  return `'${ref}' names no output of '${id}': ${missingOutputReason(node, output)}`;
}

/** The node's inputs against its op's declaration: how many, and which must be a named output. */
function checkInputs(node: IRNode, at: string): void {
  const declared: readonly InputDeclaration[] = (irOps[node.op] as { inputs?: readonly InputDeclaration[] }).inputs ?? [{ name: 'x' }];
  const variadic = declared.some((d) => d.variadic);
  const least = declared.filter((d) => !d.optional).length;
  const most = variadic ? Infinity : declared.length;
  if (node.inputs.length < least || node.inputs.length > most) {
    const count = least === most ? `${least}` : most === Infinity ? `at least ${least}` : `${least} to ${most}`;
    fail(`${at}/inputs`, `a ${node.op} reads ${count} input${least === 1 && most === 1 ? '' : 's'} (${declared.map((d) => d.name).join(', ')}), not ${node.inputs.length}`);
  }
  declared.forEach((d, j) => {
    const input = node.inputs[j];
    if (input === undefined || d.reads === undefined) return;
    if (parseRef(input).output !== d.reads) fail(`${at}/inputs/${j}`, `the ${node.op}'s ${d.name} input must be the \`${d.reads}\` output of a node, not '${input}'`);
  });
}

function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The node's shape against its input's, and its parameters' shapes against its op and input, by the
 *  registry's rules (ir/op-rules.ts: the parameter rule the compiler uses too; ir/ops.ts's traits). */
function checkShapes(node: IRNode, inputs: readonly Shape[], parameters: ReadonlyMap<string, IRParameter>, at: string): void {
  const input = inputs[0];
  if (input === undefined) return;
  const expected = outputRules[node.op]?.(node.attrs as never, input) ?? (opTraits(node.op).sameShape ? input : undefined);
  if (expected && !(expected.length === node.shape.length && expected.every((d, i) => d === undefined || d === node.shape[i]))) {
    const text = (shape: readonly (number | null | undefined)[]) => `[${shape.map((d) => (d === undefined ? '_' : String(d)))}]`;
    fail(`${at}/shape`, `${text(node.shape)} is not what ${node.op} makes of ${text(input)}: ${text(expected)}`);
  }
  const last = input[input.length - 1];
  if (typeof last !== 'number') return;
  const shapes = parameterShapes(node.op, node.attrs as never, last);
  for (const [role, id] of Object.entries(node.params ?? {})) {
    const p = parameters.get(id!);
    const shape = shapes[role as ParameterRole];
    if (p && shape && !sameShape(p.shape, shape)) fail(`${at}/params/${role}`, `parameter '${p.id}' has shape [${p.shape}], the ${node.op} needs [${shape}]`);
  }
}

/** The shape an op makes of its input, where it is known without the windows' arithmetic (`undefined`
 *  dimensions are not checked). Ops with the `sameShape` trait give back their input's shape. */
const outputRules: { [Op in IROp]?: (attrs: IRAttrs[Op], input: Shape) => (number | null | undefined)[] } = {
  dense: (a) => [null, a.units],
  conv2d: (a, input) => [...input.slice(0, -1).map(() => undefined), a.filters],
  deconv2d: (a, input) => [...input.slice(0, -1).map(() => undefined), a.filters],
  flatten: (_a, input) => [null, input.slice(1).reduce<number | null>((n, d) => (n === null || d === null ? null : n * d), 1)],
};
