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
//
// The rule needs facts about every value (is any outside the range? are all of them pixels?), so
// it is split in two: a ValueScan gathers them in one pass, in chunks when a file is streamed, and
// its Scaling then converts any sample on its own. A streamed data set and one held in memory are
// checked by the same code, give the same messages and hold bit-identical values.

import type { IRInput } from '../../ir/types.js';
import { DataError, formatShape, product } from './errors.js';
import type { SampleStream } from './samples.js';
import type { SeriesWindows } from './windows.js';
import type { TableEncoding } from './table.js';

interface DatasetCommon {
  name: string;
  count: number;
  /** The input's shape without the batch dimension: [28, 28, 1]. */
  sampleShape: number[];
  labels?: Int32Array;
  /** Windows of a series (`csv(..., window = t)`): how they were cut and standardised. */
  series?: SeriesWindows;
  /** A table's rows: how they were encoded (fitted on this data, or the training data's). */
  table?: TableEncoding;
}

/** Every sample in memory. */
export interface InMemoryDataset extends DatasetCommon {
  /** count × product(sampleShape) values, sample after sample, in the input's range. */
  x: Float32Array;
  stream?: never;
}

/** Samples read from a file when a batch needs them (a data set too large to hold; docs/data.md). */
export interface StreamedDataset extends DatasetCommon {
  stream: SampleStream;
  x?: never;
}

/** Read samples through runtime/data/samples.ts (readSamples, sampleRange), which serves both kinds. */
export type Dataset = InMemoryDataset | StreamedDataset;

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
export function toDataset(name: string, raw: RawSamples, input: IRInput, where = 'sample 1'): InMemoryDataset {
  if (raw.count === 0) throw new DataError(`${raw.file}: holds no samples; training and evaluation need at least one`);
  const sampleShape = resolveSampleShape(input, raw, where);
  const x = new Float32Array(raw.count * product(sampleShape));
  if (x.length !== raw.values.length) {
    throw new DataError(`${raw.file}: holds ${raw.values.length} values, expected ${raw.count} samples × ${product(sampleShape)}`);
  }
  let scaling: Scaling;
  if (raw.kind === 'uint8') {
    scaling = pixelScaling(input.range);
  } else {
    const scan = new ValueScan(raw.file, x.length / raw.count, input.range);
    scan.add(raw.values, raw.values.length);
    scaling = scan.scaling(input.name);
  }
  convertValues(raw.values, x.length, x, 0, scaling);
  return { name, count: raw.count, sampleShape, x };
}

/** How stored values become the input's float32 values: pixels map 0..255 linearly onto the
 *  range (low + v·step); values are kept (rounded to float32). */
export type Scaling = { kind: 'pixels'; low: number; step: number } | { kind: 'values' };

export function pixelScaling([low, high]: [number, number] = [0, 1]): Scaling {
  return { kind: 'pixels', low, step: (high - low) / 255 };
}

/** Writes `length` converted values from `values` into `out` at `offset` (`out` may be `values`). */
export function convertValues(values: ArrayLike<number>, length: number, out: Float32Array, offset: number, scaling: Scaling): void {
  if (scaling.kind === 'pixels') {
    const { low, step } = scaling;
    for (let i = 0; i < length; i++) out[offset + i] = low + values[i]! * step;
  } else {
    for (let i = 0; i < length; i++) out[offset + i] = values[i]!;
  }
}

/** Gathers, value after value (in as many calls as the reader likes), what the scaling rule needs:
 *  the first value that is not finite (an error at once), the extremes, the first value outside the
 *  declared range, and whether every value is an integer within 0..255. */
export class ValueScan {
  private seen = 0;
  private min = Infinity;
  private max = -Infinity;
  private firstOutside = -1;
  private allPixels = true;
  private readonly low: number;
  private readonly high: number;

  constructor(
    private readonly file: string,
    private readonly sampleSize: number,
    private readonly range?: [number, number],
  ) {
    this.low = range ? range[0] - RANGE_TOLERANCE : -Infinity;
    this.high = range ? range[1] + RANGE_TOLERANCE : Infinity;
  }

  /** NaN or ±Infinity anywhere is refused before training, naming the file, the sample (1-based) and
   *  the value's place in it: otherwise it would surface later as a NaN loss blamed on the learning rate. */
  add(values: ArrayLike<number>, length: number): void {
    const { low, high } = this;
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        const index = this.seen + i;
        const size = this.sampleSize;
        throw new DataError(`${this.file}: sample ${Math.floor(index / size) + 1} holds ${v} (value ${(index % size) + 1} of ${size}); the data must be finite`);
      }
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      if (this.firstOutside < 0 && (v < low || v > high)) this.firstOutside = this.seen + i;
      if (this.allPixels && (!Number.isInteger(v) || v < 0 || v > 255)) this.allPixels = false;
    }
    this.seen += length;
  }

  /** The scaling the rule picks for every value added; values outside the range are an error,
   *  unless they are all integers within 0..255 (raw pixels in a text file). */
  scaling(inputName: string): Scaling {
    if (!this.range || this.firstOutside < 0) return { kind: 'values' };
    if (this.allPixels) return pixelScaling(this.range);
    const [low, high] = this.range;
    const sample = Math.floor(this.firstOutside / this.sampleSize) + 1;
    throw new DataError(
      `${this.file}: values lie in [${this.min}, ${this.max}] (first outside at sample ${sample}), outside the range ` +
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
