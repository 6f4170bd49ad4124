// The inference graph of a model (or of some of its nodes, from given values): the forward pass in
// inference mode (no noise, mean latents, moving statistics), with every node's value and side
// output as a graph output, as the tfjs program's forward pass returns them. The tasks (eval,
// encode, reconstruct, score, sample, search) and the validation during training run through it.
import type { IRModel, IRNode, IRParameter } from '../../ir/types.js';
import { declaredOutputs, outputRef } from '../../ir/outputs.js';
import { encodeModel } from '../proto.js';
import { StepGraph, type Dim, type Sym } from '../autodiff/graph.js';
import { lowerNodes, type ForwardEnv } from './lower.js';
import { withValueInfo } from '../value-info.js';
import { ONNX_OPSET } from '../stage-graph.js';

export interface InferenceGraphSpec {
  ir: IRModel;
  /** The nodes to run (default: all), in IR order. */
  nodes?: readonly IRNode[];
  /** The values fed in: model inputs by name and given node values by id, with their shapes. */
  feeds: readonly { name: string; shape: readonly Dim[] }[];
}

export interface InferenceGraph {
  model: Uint8Array;
  /** Stored parameters, fed as `param:${id}`. */
  parameters: IRParameter[];
  /**
   * Where each value the forward pass defines comes from: a graph output of that name, or (a node
   * that passes a value through unchanged in inference, such as a corruption) another value's key.
   */
  values: Map<string, { output: string } | { same: string }>;
  /** The keys whose values are integers (a vq's codes: int32 as on tfjs), computed as floats. */
  integers: Set<string>;
  nodeCount: number;
}

export function buildInferenceGraph(spec: InferenceGraphSpec): InferenceGraph {
  const { ir } = spec;
  const g = new StepGraph();
  const byId = new Map(ir.parameters.map((q) => [q.id, q]));
  const storage = (id: string) => byId.get(byId.get(id)?.tiedTo ?? id)!;
  const values = new Map<string, Sym>();
  for (const feed of spec.feeds) values.set(feed.name, g.input(feed.name, feed.shape, false));
  const fedParameters = new Map<string, Sym>();
  const env: ForwardEnv = {
    g,
    ir,
    training: false,
    values,
    param: (node, role) => {
      const id = node.params?.[role];
      if (id === undefined) throw new Error(`node '${node.id}' (${node.op}) has no '${role}' parameter`);
      const stored = storage(id);
      let sym = fedParameters.get(stored.id);
      if (!sym) {
        sym = g.input(`param:${stored.id}`, stored.shape, false);
        fedParameters.set(stored.id, sym);
      }
      return { value: sym, transposed: byId.get(id)!.tiedTo !== undefined && byId.get(id)!.transpose === true };
    },
    noise: (node) => {
      throw new Error(`node '${node.id}': inference draws no noise`);
    },
    // moving statistics are written in training only
    assign: () => undefined,
  };
  lowerNodes(spec.nodes ?? ir.nodes, env);

  // One graph output per distinct value; a value that is a feed, or another key's value, is served
  // from there instead of copied through an Identity.
  const keyOfSym = new Map<string, string>();
  for (const feed of spec.feeds) keyOfSym.set(values.get(feed.name)!.name, feed.name);
  const served = new Map<string, { output: string } | { same: string }>();
  for (const [key, sym] of values) {
    if (spec.feeds.some((f) => f.name === key)) continue;
    const earlier = keyOfSym.get(sym.name);
    if (earlier !== undefined) {
      served.set(key, { same: earlier });
      continue;
    }
    const output = `out:${key}`;
    g.output(output, sym);
    keyOfSym.set(sym.name, key);
    served.set(key, { output });
  }

  const nodes = g.finish();
  const model = withValueInfo(encodeModel({
    ir_version: 8,
    producer_name: 'aelang',
    producer_version: '',
    doc_string: `${ir.model}: inference`,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: { name: `${ir.model}_inference`, node: nodes, initializer: g.initializers, input: g.inputs, output: g.outputs },
  }), g.valueInfo());
  const integers = new Set((spec.nodes ?? ir.nodes).flatMap((node) => Object.entries(declaredOutputs(node.op)).filter(([name, d]) => d.dtype === 'int32' && served.has(outputRef(node.id, name))).map(([name]) => outputRef(node.id, name))));
  return { model, parameters: [...fedParameters.keys()].map((id) => byId.get(id)!), values: served, integers, nodeCount: nodes.length };
}
