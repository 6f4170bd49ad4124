// aelang as a library: the same pipeline the `ae` command runs, for programs that embed it.
// Text → diagnostics and IR (compiler), IR → a trained run (runtime), a run → codes,
// reconstructions, samples, anomaly scores, neighbours and plots (tasks). Each stage can be used on
// its own: an IR written by `ae compile` can be validated and trained here without the compiler.

// ---- compiler
export { parseSource } from './grammar/index.js';
export { analyzeSource, analyzeFile, type Analysis, type AnalyzeOptions } from './compiler/analyze.js';
export type { Diagnostic, Severity, SuggestedFix, RelatedLocation } from './diagnostics/diagnostic.js';
export { renderHuman, renderJson } from './diagnostics/render.js';
export { diagnosticCatalogue, type DiagnosticCode } from './diagnostics/codes/index.js';
export { serializeIR } from './compiler/emit-ir.js';
export { validateIR } from './ir/validate.js';
export type * from './ir/types.js';
export { IR_VERSION } from './ir/types.js';
export { formatAe, type FormatOptions } from './compiler/format/format.js';

// ---- runtime
export { selectBackend, describeBackend, BackendUnavailableError, type BackendName } from './runtime/backends/index.js';
export { loadDataset, parseDataArgument, DataError, type Dataset } from './runtime/data/index.js';
export { buildProgram, type Program } from './runtime/program/program.js';
export { train, type TrainOptions, type TrainResult } from './runtime/train/train.js';
export { loadRun, encode, reconstruct, evaluate, type LoadedRun, type Evaluation } from './runtime/tasks/index.js';
// ---- uses of a trained run (docs/uses.md)
export {
  sample, drawPrior, codeUsage, decode, interpolate, score, anomalyScores, fitThreshold, rocAuc, averagePrecision,
  search, CodeIndex, precisionAtK, corruptDataset, modelCorruption, parseCorruption, denoisingError, fitPca, projectPca,
  pcaReconstructionErrors, latentKind, TaskError,
  type SampleOptions, type Samples, type InterpolateOptions, type Interpolation, type ScoreOptions, type AnomalyResult,
  type SearchOptions, type SearchMetric, type Neighbours, type DenoisingError, type LatentKind, type Pca, type TensorValues,
} from './runtime/tasks/index.js';
export { curvesSpec, latentMapSpec, codeMap, renderSvg, writeRunCurves, type ChartSpec } from './runtime/plots/index.js';
export { encodeSafetensors, decodeSafetensors, CheckpointError } from './runtime/runs/index.js';
export { writeNpy, writeCsv } from './runtime/io/index.js';
