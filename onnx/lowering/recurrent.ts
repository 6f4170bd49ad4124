// LSTM and GRU unrolled over the steps in the step graph's primitives, as the tfjs lowering
// (runtime/program/ops/recurrent.ts) unrolls them: Keras's layouts (kernel [in, G·u], recurrent
// kernel [u, G·u], gates side by side i, f, c, o for the LSTM and z, r, h for the GRU, which resets
// after the recurrent product with a bias [2, 3u]), the input projection x·W + b one product over
// every step, then h·U per step. The state starts at zero, so the first step's h·U is left out:
// tfjs adds an exact zero there. The graph grows linearly with the steps (about 20 forward nodes a
// step); backpropagation through time is the primitives' rules.
import type { Sym, StepGraph } from '../autodiff/graph.js';
import { split, stack, unstack } from '../autodiff/axes.js';
import * as p from '../autodiff/primitives.js';

export interface RecurrentWeights {
  kernel: Sym;
  recurrent: Sym;
  bias: Sym;
}

/** x [batch, steps, in] · W (+ b) for every step at once, then one [batch, G·u] value per step. */
function projectSteps(g: StepGraph, x: Sym, kernel: Sym, bias: Sym | undefined): Sym[] {
  const [, steps, channels] = x.shape as [null, number, number];
  const width = kernel.shape[1] as number;
  const projected = p.gemm(g, p.reshape(g, x, [null, channels]), kernel, false, false, bias);
  const perStep = p.reshape(g, projected, [null, steps, width], false);
  return steps === 1 ? [p.reshape(g, perStep, [null, width])] : unstack(g, perStep, 1);
}

/** The last state, or every step's stacked along axis 1. */
function result(g: StepGraph, states: Sym[], sequences: boolean): Sym {
  return sequences ? stack(g, states, 1) : states[states.length - 1]!;
}

export function lstm(g: StepGraph, x: Sym, units: number, sequences: boolean, { kernel, recurrent, bias }: RecurrentWeights): Sym {
  const gates = Array<number>(4).fill(units);
  let h: Sym | undefined;
  let c: Sym | undefined;
  const states: Sym[] = [];
  for (const xw of projectSteps(g, x, kernel, bias)) {
    const z = h ? p.add(g, xw, p.gemm(g, h, recurrent, false, false)) : xw;
    const [i, f, candidate, o] = split(g, z, 1, gates) as [Sym, Sym, Sym, Sym];
    const written = p.mul(g, p.sigmoid(g, i), p.tanh(g, candidate));
    c = c ? p.add(g, p.mul(g, p.sigmoid(g, f), c), written) : written;
    h = p.mul(g, p.sigmoid(g, o), p.tanh(g, c));
    states.push(h);
  }
  return result(g, states, sequences);
}

export function gru(g: StepGraph, x: Sym, units: number, sequences: boolean, { kernel, recurrent, bias }: RecurrentWeights): Sym {
  const gates = Array<number>(3).fill(units);
  const [inputBias, recurrentBias] = unstack(g, bias, 0) as [Sym, Sym];
  let h: Sym | undefined;
  const states: Sym[] = [];
  for (const xw of projectSteps(g, x, kernel, inputBias)) {
    const [xz, xr, xh] = split(g, xw, 1, gates) as [Sym, Sym, Sym];
    // h·U + b_U; at the first step h is zero and this is the bias alone (broadcast over the batch)
    const recurrentPart = h ? p.gemm(g, h, recurrent, false, false, recurrentBias) : p.reshape(g, recurrentBias, [1, 3 * units]);
    const [hz, hr, hh] = split(g, recurrentPart, 1, gates) as [Sym, Sym, Sym];
    const update = p.sigmoid(g, p.add(g, xz, hz));
    const reset = p.sigmoid(g, p.add(g, xr, hr));
    const candidate = p.tanh(g, p.add(g, xh, p.mul(g, reset, hh)));
    // h = z·h_prev + (1 − z)·candidate, as Keras
    const fresh = p.mul(g, p.sub(g, g.scalar(1), update), candidate);
    h = h ? p.add(g, p.mul(g, update, h), fresh) : fresh;
    states.push(h);
  }
  return result(g, states, sequences);
}
