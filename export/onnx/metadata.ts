// What an ONNX file says about itself besides the graph (ModelProto.metadata_props, string → string:
// Python onnxruntime's get_modelmeta().custom_metadata_map, Netron's properties): what the input is and how
// raw data becomes it, what the code is, what each output means, and which aelang wrote it.
import type { IRModel } from '../../ir/types.js';
import { dataInput, type GraphPart } from '../parts.js';
import { checkTableEncoding, columnWidths, type TableEncoding } from '../table.js';
import type { ModelPart } from '../weights.js';

export function onnxMetadata(ir: IRModel, part: ModelPart, graph: GraphPart, version: string | undefined, table?: TableEncoding): { key: string; value: string }[] {
  const input = dataInput(ir);
  const latent = ir.nodes.find((n) => n.id === ir.outputs.latent)!;
  const kind = { gaussian_sample: 'gaussian', vector_quantize: 'vq', binarize: 'binary', gumbel_onehot: 'one-hot' }[latent.op as string] ?? 'deterministic';
  const range = input.range;
  const scaling = range
    ? `8-bit data (0..255) maps linearly onto [${range[0]}, ${range[1]}]: low + v * (high - low) / 255; other values must already lie in [${range[0]}, ${range[1]}]`
    : '8-bit data (0..255) maps onto [0, 1] (v / 255); other values are used as they are';
  const meanings: Record<string, string> = {
    reconstruction: `the reconstruction of the input, in its shape and range`,
    code: kind === 'gaussian' ? "the code: the posterior's mean (inference draws no noise)" : `the ${kind} code`,
    mean: "the gaussian posterior's mean",
    log_variance: "the gaussian posterior's log-variance (log sigma^2); sample with mean + exp(0.5 * log_variance) * N(0, I)",
  };
  const entries: Record<string, string> = {
    'aelang.version': version ?? 'unknown',
    'aelang.model': ir.model,
    'aelang.part': part,
    'aelang.input.name': input.name,
    'aelang.input.shape': JSON.stringify(input.shape.slice(1)),
    'aelang.input.layout': input.shape.length === 4 ? 'NHWC (aelang layout: [batch, height, width, channels])' : 'plain',
    'aelang.input.range': range ? JSON.stringify(range) : 'none',
    'aelang.input.scaling': scaling,
    'aelang.latent.name': Object.entries(ir.outputs.named).find(([, id]) => id === ir.outputs.latent)?.[0] ?? ir.outputs.latent,
    'aelang.latent.kind': kind,
    'aelang.latent.shape': JSON.stringify(latent.shape.slice(1)),
    'aelang.inputs': JSON.stringify(graph.inputs.map((id) => (id === ir.outputs.latent ? 'code' : id))),
    'aelang.outputs': JSON.stringify(graph.outputs.map((o) => o.name)),
  };
  if (input.kind === 'table') {
    // The graph reads the row as aelang's encoder does; how a CSV row becomes it is the run's.
    entries['aelang.input.layout'] = `table row, encoded: ${columnWidths(input).map((w, i) => `${input.columns![i]!.name} (${w === 1 ? 'numeric: (v - mean) / std' : `one-hot over ${w} levels`})`).join(', ')}`;
    entries['aelang.input.columns'] = JSON.stringify(input.columns);
    entries['aelang.input.scaling'] = "numeric columns standardised with the training data's mean and std, categorical columns one-hot over their sorted levels (aelang.input.encoding)";
    if (table) {
      checkTableEncoding(input, table);
      entries['aelang.input.encoding'] = JSON.stringify(table);
    }
    meanings.reconstruction = 'the reconstruction of the encoded row: numeric columns as standardised values, a softmax over the levels of each categorical column';
  }
  for (const name of graph.inputs) {
    const label = ir.inputs.find((i) => i.name === name && i.kind === 'label');
    if (label) entries[`aelang.input.${name}`] = `the condition: class indices 0..${label.classes! - 1}, int64, shape [batch]`;
  }
  for (const { name } of graph.outputs) entries[`aelang.output.${name}`] = meanings[name] ?? name;
  if (part === 'decoder' && kind === 'gaussian') entries['aelang.sampling'] = `feed input 'code' with draws from N(0, I) of shape [batch, ${latent.shape.slice(1).join(', ')}] to generate`;
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}
