// The common end of every reader: raw samples (whatever shape and numeric type the file had) are
// checked against the model's input and turned into a Dataset of float32 values in the declared range.
//
// Scaling rule (one place, so every format behaves the same):
// - 8-bit unsigned data (IDX ubyte, npy uint8, MNIST) is pixel data: 0..255 maps linearly onto the
//   declared range, [0, 1] when the input declares none.
// - Everything else is taken as values. Values inside the declared range stay as they are. Values
//   outside it are an error, except integer data that lies within 0..255 (a CSV of raw pixels),
//   which is read as 8-bit pixel data. Without a declared range values stay as they are.
// Silently min-max scaling arbitrary floats would hide a wrong file or a wrong range declaration.

import type { IRInput } from '../../ir/types.js';
import { DataError, formatShape, product } from './errors.js';

export interface Dataset {
  name: string;
  count: number;
  /** The input's shape without the batch dimension: [28, 28, 1]. */
  sampleShape: number[];
  /** count × product(sampleShape) values, sample after sample, in the input's range. */
  x: Float32Array;
  labels?: Int32Array;
}

/** What a reader hands over: the samples as stored in the file. */
export interface RawSamples {
  /** The file (or data set name) for messages. */
  file: string;
  /** 'uint8' selects pixel scaling; 'values' the range check. */
  kind: 'uint8' | 'values';
  count: number;
  /** One sample's shape as stored: [28, 28] for MNIST. */
  sampleShape: number[];
  values: ArrayLike<number>;
}

/** Labels as read, before they are checked against the label input's classes. */
export interface RawLabels {
  file: string;
  /** How many labels the file holds in total (before any limit), compared with the samples' total. */
  total: number;
  values: ArrayLike<number>;
}

const RANGE_TOLERANCE = 1e-6;

/** The input's sample shape, with at most one unknown dimension filled in from the data. */
export function resolveSampleShape(input: IRInput, raw: { file: string; sampleShape: number[] }, where: string): number[] {
  const declared = input.shape.slice(1);
  const stored = product(raw.sampleShape);
  const known = declared.filter((d): d is number => d !== null);
  const unknownCount = declared.length - known.length;
  const mismatch = (): DataError =>
    new DataError(
      `${raw.file}: ${where} has shape ${formatShape(raw.sampleShape)} (${stored} values) but input '${input.name}' ` +
        `expects ${formatShape(declared)}${unknownCount === 0 ? ` (${product(known)} values)` : ''}`,
    );
  if (unknownCount === 0) {
    if (product(known) !== stored) throw mismatch();
    return known;
  }
  const knownSize = product(known);
  if (unknownCount > 1 || knownSize === 0 || stored % knownSize !== 0) throw mismatch();
  return declared.map((d) => (d === null ? stored / knownSize : d));
}

/** Checks the samples against the input and scales them into its range. */
export function toDataset(name: string, raw: RawSamples, input: IRInput, where = 'sample 1'): Dataset {
  if (raw.count === 0) throw new DataError(`${raw.file}: holds no samples; training and evaluation need at least one`);
  const sampleShape = resolveSampleShape(input, raw, where);
  checkFinite(raw);
  const x = new Float32Array(raw.count * product(sampleShape));
  if (x.length !== raw.values.length) {
    throw new DataError(`${raw.file}: holds ${raw.values.length} values, expected ${raw.count} samples × ${product(sampleShape)}`);
  }
  if (raw.kind === 'uint8' || (input.range && readsAsPixels(raw.values, input.range))) {
    scalePixels(raw.values, x, input.range ?? [0, 1]);
  } else {
    if (input.range) checkInRange(raw, input.range, input.name);
    for (let i = 0; i < x.length; i++) x[i] = raw.values[i];
  }
  return { name, count: raw.count, sampleShape, x };
}

function scalePixels(values: ArrayLike<number>, out: Float32Array, [low, high]: [number, number]): void {
  const step = (high - low) / 255;
  for (let i = 0; i < out.length; i++) out[i] = low + values[i] * step;
}

/** Integer data within 0..255 that does not fit the range as it is: raw pixels in a text file. */
function readsAsPixels(values: ArrayLike<number>, [low, high]: [number, number]): boolean {
  let outside = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v > 255) return false;
    if (v < low - RANGE_TOLERANCE || v > high + RANGE_TOLERANCE) outside = true;
  }
  return outside;
}

/** NaN or ±Infinity anywhere is refused before training, naming the file, the sample (1-based) and
 *  the value's place in it: otherwise it would surface later as a NaN loss blamed on the learning rate. */
function checkFinite(raw: RawSamples): void {
  const values = raw.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) continue;
    const size = product(raw.sampleShape);
    throw new DataError(`${raw.file}: sample ${Math.floor(i / size) + 1} holds ${v} (value ${(i % size) + 1} of ${size}); the data must be finite`);
  }
}

function checkInRange(raw: RawSamples, [low, high]: [number, number], inputName: string): void {
  let min = Infinity;
  let max = -Infinity;
  let firstOutside = -1;
  for (let i = 0; i < raw.values.length; i++) {
    const v = raw.values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (firstOutside < 0 && (v < low - RANGE_TOLERANCE || v > high + RANGE_TOLERANCE)) firstOutside = i;
  }
  if (firstOutside >= 0) {
    const sample = Math.floor(firstOutside / product(raw.sampleShape)) + 1;
    throw new DataError(
      `${raw.file}: values lie in [${min}, ${max}] (first outside at sample ${sample}), outside the range ` +
        `[${low}, ${high}] declared by input '${inputName}'; rescale the data or declare the range it has`,
    );
  }
}

/** Checks labels against the samples and the label input, and returns them as int32. */
export function toLabels(labels: RawLabels, samplesTotal: number, samplesFile: string, count: number, labelInput?: IRInput): Int32Array {
  if (labels.total !== samplesTotal) {
    throw new DataError(`${labels.file}: holds ${labels.total} labels but ${samplesFile} holds ${samplesTotal} samples`);
  }
  const classes = labelInput?.classes;
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.values[i];
    if (!Number.isInteger(label) || label < 0) {
      throw new DataError(`${labels.file}: label ${i + 1} is ${label}; labels are class indices 0, 1, 2, ...`);
    }
    if (classes !== undefined && label >= classes) {
      throw new DataError(
        `${labels.file}: label ${i + 1} is ${label} but input '${labelInput!.name}' has ${classes} classes (0..${classes - 1})`,
      );
    }
    out[i] = label;
  }
  return out;
}
