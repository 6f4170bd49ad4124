// DIR/model.py: the model as an nn.Module (encode, decode when the decoder needs only the code,
// forward, and `values` for the objective in train.py), and load() reading DIR/weights.safetensors
// with torch and numpy only. A conditional model's methods take the label (class indices) after the
// data or the code, where their part reads it; a table model's input is its encoded row.
import type { IRInput, IRModel, Shape } from '../../ir/types.js';
import { dataInput, selectPart } from '../parts.js';
import { GATE_ORDER } from '../recurrent.js';
import { checkTableEncoding, type TableEncoding } from '../table.js';
import { ExportError, type WeightTensor, type Weights } from '../weights.js';
import { HELPERS, layers, type PyContext, type PyLowering } from './layers.js';
import { permute } from './tensors.js';

const PYTHON_KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self'.split(' '));

export function pythonName(id: string): string {
  const name = id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
  return PYTHON_KEYWORDS.has(name) ? `${name}_` : name;
}

export function className(model: string): string {
  const words = model.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Model';
  return /^\d/.test(name) ? `Model${name}` : name;
}

export interface ModelCode {
  source: string;
  className: string;
  /** The weights under their state_dict keys, in PyTorch layouts. */
  state: Map<string, WeightTensor>;
  /** Each state_dict key's aelang parameter id, and the axes that take its PyTorch layout back to
   *  aelang's (result axis i is PyTorch's axis toAelang[i]). */
  layout: Map<string, { id: string; toAelang: number[] }>;
  /** Whether the module has decode(z). */
  decodes: boolean;
  /** The label inputs `values` (and so the objective) takes after the data, by aelang name. */
  labels: string[];
}

/** A recurrent layer's weights as aelang stores them (Keras's gate order and layout). */
export interface RecurrentLayout {
  kind: 'lstm' | 'gru';
  ids: { kernel: string; recurrent_kernel: string; bias: string };
}

export function modelPy(ir: IRModel, weights: Weights, header: string, table?: TableEncoding): ModelCode {
  const shapes = new Map<string, Shape>([...ir.inputs.map((i) => [i.name, i.shape] as const), ...ir.nodes.map((n) => [n.id, n.shape] as const)]);
  const state = new Map<string, WeightTensor>();
  const layout = new Map<string, { id: string; toAelang: number[] }>();
  const recurrent = new Map<string, RecurrentLayout>();
  const ctx: PyContext = {
    ir,
    weights,
    variable: pythonName,
    attribute: pythonName,
    rank: (id) => shapes.get(id)?.length ?? 2,
    shape: (id) => shapes.get(id) ?? [],
    state: (key, id, perm) => {
      const tensor = weights.get(id);
      if (!tensor) throw new ExportError(`the weights have no tensor '${id}'`);
      const axes = perm ?? tensor.shape.map((_, axis) => axis);
      state.set(key, perm ? permute(tensor, perm) : tensor);
      layout.set(key, { id, toAelang: axes.map((_, axis) => axes.indexOf(axis)) });
    },
    computedState: (key, tensor) => state.set(key, tensor),
    recurrentLayout: (attribute, kind, ids) => recurrent.set(attribute, { kind, ids }),
    switches: new Map(),
  };
  const lowered = new Map<string, PyLowering>();
  for (const node of ir.nodes) {
    const lower = layers[node.op] as (node: unknown, ctx: PyContext) => PyLowering;
    if (!lower) throw new ExportError(`node '${node.id}': op '${node.op}' does not export to PyTorch`);
    lowered.set(node.id, lower(node, ctx));
  }
  const data = dataInput(ir);
  const x = pythonName(data.name);
  // The labels a part's nodes read, as that method's arguments after the data (or the code).
  const labelInputs = ir.inputs.filter((i) => i.kind === 'label').map((i) => i.name);
  const labelsOf = (nodes: { inputs: string[] }[]) => labelInputs.filter((label) => nodes.some((n) => n.inputs.includes(label)));
  const args = (first: string, nodes: { inputs: string[] }[]) => [first, ...labelsOf(nodes).map(pythonName)].join(', ');
  const code = pythonName(ir.outputs.latent);
  const recon = pythonName(ir.outputs.reconstruction);
  const linesOf = (ids: { id: string }[]) => ids.flatMap(({ id }) => lowered.get(id)!.forward);
  const indent = (lines: string[], depth = 2) => lines.map((l) => `${'    '.repeat(depth)}${l}`).join('\n');

  const encoder = selectPart(ir, 'encoder').nodes;
  let decoder: IRModel['nodes'] | undefined;
  try {
    decoder = selectPart(ir, 'decoder').nodes;
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
  }
  const everything = ir.nodes;
  const side = Object.assign({}, ...ir.nodes.map((n) => lowered.get(n.id)!.side ?? {})) as Record<string, string>;
  const named = [...ir.inputs.filter((i) => i.kind !== 'label' || labelsOf(everything).includes(i.name)).map((i) => [i.name, pythonName(i.name)]), ...ir.nodes.map((n) => [n.id, pythonName(n.id)]), ...Object.entries(side)];
  const helpers = [...new Set(ir.nodes.flatMap((n) => lowered.get(n.id)!.helpers ?? []))].map((h) => HELPERS[h]!);
  const image = data.shape.length === 4;
  const labelDoc = labelInputs.map((l) => `, ${pythonName(l)}: [batch] class indices`).join('');
  const inputDoc = `${image ? `x: [batch, ${data.shape[3]}, ${data.shape[1]}, ${data.shape[2]}] (NCHW)` : data.kind === 'table' ? `x: [batch, ${data.shape[1]}] (rows encoded as TABLE says)` : `x: [batch, ${data.shape.slice(1).join(', ')}]`}${labelDoc}`;
  const whole = selectPart(ir, 'model').nodes;
  const name = className(ir.model);

  const methods = [
    `    def encode(self, ${args(x, encoder)}):
        """The code of ${inputDoc}."""
${indent(linesOf(encoder))}
        return ${code}`,
    ...(decoder
      ? [
          `    def decode(self, ${args(code, decoder)}):
        """The reconstruction of a code."""
${indent(linesOf(decoder))}
        return ${recon}`,
          `    def forward(self, ${args(x, whole)}):
        """The reconstruction of ${inputDoc}."""
        return self.decode(${[`self.encode(${args(x, encoder)})`, ...labelsOf(decoder).map(pythonName)].join(', ')})`,
        ]
      : [
          `    def forward(self, ${args(x, whole)}):
        """The reconstruction of ${inputDoc}."""
${indent(linesOf(whole))}
        return ${recon}`,
        ]),
    `    def values(self, ${args(x, everything)}):
        """Every layer's output by its aelang id (and logits, quantized codes), for the objective."""
${indent(linesOf(everything))}
        return {
${named.map(([key, value]) => `            ${JSON.stringify(key)}: ${value},`).join('\n')}
        }`,
  ];
  const init = ir.nodes.flatMap((n) => lowered.get(n.id)!.init);
  const source = `${header}
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

INPUT_SHAPE = ${JSON.stringify(image ? [data.shape[3], data.shape[1], data.shape[2]] : data.shape.slice(1))}  # one sample${image ? ', channels first' : ''}
INPUT_RANGE = ${data.range ? JSON.stringify(data.range) : 'None'}
# Label inputs (class counts) the model reads beside its data: the methods take them after x (or z).
LABELS = ${pyValue(Object.fromEntries(labelsOf(everything).map((l) => [l, ir.inputs.find((i) => i.name === l)!.classes])))}
${tableConstants(data, table)}
# Each state_dict tensor's aelang parameter id, and the axes that take it back to aelang's layout:
# trained weights return to aelang under these ids (aelang_tensors, save_aelang; then \`ae import\`).
AELANG_PARAMETERS = {
${[...layout].map(([key, { id, toAelang }]) => `    ${JSON.stringify(key)}: (${JSON.stringify(id)}, ${JSON.stringify(toAelang)}),`).join('\n')}
}
# Recurrent layers: nn.LSTM / nn.GRU hold gate-major weights in PyTorch's gate order; aelang keeps
# Keras's (kernel [in, G*units], recurrent_kernel [units, G*units], LSTM gates i, f, c, o, GRU z, r,
# h; LSTM bias [4*units], GRU bias [2, 3*units] = input, recurrent). ORDER[b] is the Keras gate of
# PyTorch's gate block b.
AELANG_RECURRENT = {
${[...recurrent].map(([attribute, r]) => `    ${JSON.stringify(attribute)}: (${JSON.stringify(r.kind)}, ${JSON.stringify(GATE_ORDER.pytorch[r.kind])}, ${pyValue(r.ids)}),`).join('\n')}
}
${helpers.length ? `\n\n${helpers.join('\n\n\n')}\n` : ''}

class ${name}(nn.Module):
    """${ir.model} as aelang defines it: images NCHW (aelang's are NHWC), tied layers reading one parameter."""

    def __init__(self):
        super().__init__()
${indent(init)}

${methods.join('\n\n')}


def read_safetensors(path, metadata=False):
    """The tensors of a safetensors file: an 8-byte little-endian header size, a JSON header, the data
    (and the header's __metadata__ with metadata=True)."""
    with open(path, 'rb') as f:
        data = f.read()
    size = int.from_bytes(data[:8], 'little')
    header = json.loads(data[8 : 8 + size])
    meta = header.pop('__metadata__', None) or {}
    dtypes = {'F32': np.float32, 'F64': np.float64, 'I32': np.int32, 'I64': np.int64}
    tensors = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        array = np.frombuffer(data, dtype=dtypes[info['dtype']], count=(end - begin) // np.dtype(dtypes[info['dtype']]).itemsize, offset=8 + size + begin)
        tensors[name] = torch.from_numpy(array.reshape(info['shape']).copy())
    return (tensors, meta) if metadata else tensors


def write_safetensors(path, tensors, metadata=None):
    """Writes float32 tensors (name → array) as safetensors, sorted by name, through a temporary file
    renamed into place (a crash leaves the old file or the new one)."""
    names = sorted(tensors)
    arrays = [np.ascontiguousarray(np.asarray(tensors[name], dtype='<f4')) for name in names]
    header, offset = {}, 0
    if metadata:
        header['__metadata__'] = {str(k): str(v) for k, v in metadata.items()}
    for name, array in zip(names, arrays):
        header[name] = {'dtype': 'F32', 'shape': list(array.shape), 'data_offsets': [offset, offset + array.nbytes]}
        offset += array.nbytes
    encoded = json.dumps(header).encode()
    encoded += b' ' * (-len(encoded) % 8)
    temporary = f'{path}.{os.getpid()}.tmp'
    with open(temporary, 'wb') as f:
        f.write(len(encoded).to_bytes(8, 'little'))
        f.write(encoded)
        for array in arrays:
            f.write(array.tobytes())
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def keras_gates(matrix, order):
    """A PyTorch gate-major matrix [G*units, n] as Keras's [n, G*units] in Keras's gate order."""
    blocks = matrix.chunk(len(order), 0)
    return torch.cat([blocks[order.index(gate)] for gate in range(len(order))], 0).t()


def torch_gates(matrix, order):
    """A Keras matrix [n, G*units] as PyTorch's gate-major [G*units, n] in PyTorch's gate order."""
    blocks = matrix.t().chunk(len(order), 0)
    return torch.cat([blocks[gate] for gate in order], 0)


def aelang_tensors(model):
    """The module's weights under aelang's parameter ids, in aelang's layouts (float32 arrays)."""
    state = model.state_dict()
    tensors = {key_id: state[key].detach().cpu().permute(*axes).contiguous() for key, (key_id, axes) in AELANG_PARAMETERS.items()}
    for name, (kind, order, ids) in AELANG_RECURRENT.items():
        weight = lambda key: state[f'{name}.{key}'].detach().cpu()
        tensors[ids['kernel']] = keras_gates(weight('weight_ih_l0'), order)
        tensors[ids['recurrent_kernel']] = keras_gates(weight('weight_hh_l0'), order)
        biases = [keras_gates(weight(key)[:, None], order)[0] for key in ('bias_ih_l0', 'bias_hh_l0')]
        # Keras's LSTM adds one bias where PyTorch adds two; its GRU keeps both (reset after).
        tensors[ids['bias']] = biases[0] + biases[1] if kind == 'lstm' else torch.stack(biases)
    return {key_id: tensor.contiguous().numpy() for key_id, tensor in tensors.items()}


def save_aelang(model, path, **metadata):
    """Writes the weights as aelang stores them, for \`ae import\`."""
    write_safetensors(path, aelang_tensors(model), {'format': 'aelang', 'model': ${JSON.stringify(ir.model)}, **metadata})


def from_aelang(tensors):
    """A state_dict from tensors under aelang's parameter ids and layouts."""
    state = {}
    for key, (key_id, axes) in AELANG_PARAMETERS.items():
        if key_id not in tensors:
            raise ValueError(f'no tensor {key_id!r} (aelang parameter of {key})')
        state[key] = tensors[key_id].permute(*[axes.index(axis) for axis in range(len(axes))]).contiguous()
    for name, (kind, order, ids) in AELANG_RECURRENT.items():
        missing = [i for i in ids.values() if i not in tensors]
        if missing:
            raise ValueError(f'no tensor {missing[0]!r} (aelang parameter of {name})')
        state[f'{name}.weight_ih_l0'] = torch_gates(tensors[ids['kernel']], order)
        state[f'{name}.weight_hh_l0'] = torch_gates(tensors[ids['recurrent_kernel']], order)
        bias = tensors[ids['bias']]
        rows = [bias, torch.zeros_like(bias)] if kind == 'lstm' else [bias[0], bias[1]]
        state[f'{name}.bias_ih_l0'], state[f'{name}.bias_hh_l0'] = (torch_gates(row[None, :], order)[:, 0].contiguous() for row in rows)
    return state


def load(path=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'weights.safetensors')):
    """The model with the weights of \`path\` (this directory's, or train.py's result in aelang's
    format), in eval mode."""
    model = ${name}()
    tensors, metadata = read_safetensors(path, metadata=True)
    if metadata.get('format') == 'aelang':
        tensors = from_aelang(tensors)
    missing = [k for k in model.state_dict() if k not in tensors and not k.endswith('num_batches_tracked')]
    if missing:
        raise ValueError(f'{path} has no tensor for {", ".join(missing)}')
    model.load_state_dict(tensors, strict=False)
    return model.eval()
`;
  return { source, className: name, state, layout, decodes: decoder !== undefined, labels: labelsOf(everything) };
}

/** A JSON-like value as a Python literal. */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pyValue(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}

/** A table model's columns and, when the run's is known, its row encoding (table.json). */
function tableConstants(data: IRInput, table: TableEncoding | undefined): string {
  if (data.kind !== 'table') return 'TABLE_COLUMNS = None\nTABLE = None';
  if (table) checkTableEncoding(data, table);
  return `# The table's columns, and how a CSV row becomes the encoded row x: each numeric column (v - mean) / std,
# each categorical one one-hot over its levels (the run's table.json${table ? '' : '; None: fitted on the training data by train.py, as ae train fits it'}).
TABLE_COLUMNS = ${pyValue(data.columns)}
TABLE = ${table ? pyValue(table) : 'None'}`;
}
