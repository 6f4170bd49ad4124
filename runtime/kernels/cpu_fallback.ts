import * as tf from '@tensorflow/tfjs-core';

/**
 * A kernel for any backend that runs tfjs-backend-cpu's implementation: inputs are read
 * synchronously, computed on the cpu backend, and written back. Slow (two copies) but correct,
 * so a backend missing a kernel training needs (on a GPU we cannot test here) still trains
 * instead of failing mid-run. Specialised kernels, where written, are preferred.
 */
export function cpuFallbackKernel(kernelName: string, backendName: string): tf.KernelConfig {
  return { kernelName, backendName, kernelFunc: runOnCpu(kernelName) };
}

export function runOnCpu(kernelName: string): tf.KernelFunc {
  return ({ inputs, backend: target, attrs }) => {
    const backend = target as tf.KernelBackend;
    const cpuKernel = tf.getKernel(kernelName, 'cpu');
    if (cpuKernel == null) throw new Error(`no cpu kernel '${kernelName}' to fall back on`);
    const cpu = tf.findBackend('cpu');
    if (cpu == null) throw new Error(`cpu backend is not registered (needed as the fallback for '${kernelName}')`);

    // Kernels of a list (AddN, Concat, Pack) take their inputs as an array, the others by name.
    const cpuInputs: tf.NamedTensorInfoMap = Array.isArray(inputs) ? ([] as unknown as tf.NamedTensorInfoMap) : {};
    const copies: tf.TensorInfo[] = [];
    for (const [name, info] of Object.entries(inputs)) {
      if (info == null) continue; // optional inputs (e.g. a missing bias)
      const values = backend.readSync(info.dataId);
      const copy = { dataId: cpu.write(values, info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
      cpuInputs[name] = copy;
      copies.push(copy);
    }
    try {
      const result = cpuKernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs: attrs ?? {} });
      const outputs = Array.isArray(result) ? result : [result];
      const moved = outputs.map((out) => {
        const values = typedValues(cpu.readSync(out.dataId), out.dtype);
        cpu.disposeData(out.dataId);
        return { dataId: backend.write(values, out.shape, out.dtype), shape: out.shape, dtype: out.dtype };
      });
      return Array.isArray(result) ? moved : moved[0]!;
    } finally {
      for (const copy of copies) cpu.disposeData(copy.dataId);
    }
  };
}

/** Some cpu kernels return plain arrays; other backends' write takes typed arrays only. */
function typedValues(values: tf.BackendValues, dtype: tf.DataType): tf.BackendValues {
  if (ArrayBuffer.isView(values) || dtype === 'string') return values;
  const numbers = values as unknown as number[];
  return dtype === 'int32' ? Int32Array.from(numbers) : dtype === 'bool' ? Uint8Array.from(numbers) : Float32Array.from(numbers);
}
