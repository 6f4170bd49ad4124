// ONNX Runtime, loaded when the onnx engine is asked for: onnxruntime-node is an optional
// dependency (its CPU build ships inside its npm package), so a machine where it did not install
// or does not load trains on tfjs instead, and says why.
import { createRequire } from 'node:module';

type Ort = typeof import('onnxruntime-node');

export interface OrtSession {
  /** One run; outputs by name as float arrays (owned by the caller from then on). */
  run(feeds: Record<string, unknown>): Promise<Map<string, Float32Array>>;
  release(): Promise<void>;
}

export interface OnnxRuntime {
  /** e.g. "onnxruntime-node 1.30.0". */
  readonly version: string;
  tensor(values: Float32Array, shape: readonly number[]): unknown;
  createSession(model: Uint8Array, threads: number): Promise<OrtSession>;
}

export type LoadOutcome = { ok: true; runtime: OnnxRuntime } | { ok: false; why: string };

let loaded: Promise<LoadOutcome> | undefined;

export function loadOnnxRuntime(): Promise<LoadOutcome> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<LoadOutcome> {
  let ort: Ort;
  let version = '';
  try {
    ort = (await import('onnxruntime-node')) as Ort;
    version = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
        ? "onnxruntime-node is not installed (npm drops it when its install script cannot download GPU providers: add 'onnxruntime-node-install=skip' to the project's .npmrc and install again)"
        : `onnxruntime-node does not load (${(error as Error).message.split('\n')[0]})`;
    return { ok: false, why };
  }
  const runtime: OnnxRuntime = {
    version: `onnxruntime-node ${version}`,
    tensor: (values, shape) => new ort.Tensor('float32', values, [...shape]),
    async createSession(model, threads) {
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
      return {
        async run(feeds) {
          const results = await session.run(feeds as Parameters<typeof session.run>[0]);
          return new Map(Object.entries(results).map(([name, tensor]) => [name, tensor.data as Float32Array]));
        },
        release: () => session.release(),
      };
    },
  };
  return { ok: true, runtime };
}
