// A 2-D map of the codes, as TensorBoard's embedding projector draws them: each sample a point at its
// code (2-D codes as they are, wider ones on their first two principal components), coloured by
// its label when the data has labels.
import { fitPca, projectPca } from '../tasks/pca.js';
import { TaskError } from '../tasks/task-error.js';
import { CHART_CONFIG, type ChartSpec } from './render.js';

export interface LatentMap {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  labels?: ArrayLike<number>;
  xTitle: string;
  yTitle: string;
}

export function latentMapSpec(map: LatentMap, title: string): ChartSpec {
  const values = Array.from({ length: map.x.length }, (_, i) => ({
    x: map.x[i],
    y: map.y[i],
    ...(map.labels ? { label: String(map.labels[i]) } : {}),
  }));
  const labelOrder = map.labels ? [...new Set(Array.from(map.labels))].sort((a, b) => a - b).map(String) : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 480,
    data: { values },
    mark: { type: 'circle', size: 9, opacity: 0.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: map.xTitle, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: map.yTitle, scale: { zero: false } },
      ...(map.labels ? { color: { field: 'label', type: 'nominal', title: 'label', sort: labelOrder, scale: { scheme: 'category10' } } } : {}),
    },
    config: CHART_CONFIG,
  } as ChartSpec;
}

/** The map of `count` codes: their two values when 2-wide, else their first two principal components. */
export function codeMap(codes: Float32Array, count: number, latent: string, labels?: ArrayLike<number>): LatentMap {
  const width = codes.length / count;
  if (width < 2) throw new TaskError(`latent '${latent}' is ${width}-wide: a 2-D map needs codes of at least 2 values`);
  const withLabels = labels ? { labels } : {};
  if (width === 2) {
    return { x: codes.filter((_, i) => i % 2 === 0), y: codes.filter((_, i) => i % 2 === 1), xTitle: `${latent}[0]`, yTitle: `${latent}[1]`, ...withLabels };
  }
  const pca = fitPca(codes, count, 2);
  const projected = projectPca(pca, codes);
  const total = varianceOf(codes, count, width);
  const share = (c: number) => `${((100 * pca.variances[c]!) / total).toFixed(0)}% of the variance`;
  return {
    x: projected.filter((_, i) => i % 2 === 0),
    y: projected.filter((_, i) => i % 2 === 1),
    xTitle: `${latent}: principal component 1 (${share(0)})`,
    yTitle: `${latent}: principal component 2 (${share(1)})`,
    ...withLabels,
  };
}

/** The total variance of the codes (the trace of their covariance). */
function varianceOf(codes: Float32Array, count: number, width: number): number {
  let total = 0;
  for (let d = 0; d < width; d++) {
    let mean = 0;
    for (let n = 0; n < count; n++) mean += codes[n * width + d]! / count;
    for (let n = 0; n < count; n++) total += (codes[n * width + d]! - mean) ** 2 / (count - 1);
  }
  return total;
}
