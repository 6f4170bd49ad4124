// The multi-threaded tfjs-backend-wasm build, made to run in Node.
//
// tfjs-backend-wasm 4.22 ships a threaded SIMD binary (XNNPACK on a pthread pool of Web Workers),
// but turns it off in Node: its WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false there
// (tensorflow/tfjs#3830), and its loader hands Emscripten the worker script and the main script as
// Blob URLs, which Node's worker_threads cannot load. The Emscripten code itself supports Node
// (worker_threads stand in for Web Workers), so this module builds the backend the way tfjs does,
// with the two inputs Node can read: the worker script as a file, the main script by its path.
//
// One more trap: the C++ side caps the pool at emscripten_num_logical_cores() / 2 (it assumes two
// hyper-threads per core), so on a 2-core machine it would never use more than one thread. The
// wasm import is answered with twice the requested count, making the cap exactly what was asked.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The pool tfjs pre-creates (PTHREAD_POOL_SIZE) and the C++ side's max_num_threads. */
export const MAX_WASM_THREADS = 8;

interface EmscriptenModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => unknown;
  tfjs?: Record<string, unknown>;
}

type ModuleFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

interface WasmImports {
  env: Record<string, unknown>;
}

/**
 * Instantiates the threaded SIMD module with `threads` XNNPACK threads and wires the same
 * `tfjs` bridge tfjs's own loader adds, ready for `new BackendWasm(module)`.
 */
export async function instantiateThreadedWasm(packageDir: string, threads: number): Promise<EmscriptenModule> {
  const mainScript = join(packageDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const binary = join(packageDir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');
  const factory = require(mainScript) as ModuleFactory;
  const workerScript = writeWorkerScript(packageDir);
  const module = await factory({
    locateFile: (file: string) => (file.endsWith('.worker.js') ? workerScript : join(packageDir, 'dist', file)),
    // Each pthread worker evaluates this file to define the module factory it then runs.
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm: (imports: WasmImports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
      imports.env['emscripten_num_logical_cores'] = () => 2 * threads;
      WebAssembly.instantiate(readFileSync(binary), imports as unknown as WebAssembly.Imports).then(
        ({ instance, module: compiled }) => receive(instance, compiled),
      );
      return {};
    },
  });
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * The pthread worker script, which the package ships only as a string export, written once to the
 * temp directory under a name derived from its content (so concurrent processes agree on it and
 * a half-written file is never run: it is written beside and renamed into place).
 */
function writeWorkerScript(packageDir: string): string {
  const { wasmWorkerContents } = require(join(packageDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // The string was written for a Blob: tfjs escapes its newlines the same way before use.
  const script = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `aelang-tfjs-wasm-worker-${hash}.cjs`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, script);
    renameSync(partial, path);
  }
  return path;
}

export function wasmPackageDir(mainFile: string): string {
  return dirname(dirname(mainFile));
}
