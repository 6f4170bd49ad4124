// Tasks on a trained run: open it, encode, reconstruct, evaluate.
export { loadRun, readIRFile, type LoadedRun } from './load-run.js';
export { collectOutput, encode, evaluate, evaluationObjective, reconstruct, type Evaluation, type TensorValues } from './infer.js';
export { userErrorMessage } from './user-errors.js';
export { imageLayout, writeReconstructionGrid, type ImageLayout } from './reconstruction-grid.js';
export { codebookMetrics, formatModelMetrics, modelMetrics, type CodebookMetrics, type HeadMetrics, type ModelMetrics } from '../train/model-metrics.js';
