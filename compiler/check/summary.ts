// `ae summary`: a checked model as Keras's `model.summary()` shows it (text) or as JSON. Shapes are
// written without the batch dimension.
import type { CheckedModel } from './model.js';
import { parameterCountsByNode } from './count.js';
import type { Shape } from '../../ir/types.js';
import { displayOp } from '../../ir/op-rules.js';
import { formatShape } from '../shapes/dims.js';
import { thousands } from '../../diagnostics/numbers.js';

export interface ModelSummary {
  name: string;
  parameters: number;
  trainableParameters: number;
  inputs: { name: string; shape: (number | null)[] }[];
  latent: { name: string; shape: (number | null)[] } | null;
  output: { name: string; shape: (number | null)[] } | null;
  layers: { name: string; op: string; shape: (number | null)[]; parameters: number }[];
}

const withoutBatch = (shape: Shape) => shape.slice(1);

export function summarize(model: CheckedModel): ModelSummary {
  const latentTensor = model.latent ? model.tensors.get(model.latent.name) : undefined;
  const owned = parameterCountsByNode(model.parameters);
  return {
    name: model.name,
    parameters: model.parameterCount.total,
    trainableParameters: model.parameterCount.trainable,
    inputs: model.inputs.map((i) => ({ name: i.ir.name, shape: withoutBatch(i.ir.shape) })),
    latent: latentTensor ? { name: latentTensor.name, shape: withoutBatch(latentTensor.shape) } : null,
    output: model.output ? { name: model.output.name, shape: withoutBatch(model.output.shape) } : null,
    layers: model.nodes.map((n) => ({
      name: n.name ?? n.id,
      op: displayOp(n),
      shape: withoutBatch(n.shape),
      parameters: owned.get(n.id) ?? 0,
    })),
  };
}

export function renderSummaryJson(models: readonly CheckedModel[]): string {
  return renderSummariesJson(models.map(summarize));
}

/** The JSON of models summarized already (`summarize`), as `renderSummaryJson` writes them. */
export function renderSummariesJson(summaries: readonly ModelSummary[]): string {
  return JSON.stringify({ models: summaries }, null, 2) + '\n';
}

export function renderSummaryText(model: CheckedModel): string {
  const s = summarize(model);
  const rows: [string, string, string][] = [
    ...s.inputs.map((i): [string, string, string] => [`${i.name} (input)`, formatShape([null, ...i.shape]), '0']),
    ...model.nodes.map((n, k): [string, string, string] => {
      const layer = s.layers[k]!;
      const label = n.name ? `${n.name}: ${n.id}` : n.id;
      return [`${label} (${layer.op})`, formatShape(n.shape), thousands(layer.parameters)];
    }),
  ];
  const header: [string, string, string] = ['Layer (op)', 'Output shape', 'Param #'];
  const widths = [0, 1, 2].map((c) => Math.max(...[header, ...rows].map((r) => r[c]!.length)));
  const line = (r: [string, string, string]) => `${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padStart(widths[2]!)}`;
  const rule = (ch: string) => ch.repeat(widths[0]! + widths[1]! + widths[2]! + 4);
  const total = s.parameters;
  return [
    `Model: "${s.name}"`,
    rule('_'),
    line(header),
    rule('='),
    ...rows.map(line),
    rule('='),
    `Total params: ${thousands(total)}`,
    `Trainable params: ${thousands(s.trainableParameters)}`,
    `Non-trainable params: ${thousands(total - s.trainableParameters)}`,
    rule('_'),
    '',
  ].join('\n');
}
