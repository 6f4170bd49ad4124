import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../runtime/backends/index.js';
import { withTfjsKernels } from '../../runtime/kernels/index.js';
import { KERNEL_VARIANTS, seededInputs, type KernelVariant } from './variants.js';

/**
 * Every variant of every kernel the runtime calls (variants.ts), forward, on wasm against cpu:
 * same shapes, same dtypes, values within 1e-5 · (1 + max |cpu|). Then the same variants on
 * tfjs-backend-wasm's own kernels where the runtime replaces them, to show the survey catches
 * each replaced kernel on exactly the variants the replacement's comment names.
 */
type Outcome = { error: string } | { outputs: { shape: number[]; dtype: string; values: number[] }[] };

function runVariant(variant: KernelVariant, seed: number): Outcome {
  try {
    return tf.tidy(() => {
      const result = variant.run(seededInputs(seed));
      const outputs = (Array.isArray(result) ? result : [result]).map((t) => ({
        shape: t.shape,
        dtype: t.dtype,
        values: Array.from(t.dataSync() as ArrayLike<number>),
      }));
      return { outputs };
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Why `actual` is not `reference`, or undefined when they agree. */
function disagreement(actual: Outcome, reference: Outcome): string | undefined {
  if ('error' in reference || 'error' in actual) {
    const said = (o: Outcome) => ('error' in o ? `throws "${o.error}"` : 'computes');
    return 'error' in reference && 'error' in actual ? undefined : `cpu ${said(reference)}, wasm ${said(actual)}`;
  }
  for (const [k, ref] of reference.outputs.entries()) {
    const out = actual.outputs[k]!;
    if (out.shape.join() !== ref.shape.join()) return `output ${k}: shape [${out.shape}], cpu [${ref.shape}]`;
    if (out.dtype !== ref.dtype) return `output ${k}: dtype ${out.dtype}, cpu ${ref.dtype}`;
    const scale = Math.max(0, ...ref.values.map(Math.abs));
    for (let i = 0; i < ref.values.length; i++) {
      const a = out.values[i]!;
      const r = ref.values[i]!;
      if (!(Math.abs(a - r) <= 1e-5 * (1 + scale)) && !(Number.isNaN(a) && Number.isNaN(r)))
        return `output ${k}[${i}]: wasm ${a}, cpu ${r}`;
    }
  }
  return undefined;
}

async function runAll(backend: 'cpu' | 'wasm', variants: KernelVariant[]): Promise<Outcome[]> {
  await tf.setBackend(backend);
  return variants.map((variant) => runVariant(variant, 1 + KERNEL_VARIANTS.indexOf(variant)));
}

/** "kernel: variant: why" for every variant of `variants` where wasm disagrees with cpu. */
async function disagreements(variants: KernelVariant[]): Promise<string[]> {
  const reference = await runAll('cpu', variants);
  const actual = await runAll('wasm', variants);
  return variants.flatMap((variant, i) => {
    const why = disagreement(actual[i]!, reference[i]!);
    return why === undefined ? [] : [`${variant.kernel}: ${variant.name}: ${why}`];
  });
}

const byKernel = new Map<string, KernelVariant[]>();
for (const variant of KERNEL_VARIANTS) byKernel.set(variant.kernel, [...(byKernel.get(variant.kernel) ?? []), variant]);

beforeAll(async () => {
  await selectBackend('cpu');
  await selectBackend('wasm');
});

describe('every variant of every kernel agrees between wasm and cpu', () => {
  it('covers the kernels the runtime calls', () => {
    expect(KERNEL_VARIANTS.length).toBeGreaterThan(500);
    expect(byKernel.size).toBeGreaterThan(60);
  });

  for (const [kernel, variants] of byKernel) {
    it(`${kernel} (${variants.length} variants)`, async () => {
      expect(await disagreements(variants)).toEqual([]);
    });
  }
});

describe('on the tfjs wasm kernels the runtime replaces, the survey finds each bug', () => {
  const unpatched = (kernel: string) => withTfjsKernels('wasm', [kernel], () => disagreements(byKernel.get(kernel)!));
  const names = (lines: string[]) => lines.map((line) => line.split(': ')[1]);

  it('OneHot: every float32 one-hot (1.4e-45 for 1, 2.8e-45 for 2.5)', async () => {
    const found = await unpatched('OneHot');
    expect(names(found)).toEqual(['oneHot float32 on=1 off=0', 'oneHot float32 on=2.5 off=-0.5', 'oneHot float32 of 2-D ids']);
    expect(found[0]).toBe('OneHot: oneHot float32 on=1 off=0: output 0[0]: wasm 1.401298464324817e-45, cpu 1');
  });

  it('_FusedMatMul: every product with a bias that is transposed or batched, whatever the activation', async () => {
    const found = names(await unpatched('_FusedMatMul'));
    const expected = byKernel
      .get('_FusedMatMul')!
      .map((v) => v.name)
      .filter((name) => name.includes('bias=true'))
      .filter((name) => !/transposeA=false transposeB=false bias=true \w+ batch=\[\]/.test(name));
    expect(found).toEqual(expected);
    expect(found).toHaveLength(3 * 7 * 2 + 7);
  });

  it('Cast: every cast to bool of a non-bool (truncated to a byte: 0.5 → 0, -2 → 254)', async () => {
    const found = await unpatched('Cast');
    expect(names(found)).toEqual(['cast float32 → bool', 'cast int32 → bool', 'cast float32 → bool of 0.5, -2, 3']);
    expect(found[2]).toBe('Cast: cast float32 → bool of 0.5, -2, 3: output 0[1]: wasm 0, cpu 1');
  });

  it('ClipByValue and Reciprocal on int32 (ints read as floats)', async () => {
    expect(names(await unpatched('ClipByValue'))).toEqual(['clipByValue int32']);
    expect(names(await unpatched('Reciprocal'))).toEqual(['Reciprocal int32']);
  });

  it('Log1p: small float32 arguments (log(1 + x) after 1 + x rounds) and int32 (unwritten memory)', async () => {
    const log1p = await unpatched('Log1p');
    expect(log1p).toEqual([
      expect.stringMatching(/^Log1p: log1p of 1e-2 … 1e-12, scaled to 1 by the exact value: output 0\[1\]: wasm 1\.0001\d+, cpu 1$/),
      expect.stringMatching(/^Log1p: Log1p int32: output 0\[\d+\]: wasm -?\d/),
    ]);
  });

  it('Sum and Mean: only the long float32 reductions (a float32 accumulator drifts; short ones are exact enough)', async () => {
    expect(names(await unpatched('Sum'))).toEqual(['sum of 100,352 values near ln 2']);
    expect(names(await unpatched('Mean'))).toEqual(['mean of [128, 28, 28, 1] near ln 2']);
  });
});
