// A request's samples, checked against the model's input before anything runs: each sample is the
// input's shape as nested JSON arrays (or, flat, as many numbers as the shape holds), every value a
// finite number inside the declared range. A mistake is a 4xx naming the sample and the place in it.
import type { IRInput } from '../../ir/types.js';
import type { InMemoryDataset } from '../data/index.js';
import { ServeError } from './serve-error.js';

/** As the data readers allow (runtime/data/dataset.ts): float32 rounding at the range's ends. */
const RANGE_TOLERANCE = 1e-6;

export interface SampleLimits {
  /** The most samples one request may send. */
  maxBatch: number;
}

/** `body.inputs` as a data set of the input's shape and range. */
export function requestSamples(body: unknown, input: IRInput, limits: SampleLimits): InMemoryDataset {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('inputs' in body)) {
    throw new ServeError(400, 'the body must be a JSON object with "inputs": a list of samples');
  }
  const inputs = (body as { inputs: unknown }).inputs;
  if (!Array.isArray(inputs)) throw new ServeError(400, '"inputs" must be a list of samples');
  if (inputs.length === 0) throw new ServeError(400, '"inputs" holds no samples');
  if (inputs.length > limits.maxBatch) throw new ServeError(413, `"inputs" holds ${inputs.length} samples; this server takes at most ${limits.maxBatch} per request`);
  const shape = resolveShape(input, inputs[0]);
  const size = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(inputs.length * size);
  const range = input.range;
  inputs.forEach((sample, index) => {
    const where = `inputs[${index}]`;
    const flat = Array.isArray(sample) && shape.length > 1 && sample.length === size && sample.every((v) => !Array.isArray(v));
    const values: unknown[] = [];
    if (flat) values.push(...(sample as unknown[]));
    else collect(sample, shape, 0, where, values);
    values.forEach((value, i) => {
      const at = flat || shape.length === 1 ? `${where}[${i}]` : `${where}${position(i, shape)}`;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ServeError(400, `${at}: ${JSON.stringify(value)} is not a finite number`);
      if (range && (value < range[0] - RANGE_TOLERANCE || value > range[1] + RANGE_TOLERANCE)) {
        throw new ServeError(422, `${at}: ${value} lies outside input '${input.name}''s range [${range[0]}, ${range[1]}]`);
      }
      x[index * size + i] = value;
    });
  });
  return { name: 'request', count: inputs.length, sampleShape: shape, x };
}

/** The input's sample shape; an unknown dimension takes the first sample's length there. */
function resolveShape(input: IRInput, first: unknown): number[] {
  const declared = input.shape.slice(1);
  let level: unknown = first;
  return declared.map((d) => {
    const length = Array.isArray(level) ? level.length : 0;
    level = Array.isArray(level) ? level[0] : undefined;
    if (d !== null) return d;
    if (length === 0) throw new ServeError(400, `inputs[0]: input '${input.name}' has an unknown dimension, which the first sample must give as a non-empty list`);
    return length;
  });
}

function collect(value: unknown, shape: number[], depth: number, where: string, out: unknown[]): void {
  if (depth === shape.length) {
    out.push(value);
    return;
  }
  const expected = shape.slice(depth);
  if (!Array.isArray(value)) {
    throw new ServeError(400, `${where}: expected a list of shape [${expected.join(', ')}], got ${describe(value)}`);
  }
  if (value.length !== shape[depth]) {
    const whole = depth === 0 ? ` (or ${shape.reduce((a, b) => a * b, 1)} numbers, flat)` : '';
    throw new ServeError(400, `${where}: expected ${shape[depth]} entries (shape [${expected.join(', ')}]${whole}), got ${value.length}`);
  }
  value.forEach((item, i) => collect(item, shape, depth + 1, `${where}[${i}]`, out));
}

function position(flatIndex: number, shape: number[]): string {
  const parts: number[] = [];
  let rest = flatIndex;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    parts.unshift(rest % shape[axis]!);
    rest = Math.floor(rest / shape[axis]!);
  }
  return parts.map((p) => `[${p}]`).join('');
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'number' ? `the number ${value}` : typeof value;
}

/** Values of [count, ...shape] as one nested list per sample. */
export function nestedSamples(values: Float32Array, shape: number[]): unknown[] {
  const [count, ...sample] = shape;
  const size = sample.reduce((a, b) => a * b, 1);
  return Array.from({ length: count! }, (_, i) => nest(values.subarray(i * size, (i + 1) * size), sample));
}

function nest(values: Float32Array, shape: number[]): unknown {
  if (shape.length === 0) return values[0];
  if (shape.length === 1) return Array.from(values);
  const step = values.length / shape[0]!;
  return Array.from({ length: shape[0]! }, (_, i) => nest(values.subarray(i * step, (i + 1) * step), shape.slice(1)));
}
