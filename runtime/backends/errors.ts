import type { BackendName } from '../backend-names.js';

/** An explicitly requested backend could not be loaded; `reason` says why (never a silent fallback). */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  readonly code = 'BACKEND_UNAVAILABLE';

  constructor(
    readonly backend: BackendName | 'onnx' | 'onnx-webgpu',
    readonly reason: string,
  ) {
    super(`backend '${backend}' is not available: ${reason}`);
  }
}
