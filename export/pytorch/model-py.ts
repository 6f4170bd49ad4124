// DIR/model.py: the model as an nn.Module (encode, decode when the decoder needs only the code,
// forward, and `values` for the objective in train.py), and load() reading DIR/weights.safetensors
// with torch and numpy only.
import type { IRModel, Shape } from '../../ir/types.js';
import { selectPart } from '../parts.js';
import { ExportError, type WeightTensor, type Weights } from '../weights.js';
import { HELPERS, layers, type PyContext, type PyLowering } from './layers.js';

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
  /** Whether the module has decode(z). */
  decodes: boolean;
}

export function modelPy(ir: IRModel, weights: Weights, header: string): ModelCode {
  const shapes = new Map<string, Shape>([...ir.inputs.map((i) => [i.name, i.shape] as const), ...ir.nodes.map((n) => [n.id, n.shape] as const)]);
  const state = new Map<string, WeightTensor>();
  const ctx: PyContext = {
    ir,
    weights,
    variable: pythonName,
    attribute: pythonName,
    rank: (id) => shapes.get(id)?.length ?? 2,
    shape: (id) => shapes.get(id) ?? [],
    state: (key, tensor) => void state.set(key, tensor),
    switches: new Map(),
  };
  const lowered = new Map<string, PyLowering>();
  for (const node of ir.nodes) {
    const lower = layers[node.op] as (node: unknown, ctx: PyContext) => PyLowering;
    if (!lower) throw new ExportError(`node '${node.id}': op '${node.op}' does not export to PyTorch`);
    lowered.set(node.id, lower(node, ctx));
  }
  const data = ir.inputs.find((i) => i.kind === 'tensor')!;
  const x = pythonName(data.name);
  const code = pythonName(ir.outputs.latent);
  const recon = pythonName(ir.outputs.reconstruction);
  const linesOf = (ids: { id: string }[]) => ids.flatMap(({ id }) => lowered.get(id)!.forward);
  const indent = (lines: string[], depth = 2) => lines.map((l) => `${'    '.repeat(depth)}${l}`).join('\n');

  const encoder = selectPart(ir, 'encoder').nodes;
  let decoder: { id: string }[] | undefined;
  try {
    decoder = selectPart(ir, 'decoder').nodes;
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
  }
  const everything = ir.nodes;
  const side = Object.assign({}, ...ir.nodes.map((n) => lowered.get(n.id)!.side ?? {})) as Record<string, string>;
  const named = [...ir.inputs.filter((i) => i.kind === 'tensor').map((i) => [i.name, pythonName(i.name)]), ...ir.nodes.map((n) => [n.id, pythonName(n.id)]), ...Object.entries(side)];
  const helpers = [...new Set(ir.nodes.flatMap((n) => lowered.get(n.id)!.helpers ?? []))].map((h) => HELPERS[h]!);
  const image = data.shape.length === 4;
  const inputDoc = image ? `x: [batch, ${data.shape[3]}, ${data.shape[1]}, ${data.shape[2]}] (NCHW)` : `x: [batch, ${data.shape.slice(1).join(', ')}]`;
  const name = className(ir.model);

  const methods = [
    `    def encode(self, ${x}):
        """The code of ${inputDoc}."""
${indent(linesOf(encoder))}
        return ${code}`,
    ...(decoder
      ? [
          `    def decode(self, ${code}):
        """The reconstruction of a code."""
${indent(linesOf(decoder))}
        return ${recon}`,
          `    def forward(self, ${x}):
        """The reconstruction of ${inputDoc}."""
        return self.decode(self.encode(${x}))`,
        ]
      : [
          `    def forward(self, ${x}):
        """The reconstruction of ${inputDoc}."""
${indent(linesOf(selectPart(ir, 'model').nodes))}
        return ${recon}`,
        ]),
    `    def values(self, ${x}):
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
${helpers.length ? `\n\n${helpers.join('\n\n\n')}\n` : ''}

class ${name}(nn.Module):
    """${ir.model} as aelang defines it: images NCHW (aelang's are NHWC), tied layers reading one parameter."""

    def __init__(self):
        super().__init__()
${indent(init)}

${methods.join('\n\n')}


def read_safetensors(path):
    """The tensors of a safetensors file: an 8-byte little-endian header size, a JSON header, the data."""
    with open(path, 'rb') as f:
        data = f.read()
    size = int.from_bytes(data[:8], 'little')
    header = json.loads(data[8 : 8 + size])
    header.pop('__metadata__', None)
    dtypes = {'F32': np.float32, 'F64': np.float64, 'I32': np.int32, 'I64': np.int64}
    tensors = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        array = np.frombuffer(data, dtype=dtypes[info['dtype']], count=(end - begin) // np.dtype(dtypes[info['dtype']]).itemsize, offset=8 + size + begin)
        tensors[name] = torch.from_numpy(array.reshape(info['shape']).copy())
    return tensors


def load(path=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'weights.safetensors')):
    """The model with the trained weights, in eval mode."""
    model = ${name}()
    tensors = read_safetensors(path)
    missing = [k for k in model.state_dict() if k not in tensors and not k.endswith('num_batches_tracked')]
    if missing:
        raise ValueError(f'{path} has no tensor for {", ".join(missing)}')
    model.load_state_dict(tensors, strict=False)
    return model.eval()
`;
  return { source, className: name, state, decodes: decoder !== undefined };
}
