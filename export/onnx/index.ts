// IR + trained weights → an ONNX model (opset 17): the inference graph, taking the model's input in
// aelang's layout (images NHWC) and giving `reconstruction` and `code` (or one of them, for
// `part: 'encoder' | 'decoder'`), in aelang's layout too, so the same arrays go in and come out as
// with `ae encode` / `ae reconstruct`; a gaussian code adds `mean` and `log_variance`. A table's
// input is its encoded row (as aelang feeds the encoder); a conditional model's label is a second
// input (int64 class indices). The file's
// metadata_props describe the input (shape, range, scaling), the code and each output (metadata.ts).
import type { IRModel, Shape } from '../../ir/types.js';
import { selectPart } from '../parts.js';
import type { TableEncoding } from '../table.js';
import { checkWeights, ExportError, type ModelPart, type Weights } from '../weights.js';
import { OnnxGraph, type Value } from './graph.js';
import { onnxMetadata } from './metadata.js';
import { lowerings, type LoweringContext } from './ops.js';
import { DataType, encodeModel, type ValueInfoMessage } from '../../onnx/proto.js';

export const ONNX_OPSET = 17;
const ONNX_IR_VERSION = 8;

export interface OnnxExportOptions {
  part?: ModelPart;
  /** Recorded as the producer version. */
  version?: string;
  /** A table model's row encoding (the run's table.json), recorded in the metadata. */
  table?: TableEncoding;
}

export function exportOnnx(ir: IRModel, weights: Weights, options: OnnxExportOptions = {}): Uint8Array {
  checkWeights(ir, weights);
  const part = selectPart(ir, options.part ?? 'model');
  const shapes = new Map<string, Shape>([...ir.inputs.map((i) => [i.name, i.shape] as const), ...ir.nodes.map((n) => [n.id, n.shape] as const)]);
  const graph = new OnnxGraph();
  const values = new Map<string, Value>();
  const switches = new Map<string, { indices: string; input: string }>();
  const inputs: ValueInfoMessage[] = part.inputs.map((id) => {
    const name = id === ir.outputs.latent ? 'code' : id;
    graph.reserve(name);
    values.set(id, { name, layout: shapes.get(id)?.length === 4 ? 'nhwc' : 'plain' });
    // A label is a class index per sample, int64 as ONNX's indices are (OneHot reads it as it is).
    const label = ir.inputs.some((i) => i.name === id && i.kind === 'label');
    return valueInfo(name, shapes.get(id)!, label ? DataType.INT64 : DataType.FLOAT);
  });
  for (const node of part.nodes) {
    const lower = lowerings[node.op] as (node: unknown, inputs: Value[], ctx: LoweringContext) => Value;
    if (!lower) throw new ExportError(`node '${node.id}': op '${node.op}' does not export to ONNX`);
    const args = node.inputs.map((id) => values.get(id)!);
    values.set(node.id, lower(node, args, { graph, ir, weights, node, shapes, switches }));
  }
  const outputs = part.outputs.map(({ name, node }) => {
    const value = values.get(node)!;
    graph.reserve(name);
    graph.nodes.push({ name, op_type: 'Identity', input: [graph.nhwc(value)], output: [name], attribute: [] });
    return valueInfo(name, shapes.get(node)!);
  });
  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    producer_name: 'aelang',
    producer_version: options.version ?? '',
    doc_string: `${ir.model}${options.part && options.part !== 'model' ? ` (${options.part})` : ''}, exported by aelang`,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    metadata_props: onnxMetadata(ir, options.part ?? 'model', part, options.version, options.table),
    graph: { name: ir.model, node: graph.nodes, initializer: graph.initializers, input: inputs, output: outputs },
  });
}

function valueInfo(name: string, shape: Shape, type: number = DataType.FLOAT): ValueInfoMessage {
  const dim = shape.map((d) => (d === null ? { dim_param: 'batch' } : { dim_value: d }));
  return { name, type: { tensor_type: { elem_type: type, shape: { dim } } } };
}
