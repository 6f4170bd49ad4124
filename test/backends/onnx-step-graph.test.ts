// The training-step graph's form where it sets the step's speed on ONNX Runtime: nodes no output
// reads are not in the model (ORT runs every node it is given), a dense layer's bias is Gemm's C
// (which ORT fuses with the activation), and the loss's scalar gradient reaches the output's
// gradient without an Expand over the batch.
import { describe, expect, it } from 'vitest';
import { StepGraph } from '../../onnx/autodiff/graph.js';
import * as p from '../../onnx/autodiff/primitives.js';
import { buildStageGraph } from '../../compiler/step/step-graph.js';
import { mnistAeIR } from '../../bench/train-models.js';
import protobuf from 'protobufjs';
import { encodeModel } from '../../onnx/proto.js';
import { withValueInfo } from '../../onnx/value-info.js';
import { loadOnnxRuntime } from '../../runtime/engines/onnx/runtime.js';
import { seededRandom } from './seeded.js';

const Nodes = protobuf.Root.fromJSON({
  nested: {
    M: { fields: { graph: { type: 'G', id: 7 } } },
    G: { fields: { node: { rule: 'repeated', type: 'N', id: 1 }, initializer: { rule: 'repeated', type: 'T', id: 5 } } },
    N: { fields: { input: { rule: 'repeated', type: 'string', id: 1 }, output: { rule: 'repeated', type: 'string', id: 2 }, op_type: { type: 'string', id: 4 } } },
    T: { fields: { name: { type: 'string', id: 8 } } },
  },
}).lookupType('M');

function decode(model: Uint8Array): { nodes: { input: string[]; output: string[]; op_type: string }[]; initializers: string[] } {
  const m = Nodes.toObject(Nodes.decode(model), { arrays: true }) as { graph: { node: { input: string[]; output: string[]; op_type: string }[]; initializer: { name: string }[] } };
  return { nodes: m.graph.node, initializers: m.graph.initializer.map((t) => t.name) };
}

describe('the step graph as ONNX Runtime gets it', () => {
  it('leaves out the nodes and constants no output depends on', () => {
    const g = new StepGraph();
    const x = g.input('x', [null, 3], true);
    const unread = p.mul(g, p.exp(g, x), g.scalar(7));
    const y = p.tanh(g, x);
    g.output('y', y);
    const nodes = g.finish();
    expect(nodes.map((n) => n.op_type)).toEqual(['Tanh']);
    expect(g.initializers.map((t) => t.name)).toEqual([]);
    expect(g.valueInfo().map((v) => v.name)).not.toContain(unread.name);
  });

  it('runs the main job with its biases in Gemm and no Expand over the batch', () => {
    const ir = mnistAeIR(128);
    const graph = buildStageGraph({ ir, objective: ir.objective, trainable: ir.parameters.map((q) => q.id) });
    const { nodes } = decode(graph.model);
    const forward = nodes.filter((n) => n.op_type === 'Gemm' && n.input.length === 3);
    // the six dense layers' forward products take their bias as C, and no Add follows them
    expect(forward.length).toBe(6);
    expect(forward.map((n) => n.input[2])).toEqual(['dense.1', 'dense.2', 'z', 'dense.4', 'dense.5', 'decoder.out'].map((id) => `param:${id}.bias`));
    expect(nodes.filter((n) => n.op_type === 'Add')).toEqual([]);
    // the one Expand left is the loss's seed, a constant (ORT folds it)
    expect(nodes.filter((n) => n.op_type === 'Expand' && !n.input[0]!.startsWith('const_'))).toEqual([]);
    expect(graph.nodeCount).toBe(nodes.length);
  });

  it('sums binary cross-entropy of logits as a float64 sum of its terms would (the logs taken of products)', async () => {
    const loaded = await loadOnnxRuntime();
    if (!loaded.ok) throw new Error(loaded.why);
    const g = new StepGraph();
    const shape = [5, 28, 28, 1];
    const l = g.input('l', [null, 28, 28, 1], false);
    const t = g.input('t', [null, 28, 28, 1], false);
    g.output('total', p.bceWithLogitsSum(g, l, t));
    const model = withValueInfo(encodeModel({ ir_version: 8, producer_name: 'test', producer_version: '', doc_string: '', opset_import: [{ domain: '', version: 17 }], graph: { name: 'bce', node: g.finish(), initializer: g.initializers, input: g.inputs, output: g.outputs } }), g.valueInfo());
    const session = await loaded.runtime.createSession(model, 1);
    const random = seededRandom(3);
    const count = 5 * 784;
    // logits from −40 to 40 (σ(|l|) rounds to 1 beyond ~17), targets in [0, 1]
    const logits = Float32Array.from({ length: count }, () => (random() - 0.5) * 80 * random() ** 2);
    const targets = Float32Array.from({ length: count }, () => random());
    const total = (await session.run({ l: loaded.runtime.tensor(logits, shape), t: loaded.runtime.tensor(targets, shape) })).get('total')![0]!;
    let expected = 0;
    for (let i = 0; i < count; i++) expected += Math.max(logits[i]!, 0) - logits[i]! * targets[i]! + Math.log1p(Math.exp(-Math.abs(logits[i]!)));
    expect(Math.abs(total - expected)).toBeLessThan(1e-5 * expected);
    await session.release();
  });
});
