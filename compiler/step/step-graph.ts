// The compiler's training-step graph of one stage (ARCHITECTURE.md, "the plan in the IR"): from
// the IR and its written plan, the forward pass (the stage's nodes, a greedy layer's frozen prefix
// in inference mode, lowered to ONNX primitives by onnx/lowering/), the objective, and the
// gradients of its total by the primitives' rules (onnx/autodiff/), as one ONNX model. The
// weights go in as inputs, the loss, the terms and the gradients come out; the engine applies the
// optimiser's update (runtime/engines/onnx/update.ts) and feeds the weights back, so nothing is
// rebuilt between steps. The noise inputs are the stage plan's draws (ir/noise.ts): their
// parameters are the plan's, whatever the nodes' attributes say.
import { stageNoise } from '../../ir/noise.js';
import type { IRNode, IRParameter } from '../../ir/types.js';
import { asLatent } from '../../ir/op-rules.js';
import { outputOf } from '../../ir/outputs.js';
import { encodeModel } from '../../onnx/proto.js';
import { StepGraph, type Sym } from '../../onnx/autodiff/graph.js';
import { lowerNodes, oneHot, type ForwardEnv, type NoiseKind } from '../../onnx/lowering/lower.js';
import { ONNX_OPSET, type FedNoise, type StageGraph, type StageGraphSpec } from '../../onnx/stage-graph.js';
import * as p from '../../onnx/autodiff/primitives.js';
import { withValueInfo } from '../../onnx/value-info.js';
import { transpose } from '../../onnx/autodiff/spatial.js';
import { lowerTerm } from '../../onnx/lowering/terms.js';

export function buildStageGraph(spec: StageGraphSpec): StageGraph {
  const { ir } = spec;
  const g = new StepGraph();
  const dataInput = ir.inputs.find((i) => i.kind !== 'label')!;
  const labelInput = ir.inputs.find((i) => i.kind === 'label');
  const trainable = new Set(spec.trainable);
  const byId = new Map(ir.parameters.map((q) => [q.id, q]));
  const storage = (id: string) => byId.get(byId.get(id)?.tiedTo ?? id)!;

  const values = new Map<string, Sym>();
  values.set(dataInput.name, g.input(dataInput.name, dataInput.shape, false));
  const fed = new Map<string, Sym>();
  const parameterInput = (stored: IRParameter): Sym => {
    let sym = fed.get(stored.id);
    if (!sym) {
      sym = g.input(`param:${stored.id}`, stored.shape, trainable.has(stored.id));
      fed.set(stored.id, sym);
    }
    return sym;
  };
  const planned = new Map(spec.evaluation ? [] : (spec.noise ?? stageNoise(ir, spec.nodes ?? ir.nodes, spec.rename)).map((d) => [d.node, d]));
  const noise: FedNoise[] = [];
  const upkeep: string[] = [];
  const assigned = new Map<string, Sym>();
  const env: ForwardEnv = {
    g,
    ir,
    training: false,
    values,
    param: (node, role) => {
      const id = node.params?.[role];
      if (id === undefined) throw new Error(`node '${node.id}' (${node.op}) has no '${role}' parameter`);
      const declared = byId.get(id)!;
      return { value: parameterInput(storage(id)), transposed: declared.tiedTo !== undefined && declared.transpose === true };
    },
    // the lowering says which draw a node reads; the plan gives its parameters and input names
    noise: (node: IRNode, like: Sym, kind: NoiseKind, names = ['draw']) => {
      if (kind.kind === 'codebook') {
        upkeep.push(node.id);
        return [];
      }
      const draw = planned.get(node.id);
      if (!draw || draw.distribution.kind !== kind.kind || draw.inputs.length !== names.length) {
        throw new Error(`node '${node.id}' (${node.op}) draws '${kind.kind}' noise into ${names.length} input(s), which the stage's plan does not give it`);
      }
      const shape = like.shape;
      noise.push({ node: node.id, inputs: draw.inputs, shape, distribution: draw.distribution });
      return draw.inputs.map((name) => g.input(name, shape, false));
    },
    assign: (node, role, value) => {
      const id = node.params?.[role];
      if (id === undefined) throw new Error(`node '${node.id}' (${node.op}) has no '${role}' parameter`);
      assigned.set(storage(id).id, value);
    },
  };
  const stageNodes = [...(spec.prefix ?? []), ...(spec.nodes ?? ir.nodes)];
  const labels = labelInput && (stageNodes.some((n) => n.inputs.includes(labelInput.name)) || spec.objective.some((t) => t.args.includes(labelInput.name))) ? labelInput.name : undefined;
  if (labels) values.set(labels, g.input(labels, [null], false));
  if (spec.prefix) lowerNodes(spec.prefix, env);
  env.training = !spec.evaluation;
  lowerNodes(spec.nodes ?? ir.nodes, env, spec.rename);
  // every planned draw takes a seed, so each must be read (the tfjs program draws them all too)
  const unread = [...planned.keys()].find((id) => !noise.some((n) => n.node === id));
  if (unread !== undefined) throw new Error(`the stage's plan gives node '${unread}' noise that its lowering does not read`);

  const termEnv = {
    g,
    ir,
    value: (name: string) => {
      const sym = values.get(name) ?? values.get(ir.outputs.named[name] ?? '') ?? values.get(ir.outputs.heads[name] ?? '');
      if (!sym) throw new Error(`objective: '${name}' has no value in this stage`);
      return sym;
    },
    oneHot: (name: string, classes: number) => {
      if (!labels || labels !== name) throw new Error(`objective: '${name}' is not the label input`);
      return oneHot(g, values.get(labels)!, classes);
    },
    kernels: () => ir.parameters.filter((q) => q.tiedTo === undefined && q.role === 'kernel' && q.trainable).map(parameterInput),
    kernel: (node: IRNode) => {
      const { value, transposed } = env.param(node, 'kernel');
      return transposed ? transpose(g, value, [1, 0]) : value;
    },
  };
  const termValues = spec.objective.map((term) => lowerTerm(term, termEnv));
  // each term's weight is fed (`weight:${i}`): a scheduled coefficient changes from epoch to epoch
  const total = termValues.map((value, i) => p.mul(g, value, g.input(`weight:${i}`, [], false))).reduce((a, b) => p.add(g, a, b));
  g.output('loss', total);
  termValues.forEach((value, i) => g.output(`term:${i}`, value));
  if (spec.evaluation && !spec.nodes) {
    const error = p.square(g, p.sub(g, termEnv.value(ir.outputs.reconstruction), termEnv.value(ir.outputs.target)));
    g.output('squared', p.reduceSum(g, error, error.shape.map((_, axis) => axis), false));
  }

  const candidates = spec.evaluation ? [] : [...fed.keys()].filter((id) => trainable.has(id));
  const gradients = candidates.length === 0 ? [] : g.gradients(total, candidates.map((id) => fed.get(id)!), (a, b) => p.add(g, a, b), (like) => p.onesLike(g, like));
  // A parameter the loss does not reach gets no gradient and no update (no weight decay either), as
  // tfjs's variableGrads leaves it out of the optimiser's step.
  const updated = candidates.filter((_, i) => gradients[i] !== null);
  candidates.forEach((id, i) => {
    if (gradients[i]) g.output(`grad:${id}`, gradients[i]!);
  });

  for (const [id, value] of assigned) g.output(`assign:${id}`, value);
  const codebooks = (spec.nodes ?? ir.nodes).flatMap((n) => asLatent(n, 'vq') ?? []).map((node) => {
    const input = spec.rename?.get(node.inputs[0]!) ?? node.inputs[0]!;
    g.output(`codes:${node.id}`, values.get(outputOf(node, 'codes'))!);
    g.output(`encoded:${node.id}`, values.get(input)!);
    return { node: node.id, parameter: storage(node.params!.codebook!).id, dim: node.attrs.dim };
  });

  const nodes = g.finish();
  const model = withValueInfo(encodeModel({
    ir_version: 8,
    producer_name: 'aelang',
    producer_version: '',
    doc_string: `${ir.model}: ${spec.evaluation ? 'the objective in inference mode' : 'one training step'}`,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: { name: `${ir.model}_step`, node: nodes, initializer: g.initializers, input: g.inputs, output: g.outputs },
  }), g.valueInfo());
  return {
    model,
    data: dataInput.name,
    ...(labels ? { labels } : {}),
    parameters: [...fed.keys()].map((id) => byId.get(id)!),
    trainable: updated,
    assigned: [...assigned.keys()],
    // fed in the plan's order, which is the order the seeds are drawn in
    noise: [...planned.keys()].flatMap((id) => noise.filter((n) => n.node === id)),
    upkeep,
    codebooks,
    termCount: termValues.length,
    nodeCount: nodes.length,
  };
}
