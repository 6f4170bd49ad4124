import * as tf from '@tensorflow/tfjs-core';
import { analyzeSource } from '../../compiler/analyze.js';
import type { IRModel } from '../../ir/types.js';
import { computeObjective } from '../../runtime/objective/objective.js';
import type { Program } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { perturbedProgram } from '../backends/models.js';
import { seededRandom } from '../backends/seeded.js';

/**
 * Gradient checks of the cpu backend against central finite differences, for a whole model's loss
 * with respect to each of its parameters.
 *
 * tfjs-cpu computes in float32 only, so the check is made float64 where it can be by construction:
 * - the step is the one actually taken: p ± h·v is rounded to float32, and the displacement
 *   d± = fround(p ± h·v) − p is what the analytic side is dotted with (Σ g·(d₊ − d₋), summed in
 *   float64), so rounding the perturbed parameters costs nothing;
 * - directional derivatives along seeded random directions v ∈ [−1, 1]ⁿ, so every element of the
 *   gradient is checked at once and the difference L₊ − L₋ is as large as it can be.
 * What stays float32 is the loss itself: each evaluation is off by a few ulps of |L| over these
 * short sums (ε = 6e-8; ~2e-6·|L| is the most these models show, after a batch norm), against a signal
 * L₊ − L₋ ≈ 2h·g·v. The truncation error of the central difference is h²/6·|L'''| ≈ 2e-5 of the
 * derivative for these smooth, O(1) functions with h = 1e-2. The tolerance, 2e-3 of the directional
 * derivative plus 3e-6·|L| (~50 ulps), sits above both and far below any wrong gradient (a factor,
 * a sign, a missing term); a check only counts when its signal is 3× that floor. Models with
 * kinks (relu, leaky relu, max pooling, |·|) take h = 2e-3, so that no input crosses one.
 * Inputs are seeded, and the models' data keeps relu and max-pool inputs away from their kinks
 * by more than the step (a fixed seed: this is checked once, not sampled).
 */
export const STEP = 1e-2;
const RELATIVE = 2e-3;
const OF_LOSS = 3e-6;

export interface GradientCheck {
  parameter: string;
  direction: number;
  analytic: number;
  numeric: number;
  /** The absolute part of the tolerance (float32 noise of the loss). */
  floor: number;
  ok: boolean;
}

export function compile(source: string): IRModel {
  const analysis = analyzeSource(source, 'gradcheck.ae');
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || analysis.irs.length !== 1) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return JSON.parse(JSON.stringify(analysis.irs[0])) as IRModel;
}

/** Seeded inputs: values in the input's range kept 0.1 inside it, labels as class ids; a batch of 3. */
function inputs(ir: IRModel): Record<string, tf.Tensor> {
  const random = seededRandom(23);
  const out: Record<string, tf.Tensor> = {};
  for (const input of ir.inputs) {
    const shape = [3, ...(input.shape.slice(1) as number[])];
    const size = shape.reduce((a, b) => a * b, 1);
    if (input.kind === 'label') {
      out[input.name] = tf.tensor(Int32Array.from({ length: size }, (_, i) => i % (input.classes ?? 2)), shape, 'int32');
      continue;
    }
    const [low, high] = input.range ?? [-1, 1];
    out[input.name] = tf.tensor(Array.from({ length: size }, () => low + 0.1 + (high - low - 0.2) * random()), shape, 'float32');
  }
  return out;
}

/** The training loss as a float64 number; the same randomness (noise, dropout, samples) every call. */
function loss(program: Program, data: Record<string, tf.Tensor>): tf.Scalar {
  const outputs = program.forward(data, { training: true, rng: new Rng(5) });
  const objective = program.ir.phases[0]?.objective.length ? program.ir.phases[0].objective : program.ir.objective;
  return computeObjective(objective, program.ir, program.parameters, outputs).total;
}

/** Every trainable parameter of `ir` (moved off its initial values), along `directions` random directions each. */
export interface CheckOptions {
  step?: number;
  directions?: number;
  skip?: (id: string) => boolean;
  /**
   * What the estimator's gradient is, as a multiple of the true derivative finite differences
   * measure (1 by default): for a loss with stop-gradients, the share each parameter is given.
   */
  share?: (id: string) => number;
}

export function checkGradients(ir: IRModel, options: CheckOptions = {}): GradientCheck[] {
  const directions = options.directions ?? 3;
  const step = options.step ?? STEP;
  const program = perturbedProgram(ir);
  const data = inputs(ir);
  const checks: GradientCheck[] = [];
  try {
    const trainable = [...program.variables].filter(([id]) => program.parameters.parameter(id).trainable && !options.skip?.(id));
    const { value, grads } = tf.variableGrads(() => loss(program, data), trainable.map(([, v]) => v));
    const lossValue = Math.abs(value.dataSync()[0]!);
    const random = seededRandom(41);
    for (const [id, variable] of trainable) {
      const original = Float32Array.from(variable.dataSync() as Float32Array);
      const grad = grads[variable.name];
      if (grad == null) throw new Error(`parameter ${id} is not on the loss's path`);
      const gradient = grad.dataSync();
      for (let k = 0; k < directions; k++) {
        const plus = new Float32Array(original.length);
        const minus = new Float32Array(original.length);
        let analytic = 0;
        for (let i = 0; i < original.length; i++) {
          const v = 2 * random() - 1;
          plus[i] = original[i]! + step * v;
          minus[i] = original[i]! - step * v;
          analytic += gradient[i]! * (plus[i]! - minus[i]!); // the displacement actually taken
        }
        const at = (values: Float32Array) =>
          tf.tidy(() => {
            variable.assign(tf.tensor(values, variable.shape, 'float32'));
            return loss(program, data).dataSync()[0]!;
          });
        const numeric = (at(plus) - at(minus)) * (options.share?.(id) ?? 1);
        tf.tidy(() => variable.assign(tf.tensor(original, variable.shape, 'float32')));
        const floor = OF_LOSS * lossValue;
        const ok = Math.abs(numeric - analytic) <= RELATIVE * Math.abs(analytic) + floor;
        checks.push({ parameter: id, direction: k, analytic, numeric, floor, ok });
      }
    }
    tf.dispose([value, ...Object.values(grads)]);
  } finally {
    program.dispose();
    tf.dispose(Object.values(data));
  }
  return checks;
}

/** "parameter (direction k): analytic a, numeric n" for every failed check. */
export function failures(checks: GradientCheck[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => `${c.parameter} (direction ${c.direction}): analytic ${c.analytic}, numeric ${c.numeric}`);
}

/** The parameters none of whose checks has a signal 3× above the noise floor (they prove nothing). */
export function unmoved(checks: GradientCheck[]): string[] {
  const moved = new Set(checks.filter((c) => Math.abs(c.analytic) >= 3 * c.floor).map((c) => c.parameter));
  return [...new Set(checks.map((c) => c.parameter))].filter((id) => !moved.has(id));
}
