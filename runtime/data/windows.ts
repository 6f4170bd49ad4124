// A multivariate series (CSV rows = steps, columns = channels) as windows: `csv(path, window = t,
// stride = s)` gives one sample [t, c] per window of t consecutive rows, s rows apart. Each channel
// is standardised with the mean and standard deviation of the training series; the run stores
// them (SERIES_FILE) and every later read of data for that run applies the stored ones, so a
// window is encoded and scored on the scale the model was trained on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IRInput } from '../../ir/types.js';
import { readCsv, type CsvOptions } from './csv.js';
import type { InMemoryDataset } from './dataset.js';
import { DataError, formatShape } from './errors.js';

/** The run's record of the training series' scale, beside its weights. */
export const SERIES_FILE = 'series.json';

export interface ChannelStatistics {
  mean: number[];
  /** Population standard deviations; a constant channel has 1 (its values become 0, not NaN). */
  std: number[];
}

/** Where a data set's windows came from: per-step scores map back to the series' rows with it. */
export interface SeriesWindows {
  window: number;
  stride: number;
  /** Rows (steps) in the series. */
  steps: number;
  statistics: ChannelStatistics;
}

export function channelStatistics(values: ArrayLike<number>, steps: number, channels: number): ChannelStatistics {
  const mean = new Array<number>(channels).fill(0);
  const squares = new Array<number>(channels).fill(0);
  for (let s = 0; s < steps; s++) for (let c = 0; c < channels; c++) mean[c]! += values[s * channels + c]!;
  for (let c = 0; c < channels; c++) mean[c]! /= steps;
  for (let s = 0; s < steps; s++) {
    for (let c = 0; c < channels; c++) {
      const d = values[s * channels + c]! - mean[c]!;
      squares[c]! += d * d;
    }
  }
  const std = squares.map((sum) => Math.sqrt(sum / steps) || 1);
  return { mean, std };
}

/** How many windows of `window` steps, `stride` apart, a series of `steps` rows holds. */
export function windowCount(steps: number, window: number, stride: number): number {
  return steps < window ? 0 : Math.floor((steps - window) / stride) + 1;
}

/** The standardised windows, window after window ([count, window, channels] row-major). */
export function cutWindows(values: ArrayLike<number>, channels: number, layout: SeriesWindows, limit?: number): Float32Array {
  const { window, stride, steps, statistics } = layout;
  const count = Math.min(windowCount(steps, window, stride), limit ?? Infinity);
  const out = new Float32Array(count * window * channels);
  for (let w = 0; w < count; w++) {
    for (let s = 0; s < window; s++) {
      const row = (w * stride + s) * channels;
      const at = (w * window + s) * channels;
      for (let c = 0; c < channels; c++) out[at + c] = (values[row + c]! - statistics.mean[c]!) / statistics.std[c]!;
    }
  }
  return out;
}

/** A window's label: the largest label of its rows (with 0/1 labels: anomalous when any row is). */
export function windowLabels(labels: ArrayLike<number>, layout: SeriesWindows, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let w = 0; w < count; w++) {
    let label = -Infinity;
    for (let s = 0; s < layout.window; s++) label = Math.max(label, labels[w * layout.stride + s]!);
    out[w] = label;
  }
  return out;
}

export interface WindowOptions {
  window: number;
  stride: number;
  limit?: number;
  /** The training series' statistics (a run's, or the training data's for its validation data);
   *  absent: this series' own (it is the training data). */
  statistics?: ChannelStatistics;
}

/** Reads a CSV series and cuts it into standardised windows, checked against a [t, c] input. */
export async function loadCsvWindows(path: string, file: string, csv: CsvOptions, input: IRInput, options: WindowOptions): Promise<InMemoryDataset> {
  const { window, stride } = options;
  const declared = input.shape.slice(1);
  if (declared.length !== 2 || (declared[0] !== null && declared[0] !== window)) {
    throw new DataError(`${file}: windows of ${window} steps do not fit input '${input.name}' ${formatShape(declared)}; a window is a sequence [${window}, channels]`);
  }
  const table = await readCsv(path, { ...csv, name: file });
  const channels = table.columns;
  if (declared[1] !== null && declared[1] !== channels) {
    throw new DataError(`${file}: the series has ${channels} channel(s) (columns besides the label), but input '${input.name}' is ${formatShape(declared)}`);
  }
  if (table.count < window) {
    throw new DataError(`${file}: the series has ${table.count} step(s) (rows), fewer than one window of ${window}; use a shorter window or a longer series`);
  }
  const statistics = options.statistics ?? channelStatistics(table.values, table.count, channels);
  if (statistics.mean.length !== channels) {
    throw new DataError(`${file}: the series has ${channels} channel(s), but the run was trained on ${statistics.mean.length}`);
  }
  const series: SeriesWindows = { window, stride, steps: table.count, statistics };
  const x = cutWindows(table.values, channels, series, options.limit);
  const count = x.length / (window * channels);
  const dataset: InMemoryDataset & { series: SeriesWindows } = { name: file, count, sampleShape: [window, channels], x, series };
  if (table.labels) dataset.labels = windowLabels(table.labels, series, count);
  return dataset;
}

/** What later reads of a run's data take from its training series. */
export type RecordedSeries = Pick<SeriesWindows, 'window' | 'stride' | 'statistics'>;

/** The windows and channel statistics a run recorded (SERIES_FILE), if it trained on a series. */
export async function recordedSeries(runDir: string): Promise<RecordedSeries | undefined> {
  let text: string;
  try {
    text = await readFile(join(runDir, SERIES_FILE), 'utf8');
  } catch {
    return undefined; // not a series model (or a run from before series were recorded)
  }
  const recorded = JSON.parse(text) as Partial<SeriesWindows>;
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
  const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (!whole(recorded.window) || !whole(recorded.stride) || !recorded.statistics || !numbers(recorded.statistics.mean) || !numbers(recorded.statistics.std)) {
    throw new DataError(`${join(runDir, SERIES_FILE)}: not a record of a series' windows (window, stride, and mean and std per channel)`);
  }
  return { window: recorded.window, stride: recorded.stride, statistics: recorded.statistics };
}
