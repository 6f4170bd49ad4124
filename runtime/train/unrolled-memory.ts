// The memory a training step of a recurrent layer holds, estimated before training, and a step that
// cannot fit refused in one line (issue 22). The runtime unrolls an lstm or gru over its steps
// (runtime/program/ops/recurrent.ts; the onnx engine unrolls too): every step's tensors stay on the
// gradient tape until the backward pass, and 100,000 steps of an lstm ran Node's 4 GB heap out and
// aborted the process. Measured on the tfjs cpu backend, one step of a layer of u units over a batch
// of b holds about
//   64 KB (the step's tensor objects and tape entries, whatever their size)
//   + 188 bytes × b × u (its gates, states and their gradients)
//   + 4 bytes × G × u² (its share of the recurrent kernel's gradient; G = 4 gates for lstm, 3 for gru)
// (`lstm(4)` on [2000, 1], batch 2: 63 KB a step; batch 32: 88 KB; `lstm(64)`, batch 2: 148 KB;
// batch 32: 508 KB). The tensor objects live on the JavaScript heap, whose limit aborts the process
// when reached, so the estimate is held to that limit.
import { getHeapStatistics } from 'node:v8';
import { parameterShapes } from '../../ir/op-rules.js';
import type { IRModel, IROp } from '../../ir/types.js';

const STEP_OVERHEAD_BYTES = 64 * 1024;
const BYTES_PER_STATE_VALUE = 188;
const FLOAT_BYTES = 4;

export interface UnrolledLayer {
  node: string;
  op: IROp;
  steps: number;
  units: number;
  bytes: number;
}

/** Each recurrent node of the IR with the bytes one training step over `batch` samples holds for it. */
export function unrolledLayers(ir: IRModel, batch: number): UnrolledLayer[] {
  const shapes = new Map<string, readonly (number | null)[]>();
  for (const input of ir.inputs) shapes.set(input.name, input.shape);
  for (const node of ir.nodes) shapes.set(node.id, node.shape);
  const layers: UnrolledLayer[] = [];
  for (const node of ir.nodes) {
    // A recurrent op is one with a recurrent kernel [u, G·u] (the registry's parameter rule).
    const input = shapes.get(node.inputs[0] ?? '');
    const channels = input?.[input.length - 1];
    if (input === undefined || input.length !== 3 || typeof channels !== 'number') continue;
    const recurrentKernel = parameterShapes(node.op, node.attrs, channels).recurrent_kernel;
    const steps = input[1];
    if (recurrentKernel === undefined || typeof steps !== 'number' || steps <= 0) continue;
    const [units, gateUnits] = recurrentKernel as [number, number];
    const perStep = STEP_OVERHEAD_BYTES + BYTES_PER_STATE_VALUE * batch * units + FLOAT_BYTES * units * gateUnits;
    layers.push({ node: node.id, op: node.op, steps, units, bytes: steps * perStep });
  }
  return layers;
}

/** The JavaScript heap's limit, in bytes: what the unrolled tensors' objects must fit in. */
export function heapLimit(): number {
  return getHeapStatistics().heap_size_limit;
}

/** Why a training step over `batch` samples cannot fit in `limit` bytes, in one line; undefined when it can. */
export function unrolledRefusal(ir: IRModel, batch: number, limit: number = heapLimit()): string | undefined {
  const layers = unrolledLayers(ir, batch);
  const total = layers.reduce((sum, layer) => sum + layer.bytes, 0);
  if (total <= limit || layers.length === 0) return undefined;
  const largest = layers.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
  return (
    `cannot train ${ir.model}: \`${largest.op}\` ${largest.node} unrolls ${largest.steps.toLocaleString('en-US')} steps, and one training step over a batch of ${batch} ` +
    `would hold about ${gb(total)}, more than the ${gb(limit)} this process can hold; read the series in shorter windows ` +
    `(\`input x: [100, c]\` with \`csv(path, window = 100)\`) or shorten it before the ${largest.op} (a strided conv1d or a maxpool)`
  );
}
