// aelang as a library: the same pipeline the `ae` command runs, for programs that embed it.
// Text → diagnostics and IR (compiler), IR → a trained run (runtime), a run → codes,
// reconstructions, samples, anomaly scores, neighbours and plots (tasks). Each stage can be used on
// its own: an IR written by `ae compile` can be validated and trained here without the compiler.
// `aelang/compiler` is the first stage alone, without TensorFlow.js.
import { currentSelection } from './runtime/backends/selection.js';
import { selectBackend } from './runtime/backends/index.js';
import { train as trainInRunDir, type TrainOptions, type TrainResult } from './runtime/train/train.js';
import { loadRun as loadRunDir, type LoadedRun } from './runtime/tasks/index.js';
import { mkdir } from 'node:fs/promises';

// ---- compiler
export * from './compiler.js';

// ---- runtime
export { selectBackend, describeBackend, BackendUnavailableError, type BackendName } from './runtime/backends/index.js';
export { loadDataset, parseDataArgument, DataError, sampleRange, readSamples, closeDataset, STREAM_ABOVE_BYTES, type Dataset, type InMemoryDataset, type StreamedDataset } from './runtime/data/index.js';
export { buildProgram, type Program } from './runtime/program/program.js';
export { loadOnnxRuntime, onnxEngine, onnxInference, unsupported as onnxUnsupported, type OnnxRuntime } from './runtime/engines/onnx/index.js';
export { buildStageGraph } from './compiler/step/step-graph.js';
export type { StageGraph, StageGraphBuilder, StageGraphSpec } from './onnx/stage-graph.js';
export type { StageEngine, StageEngineFactory } from './runtime/train/engine.js';
export type { TrainOptions, TrainResult } from './runtime/train/train.js';
export type { TrainCallbacks, TrainBeginInfo, StepInfo, TrainEndInfo } from './runtime/train/callbacks/user-callbacks.js';
export type { MetricsLine } from './runtime/train/callbacks/metrics-log.js';
export { TrainingError, NonFiniteLossError, LossExplodedError } from './runtime/train/errors.js';
export { RunFileError } from './runtime/runs/errors.js';
export { encode, reconstruct, evaluate, type LoadedRun, type Evaluation } from './runtime/tasks/index.js';
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
export { serveModel, type ServeOptions, type ModelServer } from './runtime/serve/server.js';
export { openLogs, LOG_KINDS, type ExperimentLog, type LogKind } from './runtime/logs/experiment-log.js';
export { importRun, type ImportedRun } from './runtime/import/import-run.js';

// ---- export
export { exportOnnx, ONNX_OPSET, type OnnxExportOptions } from './export/onnx/index.js';
export { exportPytorch, type PytorchExport, type PytorchExportOptions } from './export/pytorch/index.js';
export { ExportError, type Weights, type WeightTensor, type ModelPart } from './export/weights.js';

/**
 * Trains `options.ir` into `options.runDir` (made, with its parents, if missing), on the best
 * available backend unless one was selected.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  await mkdir(options.runDir, { recursive: true });
  const backend = await backendInUse();
  return trainInRunDir({ ...options, backend: options.backend ?? backend });
}

/** Opens a trained run directory, on the best available backend unless one was selected. */
export async function loadRun(dir: string): Promise<LoadedRun> {
  await backendInUse();
  return loadRunDir(dir);
}

/** A program that forgot selectBackend() would train on a backend without gradients registered. */
async function backendInUse(): Promise<string> {
  return (currentSelection() ?? (await selectBackend('auto'))).name;
}
