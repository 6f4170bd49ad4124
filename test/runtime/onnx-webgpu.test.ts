// `--backend onnx-webgpu`: ONNX Runtime's WebGPU provider, asked for by name only. Where no GPU
// adapter opens (this project's CI, a machine without Vulkan) it is refused in one line with
// ONNX Runtime's reason; where one does (bench/gpu/run.sh on a lent GPU) it trains and evaluates
// with the numbers of the CPU provider. `auto` never takes it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { loadOnnxRuntime } from '../../runtime/engines/onnx/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { uniformDataset } from './data-helpers.js';

function cli(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), isTTY: false, cwd };
  return { out, run: (...argv: string[]) => main(argv, io) };
}

const SPEC = 'model dense { input x: [16] in [0, 1]\n encoder { dense(8, act = relu) }\n latent z = dense(2)\n decoder = mirror(encoder)\n output x_hat = sigmoid\n loss = bce(x_hat, x)\n train { epochs = 2, batch = 8 } }\n';

describe('the onnx engine on WebGPU', () => {
  it("says whether the provider starts: the CPU's always, WebGPU's with ONNX Runtime's reason where it does not", async () => {
    const loaded = await loadOnnxRuntime();
    if (!loaded.ok) throw new Error(loaded.why);
    expect(loaded.runtime.provider).toBe('cpu');
    expect(await loaded.runtime.unavailable()).toBeNull();
    const webgpu = loaded.runtime.on('webgpu');
    expect(webgpu.provider).toBe('webgpu');
    expect(webgpu.version).toBe(loaded.runtime.version);
    const why = await webgpu.unavailable();
    if (why !== null) expect(why).toMatch(/^ONNX Runtime's webgpu provider does not start \(.*adapter.*\)$/i);
  });

  it('trains and evaluates when asked by name and its adapter opens, and is refused in one line otherwise', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ae-onnx-webgpu-'));
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(uniformDataset(32, 16).x, [32, 16]));
    writeFileSync(join(cwd, 'dense.ae'), SPEC);
    const loaded = await loadOnnxRuntime();
    if (!loaded.ok) throw new Error(loaded.why);
    const gpu = (await loaded.runtime.on('webgpu').unavailable()) === null;

    const asked = cli(cwd);
    const code = await asked.run('train', 'dense.ae', '--data', 'x.npy', '--out', 'gpu', '--backend', 'onnx-webgpu');
    if (!gpu) {
      expect(code).toBe(1);
      expect(asked.out.stderr.trim()).toMatch(/^ae train: backend 'onnx-webgpu' is not available: ONNX Runtime's webgpu provider does not start \(.*\)$/);
      const evaluated = cli(cwd);
      expect(await evaluated.run('train', 'dense.ae', '--data', 'x.npy', '--out', 'cpu', '--backend', 'onnx', '--quiet')).toBe(0);
      expect(await evaluated.run('eval', 'cpu', '--data', 'x.npy', '--backend', 'onnx-webgpu')).toBe(1);
      expect(evaluated.out.stderr).toMatch(/^ae eval: backend 'onnx-webgpu' is not available: /m);
      return;
    }
    expect(code).toBe(0);
    expect(asked.out.stderr).toMatch(/^backend: onnx-webgpu \(onnxruntime-node \S+, WebGPU\) — requested with --backend$/m);
    expect(JSON.parse(readFileSync(join(cwd, 'gpu', 'run.json'), 'utf8'))).toMatchObject({ backend: 'onnx-webgpu' });
    const onCpu = cli(cwd);
    expect(await onCpu.run('train', 'dense.ae', '--data', 'x.npy', '--out', 'cpu', '--backend', 'onnx', '--threads', '1', '--quiet')).toBe(0);
    const figures = async (run: string, backend: string) => {
      const c = cli(cwd);
      expect(await c.run('eval', run, '--data', 'x.npy', '--format', 'json', '--backend', backend, '--quiet')).toBe(0);
      return JSON.parse(c.out.stdout) as { loss: number };
    };
    expect((await figures('gpu', 'onnx-webgpu')).loss).toBeCloseTo((await figures('cpu', 'onnx')).loss, 3);
  });
});
