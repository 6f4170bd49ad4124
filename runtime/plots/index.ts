// Plots of a run, as SVG: training curves, a 2-D map of the codes (Vega-Lite specs, drawn to SVG by
// svg.ts), and line plots of reconstructions for vector and sequence inputs.
export { renderSvg, type ChartSpec } from './render.js';
export { curvesSpec, curvePoints, type MetricsRecord } from './curves.js';
export { latentMapSpec, type LatentMap } from './latent-map.js';
export { codeMap } from './latent-map.js';
export { writeRunCurves, CURVES_FILE } from './run-curves.js';
export { reconstructionLinesSvg, writeReconstructionLines, lineLayout, RECONSTRUCTION_LINES_FILE } from './reconstruction-lines.js';
