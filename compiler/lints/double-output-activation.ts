// Proves the output activation is the only squashing after the decoder: a decoder whose last layer
// already applies an activation, followed by `output x_hat = sigmoid`, squashes twice (a sigmoid
// of a sigmoid lies in (0.5, 0.73); a sigmoid of a relu in [0.5, 1)), so the reconstruction can
// never reach the data's range however long it trains.
import type { DecoderMember, Layer, LayerCall } from '../../grammar/ast.js';
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ActivationSpec, IRNode } from '../../ir/types.js';
import type { LintRule } from './rule.js';
import { activationOf } from '../../ir/op-rules.js';

/** Ops that move values without changing them: an activation before them is still the last one. */
const SHAPE_ONLY: ReadonlySet<IRNode['op']> = new Set<IRNode['op']>(['reshape', 'flatten', 'dropout']);

/** The activation the decoder ends with (the node feeding the output), walking back over shape-only ops. */
function decoderActivation(model: CheckedModel, outputId: string): ActivationSpec | undefined {
  // Searched backwards, not through a Map of every node built for each model: nodes are in
  // topological order, so each node read lies before its reader, and the walk scans each node once.
  const nodes = model.nodes;
  const output = indexBefore(nodes, outputId, nodes.length);
  let at = output < 0 ? -1 : indexBefore(nodes, nodes[output]!.inputs[0], output);
  while (at >= 0 && SHAPE_ONLY.has(nodes[at]!.op)) at = indexBefore(nodes, nodes[at]!.inputs[0], at);
  return activationOf(at < 0 ? undefined : nodes[at]);
}

/** The index of node `id` among `nodes[0 .. before - 1]`, or -1. */
function indexBefore(nodes: readonly IRNode[], id: string | undefined, before: number): number {
  for (let i = before - 1; i >= 0; i--) if (nodes[i]!.id === id) return i;
  return -1;
}

/** The decoder's last written layer that is not shape-only (looking inside a trailing `repeat`). */
function lastLayer(layers: readonly Layer[]): LayerCall | undefined {
  for (const layer of [...layers].reverse()) {
    if (layer.kind === 'RepeatLayers') return lastLayer(layer.layers);
    const callee = layer.call.callee;
    if (callee.kind === 'NameRef' && SHAPE_ONLY.has(callee.name as IRNode['op'])) continue;
    return layer;
  }
  return undefined;
}

function check(model: CheckedModel): Diagnostic[] {
  const output = model.output;
  if (!output || output.activation.fn === 'linear') return [];
  const before = decoderActivation(model, output.nodeId);
  if (!before || before.fn === 'linear') return [];
  const decoder = model.decl.members.find((m): m is DecoderMember => m.kind === 'DecoderMember');
  const layer = lastLayer(decoder?.layers ?? []);
  const act = layer?.call.args.find((a) => a.name?.name === 'act');
  return [
    diagnostic('AE5010', `\`output ${output.name} = ${output.activation.fn}\` is applied after the decoder's last layer, which already applies \`${before.fn}\``, output.decl.activation.range, {
      related: [{ message: `the decoder's last layer applies \`${before.fn}\` here`, range: layer?.range ?? decoder?.keyword ?? output.decl.range }],
      notes: [
        `the reconstruction is ${output.activation.fn}(${before.fn}(...)): squashed twice, its range shrinks (a sigmoid of a sigmoid lies in (0.5, 0.73))`,
        'write the last decoder layer linear (no `act`) and let `output` apply the activation once',
      ],
      ...(act ? { fix: { message: 'make the last decoder layer linear', edits: [{ range: act.value.range, newText: 'linear' }] } } : {}),
    }),
  ];
}

export const doubleOutputActivation: LintRule = { code: 'AE5010', name: 'double-output-activation', check };
