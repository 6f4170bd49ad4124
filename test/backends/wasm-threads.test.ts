// The threaded wasm build (runtime/backends/wasm-threads.ts) against the cpu reference, at one and
// two threads, each in its own process (a process fixes its wasm thread count at first use).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function runChild(threads: number): { detail: string; threads: number; worst: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'test/backends/threads-child.ts'], {
    cwd: root,
    env: { ...process.env, AE_THREADS: String(threads) },
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

describe('wasm threads', () => {
  it.each([1, 2])('%i thread(s): the requested count is used and dense and conv gradients match cpu', (threads) => {
    const result = runChild(threads);
    expect(result.threads).toBe(threads);
    expect(result.detail).toBe(threads === 1 ? 'SIMD, 1 thread' : `SIMD, ${threads} threads`);
    expect(result.worst).toBeLessThan(1e-5);
  });

  it('a thread count that is not a positive whole number is refused with the variable named', () => {
    expect(() => runChild(0)).toThrow(/AE_THREADS must be a whole number of at least 1 \(got 0\)/);
  });
});
