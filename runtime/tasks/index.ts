// Tasks on a trained run: open it, encode, reconstruct, evaluate; sample, interpolate, score, search, denoise.
export { loadRun, readIRFile, type LoadedRun } from './load-run.js';
export { collectOutput, encode, evaluate, evaluationObjective, reconstruct, type Evaluation, type TensorValues } from './infer.js';
export { userErrorMessage } from './user-errors.js';
export { imageLayout, isPicture, writeReconstructionGrid, type ImageLayout } from './reconstruction-grid.js';
export { codebookMetrics, formatModelMetrics, modelMetrics, type CodebookMetrics, type HeadMetrics, type ModelMetrics } from '../train/model-metrics.js';
export { TaskError } from './task-error.js';
export { encodeCodes } from './codes.js';
export { latentKind, latentName, latentShape, type LatentKind } from './latent.js';
export { decode, decoderNodes } from './decode.js';
export { sample, drawPrior, codeUsage, type SampleOptions, type Samples } from './sample.js';
export { interpolate, slerp, lerp, type InterpolateOptions, type Interpolation } from './interpolate.js';
export { anomalyScores, columnContributions, fitThreshold, score, reconstructionTerms, type AnomalyResult, type ScoreBy, type ScoreOptions } from './score.js';
export { rocAuc, averagePrecision } from './ranking-metrics.js';
export { search, CodeIndex, precisionAtK, type Neighbours, type SearchMetric, type SearchOptions } from './search.js';
export { corruptDataset, denoisingError, modelCorruption, parseCorruption, CORRUPTION_FORMS, type DenoisingError } from './corrupt.js';
export { fitPca, projectPca, pcaReconstructionErrors, type Pca } from './pca.js';
export { stepScores, type StepScores } from './step-scores.js';
