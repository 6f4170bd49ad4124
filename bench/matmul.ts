// The bound of training throughput on the CPU: one matrix product (512×1024 by 1024×1024), on
// tfjs-backend-wasm at 1 and 2 threads and in PyTorch at the same thread counts (Debian's
// python3-torch with OpenBLAS), medians of 50 products after 5 warm-ups.
//
//   node --import tsx bench/matmul.ts [--threads 1,2]
//
// The wasm thread count is fixed per process, so each count runs in a child (`--child N`). The
// product is timed inside a plain engine scope: `tf.tidy(() => ....dataSync())` would walk the
// returned typed array element by element looking for tensors, which costs more than the product.
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../runtime/backends/index.js';

const [M, K, N] = [512, 1024, 1024];
const FLOP = 2 * M * K * N;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function child(threads: number): Promise<void> {
  await selectBackend('wasm', { threads });
  const a = tf.randomUniform([M, K]) as tf.Tensor2D;
  const b = tf.randomUniform([K, N]) as tf.Tensor2D;
  const once = (): number => {
    const started = performance.now();
    tf.engine().startScope();
    tf.matMul(a, b).dataSync();
    tf.engine().endScope();
    return (performance.now() - started) / 1000;
  };
  for (let i = 0; i < 5; i++) once();
  const seconds = median(Array.from({ length: 50 }, once));
  console.log(`wasm, ${threads} thread(s): ${(seconds * 1e3).toFixed(2)} ms, ${(FLOP / seconds / 1e9).toFixed(1)} GFLOP/s`);
}

const TORCH = `
import os, sys, time, torch
n = int(sys.argv[1]); torch.set_num_threads(n)
a, b = torch.rand(${M}, ${K}), torch.rand(${K}, ${N})
for _ in range(5): a @ b
times = []
for _ in range(50):
    t = time.perf_counter(); a @ b; times.append(time.perf_counter() - t)
s = sorted(times)[25]
print(f"PyTorch {torch.__version__}, {n} thread(s): {s * 1e3:.2f} ms, {${FLOP} / s / 1e9:.1f} GFLOP/s")
`;

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(Number(argv[1]));
else {
  const threads = (argv[argv.indexOf('--threads') + 1] ?? '1,2').split(',').map(Number);
  for (const n of threads) {
    const tfjs = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--child', String(n)], { encoding: 'utf8' });
    console.log(tfjs.stdout.split('\n').find((l) => l.startsWith('wasm')) ?? tfjs.stderr);
    const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(n), OPENBLAS_NUM_THREADS: String(n) };
    delete env['OPENBLAS_CORETYPE'];
    delete env['OPENBLAS_L2_SIZE'];
    const torch = spawnSync(process.env['AE_BENCH_PYTHON'] ?? '/usr/bin/python3', ['-c', TORCH, String(n)], { encoding: 'utf8', env });
    console.log(torch.status === 0 ? torch.stdout.trim() : `PyTorch not run: ${torch.stderr.trim().split('\n').at(-1)}`);
  }
}
