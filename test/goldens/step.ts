// specs/step/*.ae → <case>.step.txt: every training stage's step graph (compiler/step/), the ONNX
// model the onnx engine runs and `ae compile --step-graph` writes, as text: its inputs, constants,
// nodes with their attributes and known shapes, outputs. A change to a lowering or a gradient rule
// shows here node by node, for review.
import { relative } from 'node:path';
import { stepGraphLine } from '../../cli/commands/compile.js';
import { analyzeFile } from '../../compiler/analyze.js';
import { stageGraphs } from '../../compiler/step/stage-graphs.js';
import { AttributeType, decodeModel, type AttributeMessage, type TensorMessage, type ValueInfoMessage } from '../../onnx/proto.js';
import type { GoldenKind } from './kinds.js';
import { repositoryRoot, specFiles } from './files.js';

const shape = (v: ValueInfoMessage) => `[${v.type.tensor_type.shape.dim.map((d) => ('dim_param' in d && d.dim_param ? d.dim_param : (d as { dim_value?: number }).dim_value ?? 0)).join(', ')}]`;

function constant(t: TensorMessage): string {
  const bytes = Uint8Array.from(t.raw_data ?? []);
  const values = t.data_type === 7 ? Array.from(new BigInt64Array(bytes.buffer), Number) : Array.from(new Float32Array(bytes.buffer), (x) => Number(x.toPrecision(7)));
  const shown = values.length > 8 ? `${values.slice(0, 8).join(', ')}, … (${values.length})` : values.join(', ');
  return `const ${t.name}: [${(t.dims ?? []).join(', ')}] = ${values.length === 1 && (t.dims ?? []).length === 0 ? shown : `[${shown}]`}`;
}

function attribute(a: AttributeMessage): string {
  // decoded without defaults: a zero or an empty list is absent
  const value = a.type === AttributeType.INT ? String(a.i ?? 0) : a.type === AttributeType.FLOAT ? String(Number((a.f ?? 0).toPrecision(7))) : a.type === AttributeType.INTS ? `[${(a.ints ?? []).join(', ')}]` : a.type === AttributeType.FLOATS ? `[${(a.floats ?? []).join(', ')}]` : a.type === AttributeType.STRING ? `'${Buffer.from(a.s ?? []).toString('utf8')}'` : `(type ${a.type})`;
  return `${a.name}=${value}`;
}

/** One stage's ONNX model as text. */
export function stepGraphText(bytes: Uint8Array): string {
  const { graph } = decodeModel(bytes);
  const known = new Map(((graph as { value_info?: ValueInfoMessage[] }).value_info ?? []).map((v) => [v.name, shape(v)]));
  for (const v of [...graph.input, ...graph.output]) known.set(v.name, shape(v));
  const lines = [
    ...graph.input.map((v) => `in  ${v.name}: ${shape(v)}`),
    ...(graph.initializer ?? []).map(constant),
    ...graph.node.map((n) => {
      const outputs = n.output.map((o) => (known.has(o) ? `${o}: ${known.get(o)}` : o)).join(', ');
      const attributes = (n.attribute ?? []).map(attribute).join(' ');
      return `${outputs} = ${n.op_type}(${n.input.join(', ')})${attributes ? ` ${attributes}` : ''}`;
    }),
    ...graph.output.map((v) => `out ${v.name}: ${shape(v)}`),
  ];
  return lines.join('\n');
}

export function produceStepGolden(source: string): string {
  const analysis = analyzeFile(relative(repositoryRoot, source), { cwd: repositoryRoot });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || analysis.irs.length !== 1) throw new Error(`${source} must hold one model that checks clean`);
  return `${stageGraphs(analysis.irs[0]!).map(({ stage, graph }) => `# ${stepGraphLine(stage.name, graph)}\n${stepGraphText(graph.model)}\n`).join('\n')}`;
}

export const stepGoldens: GoldenKind = {
  name: 'step',
  cases: () => specFiles('step').map((source) => ({ goldenPath: source.replace(/\.ae$/, '.step.txt'), produce: () => produceStepGolden(source) })),
};
