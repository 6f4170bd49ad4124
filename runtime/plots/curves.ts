// Training curves: the loss per epoch for training and validation data, and below it every other
// number the run recorded per epoch (the objective's terms, validation metrics), one column per
// phase. The data is metrics.jsonl as the trainer writes it, in long form (one row per value).
import { CHART_CONFIG, type ChartSpec } from './render.js';

/** One line of metrics.jsonl: the fields every line has, and any other numbers recorded. */
export interface MetricsRecord {
  phase: string;
  epoch: number;
  loss: number;
  val_loss?: number | null;
  terms?: Record<string, number>;
  [field: string]: unknown;
}

interface Point {
  phase: string;
  epoch: number;
  series: string;
  value: number;
}

/** Fields that are not curves: the step counter, timings, and the learning rate (a setting the
 *  trainer records, not a measurement of the model). */
const NOT_CURVES = new Set(['phase', 'epoch', 'step', 'seconds', 'lr', 'loss', 'val_loss', 'terms', 'metrics']);

export function curvePoints(records: readonly MetricsRecord[]): { losses: Point[]; metrics: Point[] } {
  const losses: Point[] = [];
  const metrics: Point[] = [];
  for (const r of records) {
    const at = { phase: r.phase, epoch: r.epoch };
    if (Number.isFinite(r.loss)) losses.push({ ...at, series: 'training loss', value: r.loss });
    if (typeof r.val_loss === 'number' && Number.isFinite(r.val_loss)) losses.push({ ...at, series: 'validation loss', value: r.val_loss });
    for (const [name, value] of Object.entries(r.terms ?? {})) if (Number.isFinite(value)) metrics.push({ ...at, series: `training ${name}`, value });
    for (const [name, value] of Object.entries(r)) {
      if (!NOT_CURVES.has(name) && typeof value === 'number' && Number.isFinite(value)) metrics.push({ ...at, series: name.replace(/^val_/, 'validation '), value });
    }
    // The family's figures (head accuracy, negative ELBO, codebook perplexity), nested under
    // `metrics` with the data set they were computed on (`metrics.data`).
    if (typeof r.metrics === 'object' && r.metrics !== null) {
      const figures = r.metrics as Record<string, unknown>;
      const on = typeof figures.data === 'string' ? ` (${figures.data})` : '';
      for (const [series, value] of nestedNumbers(figures, [])) metrics.push({ ...at, series: `${series}${on}`, value });
    }
  }
  return { losses, metrics };
}

/** Every finite number below `value`, named by its path (`heads h accuracy`); a codebook's size is
 *  a constant, not a curve. */
function nestedNumbers(value: Record<string, unknown>, path: string[]): Array<[string, number]> {
  return Object.entries(value).flatMap(([key, inner]): Array<[string, number]> => {
    if (typeof inner === 'number') return Number.isFinite(inner) && key !== 'size' ? [[[...path, key].join(' ').replace(/^heads /, 'head '), inner]] : [];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return nestedNumbers(inner as Record<string, unknown>, [...path, key]);
    return [];
  });
}

function panel(points: Point[], title: string, phases: readonly string[]): Record<string, unknown> {
  return {
    data: { values: points },
    facet: { column: { field: 'phase', type: 'nominal', title: null, sort: phases } },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: phases.length > 1 ? 280 : 480,
      height: 220,
      layer: [
        {
          mark: { type: 'line', point: { size: 25 } },
          encoding: {
            x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
            y: { field: 'value', type: 'quantitative', title, scale: { zero: false } },
            color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'right', labelLimit: 360 } },
          },
        },
      ],
    },
  };
}

/** A one-term objective records its term beside the loss with the same values: no second panel. */
function repeatsTheLoss(metrics: readonly Point[], losses: readonly Point[]): boolean {
  if (new Set(metrics.map((p) => p.series)).size !== 1 || !metrics[0]!.series.startsWith('training ')) return false;
  const loss = new Map(losses.filter((p) => p.series === 'training loss').map((p) => [`${p.phase}/${p.epoch}`, p.value]));
  return metrics.every((p) => loss.get(`${p.phase}/${p.epoch}`) === p.value);
}

/** The curves of a run's metrics: losses on top, the other recorded numbers below when there are any. */
export function curvesSpec(records: readonly MetricsRecord[], title: string): ChartSpec {
  const { losses, metrics } = curvePoints(records);
  const phases = [...new Set(records.map((r) => r.phase))]; // in training order
  const panels = [panel(losses, 'loss', phases)];
  if (metrics.length > 0 && !repeatsTheLoss(metrics, losses)) panels.push(panel(metrics, 'value', phases));
  const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, vconcat: panels, resolve: { scale: { color: 'independent' } }, config: CHART_CONFIG };
  return spec as unknown as ChartSpec;
}
