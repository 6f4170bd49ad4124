// The optimisers' update loops as WebAssembly SIMD, four floats a lane: in JS the Adam loop took
// 5.6 ms of a 13 ms MNIST step on ONNX Runtime (13 ns a parameter: V8 neither vectorises nor
// fuses a typed-array loop), here about 0.4 ms. Each loop runs over `count` groups of four floats
// at byte offsets into the imported memory (the arena pads every array to a whole group), so there
// is no scalar tail. Every rule is update.ts's, in float32 as tfjs's optimisers compute it.
import { Body, encodeModule, F32, I32, op, V128, type WasmFunction } from './wasm-module.js';

/** A loop over groups: `pointers` i32 byte offsets, then `count`, then `scalars` f32 parameters,
 *  each splatted into a v128 local before the loop; `element` emits the body for the group at
 *  the byte offset in local `at`. */
function loop(name: string, pointers: number, scalars: number, temporaries: number, element: (b: Body, at: (pointer: number) => Body, lanes: (scalar: number) => number, temp: (k: number) => number) => void): WasmFunction {
  const count = pointers;
  const firstScalar = pointers + 1;
  const params = [...Array<number>(pointers + 1).fill(I32), ...Array<number>(scalars).fill(F32)];
  const offset = params.length;
  const end = offset + 1;
  const firstLane = offset + 2;
  const firstTemp = firstLane + scalars;
  const b = new Body();
  for (let s = 0; s < scalars; s++) b.get(firstScalar + s).splat().set(firstLane + s);
  b.get(count).i32(4).emit(op.i32Shl).set(end);
  b.emit(op.block, 0x40, op.loop, 0x40);
  b.get(offset).get(end).emit(op.i32GeU, op.brIf, 1);
  const at = (pointer: number) => b.get(pointer).get(offset).emit(op.i32Add);
  element(
    b,
    at,
    (s) => firstLane + s,
    (k) => firstTemp + k,
  );
  b.get(offset).i32(16).emit(op.i32Add).set(offset);
  b.emit(op.br, 0, op.end, op.end);
  return { name, params, locals: [I32, I32, ...Array<number>(scalars + temporaries).fill(V128)], body: b };
}

/**
 * The value in local `value` with each lane below the smallest normal float (`tiny`, a lane)
 * flushed to zero, left on the stack. A slot decays geometrically where its gradient stays zero
 * (a dead unit, a pixel MNIST never lights), through the subnormal floats, where every multiply
 * takes a microcode assist on x86 (WebAssembly keeps IEEE subnormals): 12% of the main job's Adam
 * slots were subnormal after 10 epochs, and the update took 1.5 ms a step instead of 0.4. Zero
 * moves no weight differently: lr·m/(√v + ε) of a subnormal m is itself below any weight's ulp.
 */
function flushed(b: Body, value: number, tiny: number): Body {
  // value & ~(|value| < tiny): a NaN or an infinity stays as it is, as on tfjs
  return b.get(value).get(value).abs().get(tiny).lt().andNot();
}

/** The smallest normal float32: slots below it are flushed to zero. */
export const SMALLEST_NORMAL = 2 ** -126;

// Pointers first, in the order each function takes them; scalars after `count`.
const W = 0;
const G = 1;

/** adam(w, g, m, v, count, β1, 1−β1, β2, 1−β2, lr_t, ε_t, decay, tiny):
 *  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g², each flushed below tiny;  w ← w − lr_t·m/(√v + ε_t) − decay·w. */
const adam = loop('adam', 4, 8, 3, (b, at, lane, temp) => {
  const [M, V] = [2, 3];
  const [beta1, keep1, beta2, keep2, lr, eps, decay, tiny] = [0, 1, 2, 3, 4, 5, 6, 7].map(lane);
  const [g, m, v] = [0, 1, 2].map(temp);
  at(G).load().set(g!);
  at(M);
  at(M).load().get(beta1!).mul().get(g!).get(keep1!).mul().add().set(m!);
  flushed(b, m!, tiny!).tee(m!).store();
  at(V);
  at(V).load().get(beta2!).mul().get(g!).get(g!).mul().get(keep2!).mul().add().set(v!);
  flushed(b, v!, tiny!).tee(v!).store();
  at(W);
  at(W).load().tee(g!); // g is free again: it now holds w
  b.get(lr!).get(m!).mul().get(v!).sqrt().get(eps!).add().div().sub();
  b.get(decay!).get(g!).mul().sub().store();
});

/** sgd(w, g, count, lr, decay): w ← w − lr·g − decay·w. */
const sgd = loop('sgd', 2, 2, 1, (b, at, lane, temp) => {
  const [lr, decay] = [0, 1].map(lane);
  const w = temp(0);
  at(W);
  at(W).load().tee(w).get(lr!);
  at(G).load().mul().sub();
  b.get(decay!).get(w).mul().sub().store();
});

/** sgd_momentum(w, g, velocity, count, lr, μ, decay, tiny): velocity ← μ·velocity + g (flushed
 *  below tiny); w ← w − lr·velocity − decay·w. */
const sgdMomentum = loop('sgd_momentum', 3, 4, 2, (b, at, lane, temp) => {
  const VELOCITY = 2;
  const [lr, momentum, decay, tiny] = [0, 1, 2, 3].map(lane);
  const [velocity, w] = [0, 1].map(temp);
  at(VELOCITY);
  at(VELOCITY).load().get(momentum!).mul();
  at(G).load().add().set(velocity!);
  flushed(b, velocity!, tiny!).tee(velocity!).store();
  at(W);
  at(W).load().tee(w!).get(lr!).get(velocity!).mul().sub();
  b.get(decay!).get(w!).mul().sub().store();
});

/** rmsprop(w, g, ms, count, ρ, 1−ρ, lr, ε, decay, tiny): ms ← ρ·ms + (1−ρ)·g² (flushed below
 *  tiny); w ← w − lr·g/(√ms + ε) − decay·w. */
const rmsprop = loop('rmsprop', 3, 6, 3, (b, at, lane, temp) => {
  const MS = 2;
  const [rho, keep, lr, eps, decay, tiny] = [0, 1, 2, 3, 4, 5].map(lane);
  const [g, ms, w] = [0, 1, 2].map(temp);
  at(G).load().set(g!);
  at(MS);
  at(MS).load().get(rho!).mul().get(g!).get(g!).mul().get(keep!).mul().add().set(ms!);
  flushed(b, ms!, tiny!).tee(ms!).store();
  at(W);
  at(W).load().tee(w!).get(lr!).get(g!).mul().get(ms!).sqrt().get(eps!).add().div().sub();
  b.get(decay!).get(w!).mul().sub().store();
});

/** rmsprop_momentum(w, g, ms, mom, count, ρ, 1−ρ, lr, ε, μ, decay, tiny): as rmsprop, the step
 *  lr·g/(√ms + ε) accumulated: mom ← μ·mom + step; w ← w − mom − decay·w (both slots flushed). */
const rmspropMomentum = loop('rmsprop_momentum', 4, 7, 3, (b, at, lane, temp) => {
  const [MS, MOM] = [2, 3];
  const [rho, keep, lr, eps, momentum, decay, tiny] = [0, 1, 2, 3, 4, 5, 6].map(lane);
  const [g, ms, mom] = [0, 1, 2].map(temp);
  at(G).load().set(g!);
  at(MS);
  at(MS).load().get(rho!).mul().get(g!).get(g!).mul().get(keep!).mul().add().set(ms!);
  flushed(b, ms!, tiny!).tee(ms!).store();
  at(MOM);
  at(MOM).load().get(momentum!).mul().get(lr!).get(g!).mul().get(ms!).sqrt().get(eps!).add().div().add().set(mom!);
  flushed(b, mom!, tiny!).tee(mom!).store();
  at(W);
  at(W).load().tee(g!).get(mom!).sub(); // g now holds w
  b.get(decay!).get(g!).mul().sub().store();
});

export interface UpdateKernels {
  adam(w: number, g: number, m: number, v: number, count: number, beta1: number, keep1: number, beta2: number, keep2: number, lr: number, eps: number, decay: number, tiny: number): void;
  sgd(w: number, g: number, count: number, lr: number, decay: number): void;
  sgd_momentum(w: number, g: number, velocity: number, count: number, lr: number, momentum: number, decay: number, tiny: number): void;
  rmsprop(w: number, g: number, ms: number, count: number, rho: number, keep: number, lr: number, eps: number, decay: number, tiny: number): void;
  rmsprop_momentum(w: number, g: number, ms: number, mom: number, count: number, rho: number, keep: number, lr: number, eps: number, momentum: number, decay: number, tiny: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** The loops, instantiated over `memory`. */
export function updateKernels(memory: WebAssembly.Memory): UpdateKernels {
  compiled ??= new WebAssembly.Module(encodeModule([adam, sgd, sgdMomentum, rmsprop, rmspropMomentum]));
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as UpdateKernels;
}
