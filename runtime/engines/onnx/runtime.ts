// ONNX Runtime, loaded when the onnx engine is asked for: onnxruntime-node is an optional
// dependency (its CPU build ships inside its npm package), so a machine where it did not install
// or does not load trains on tfjs instead, and says why.
import { createRequire } from 'node:module';
import { DataType, encodeModel } from '../../../onnx/proto.js';

type Ort = typeof import('onnxruntime-node');

export interface OrtSession {
  /** One run; outputs by name as float arrays (owned by the caller from then on). `into`: outputs
   *  written in place, into the tensors given (their arrays hold the values after the run). */
  run(feeds: Record<string, unknown>, into?: Record<string, unknown>): Promise<Map<string, Float32Array>>;
  release(): Promise<void>;
}

/** A session whose run returns at once (the tasks' forward passes are synchronous, as tfjs's are). */
export interface SyncOrtSession {
  /** One run; the named outputs' values and shapes. */
  run(feeds: Record<string, unknown>): Map<string, { data: Float32Array; dims: number[] }>;
  release(): void;
}

/** Where ONNX Runtime runs the graphs: its CPU kernels (MLAS), or its WebGPU execution provider
 *  (Dawn over Vulkan, compiled into onnxruntime-node's linux-x64 build; experimental upstream). */
export type OnnxProvider = 'cpu' | 'webgpu';

export interface OnnxRuntime {
  /** e.g. "onnxruntime-node 1.30.0". */
  readonly version: string;
  readonly provider: OnnxProvider;
  /** The same runtime, its sessions on `provider`. */
  on(provider: OnnxProvider): OnnxRuntime;
  /** Why no session opens on this runtime's provider (no GPU adapter, no Vulkan loader), or null. */
  unavailable(): Promise<string | null>;
  tensor(values: Float32Array, shape: readonly number[]): unknown;
  /** `nodes`: the graph's node count (a large graph is not optimised: see sessionOptions). */
  createSession(model: Uint8Array, threads: number, nodes?: number): Promise<OrtSession>;
  /** Why this onnxruntime-node offers no synchronous session, or null. */
  readonly noSyncSession: string | null;
  /** A synchronous session, or why this onnxruntime-node offers none. */
  createSyncSession(model: Uint8Array, threads: number, nodes?: number): SyncOrtSession | string;
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
  return { ok: true, runtime: runtimeOn('cpu', ort, `onnxruntime-node ${version}`) };
}

function runtimeOn(provider: OnnxProvider, ort: Ort, version: string): OnnxRuntime {
  const native = nativeBinding();
  const options = (threads: number, nodes = 0) => sessionOptions(provider, threads, nodes);
  const runtime: OnnxRuntime = {
    version,
    provider,
    on: (other) => (other === provider ? runtime : runtimeOn(other, ort, version)),
    async unavailable() {
      try {
        const session = await ort.InferenceSession.create(identityModel(), options(1));
        await session.release();
        return null;
      } catch (error) {
        return `ONNX Runtime's ${provider} provider does not start (${firstLine(error)})`;
      }
    },
    noSyncSession: typeof native === 'string' ? native : null,
    createSyncSession(model, threads, nodes = 0) {
      if (typeof native === 'string') return native;
      const session = new native.InferenceSession();
      session.loadModel(model.buffer, model.byteOffset, model.byteLength, options(threads, nodes));
      const fetches = Object.fromEntries(session.outputMetadata.map((m) => [m.name, null]));
      return {
        run(feeds) {
          const results = session.run(feeds, fetches, {});
          return new Map(Object.entries(results).map(([name, tensor]) => [name, { data: tensor.data as Float32Array, dims: tensor.dims.map(Number) }]));
        },
        release: () => session.dispose(),
      };
    },
    tensor: (values, shape) => new ort.Tensor('float32', values, [...shape]),
    async createSession(model, threads, nodes = 0) {
      // the native session where there is one: its run is the same, without the package's wrapper
      // (a Promise settled on the next turn of the event loop, and the feeds checked again at every
      // step): 0.2 to 0.4 ms of a 4.5 ms MNIST step at 1 thread
      if (typeof native !== 'string') {
        const session = new native.InferenceSession();
        session.loadModel(model.buffer, model.byteOffset, model.byteLength, options(threads, nodes));
        const fetchAll = Object.fromEntries(session.outputMetadata.map((m) => [m.name, null]));
        return {
          async run(feeds, into = {}) {
            const results = session.run(feeds, { ...fetchAll, ...into }, {});
            return new Map(Object.entries(results).map(([name, tensor]) => [name, tensor.data as Float32Array]));
          },
          release: async () => session.dispose(),
        };
      }
      const session = await ort.InferenceSession.create(model, options(threads, nodes));
      const fetchAll = Object.fromEntries(session.outputNames.map((name) => [name, null]));
      return {
        async run(feeds, into = {}) {
          type Fetches = Parameters<typeof session.run>[1];
          const results = await session.run(feeds as Parameters<typeof session.run>[0], { ...fetchAll, ...into } as Fetches);
          return new Map(Object.entries(results).map(([name, tensor]) => [name, tensor.data as Float32Array]));
        },
        release: () => session.release(),
      };
    },
  };
  return runtime;
}

/**
 * Graphs up to this many nodes are optimised ('all': fusions, the transpose optimiser that cancels
 * the NCHW/NHWC pairs between convolutions); a larger one, an RNN unrolled over many steps, is not:
 * the optimisers' passes grow faster than the graph (the sensors LSTM's step graph over 128 steps,
 * 12k nodes: 7 s to a session unoptimised, 23 s at 'extended', for the same step time).
 */
export const OPTIMISED_NODES = 5000;

/** The options every session of this engine opens with (bench/step-profile.ts reads them too). */
export function sessionOptions(provider: OnnxProvider, threads: number, nodes: number) {
  const graphOptimizationLevel = nodes > OPTIMISED_NODES ? 'disabled' : 'all';
  return { executionProviders: [provider], intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel } as const;
}

/** The smallest model a provider must run: y = x + x over a float vector. */
function identityModel(): Uint8Array {
  const value = (name: string) => ({ name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_value: 4 }] } } } });
  return encodeModel({
    ir_version: 8,
    producer_name: 'aelang',
    producer_version: '',
    doc_string: 'provider probe',
    opset_import: [{ domain: '', version: 17 }],
    graph: { name: 'probe', node: [{ name: 'add', op_type: 'Add', input: ['x', 'x'], output: ['y'], attribute: [] }], initializer: [], input: [value('x')], output: [value('y')] },
  });
}

/** An error's first line, without ONNX Runtime's source path prefix. */
function firstLine(error: unknown): string {
  const line = ((error as Error).message ?? String(error)).split('\n')[0]!;
  return line.replace(/^\S+\.cc:\d+ \S+ /, '').replace(/^.*? was false\. /, '');
}

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, offset: number, length: number, options: object): void;
  readonly outputMetadata: { name: string }[];
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>, options: object): Record<string, { data: unknown; dims: readonly (number | bigint)[] }>;
  dispose(): void;
}

/**
 * onnxruntime-node's native session, whose `run` is synchronous (the package's own `run` wraps it
 * in a Promise resolved on the next turn of the event loop). It is not the package's public API, so
 * every use is checked here and by the conformance tests; a version without it gives the reason,
 * and the tasks run on tfjs.
 */
function nativeBinding(): { InferenceSession: new () => NativeSession } | string {
  try {
    const module = createRequire(import.meta.url)('onnxruntime-node/dist/binding.js') as {
      binding?: { InferenceSession?: new () => NativeSession };
      initOrt?: () => void;
    };
    if (typeof module.initOrt !== 'function' || typeof module.binding?.InferenceSession !== 'function') return 'this onnxruntime-node has no synchronous session';
    module.initOrt();
    return { InferenceSession: module.binding.InferenceSession };
  } catch (error) {
    return `onnxruntime-node's native session does not load (${(error as Error).message.split('\n')[0]})`;
  }
}
