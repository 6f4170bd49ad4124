// Run directories: atomic writes, JSON and JSON-lines files, safetensors checkpoints.
export { createRunDirectory, removeTemporaryFiles, runTimestamp, writeFileAtomic, writeJsonAtomic, appendJsonLine, readJsonFile, readJsonLines } from './run-dir.js';
export { encodeSafetensors, decodeSafetensors, writeSafetensors, readSafetensors, type TensorMap, type StoredTensor, type TensorDtype } from './safetensors.js';
export { CheckpointError, RunFileError } from './errors.js';
export { nodeRunFiles, type RunFiles } from './run-files.js';
