// The primitives of the training-step graph: each emits its ONNX node(s) and its gradient rule,
// written with these same primitives. Shapes are tracked statically (batch null), which is what
// the broadcasting rules need to sum a gradient back to its input's shape.
import { attr, type Dim, type StepGraph, type Sym } from './graph.js';

// ---------------------------------------------------------------- shapes

function broadcastShape(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    // a missing leading dimension broadcasts as 1 (not `?? 1`: null is the batch dimension)
    const x = i < rank - a.length ? 1 : a[a.length - rank + i]!;
    const y = i < rank - b.length ? 1 : b[b.length - rank + i]!;
    out.push(x === 1 ? y : y === 1 ? x : x === null ? y : x);
  }
  return out;
}

/** Sums `gradient` (of broadcast shape `outShape`) back to `target`'s shape. */
function unbroadcast(g: StepGraph, gradient: Sym, target: Sym): Sym {
  const out = gradient.shape;
  const lead = out.length - target.shape.length;
  const axes: number[] = [];
  for (let i = 0; i < out.length; i++) {
    const t = i < lead ? undefined : target.shape[i - lead];
    if (t === undefined || (t === 1 && out[i] !== 1)) axes.push(i);
  }
  if (axes.length === 0) return gradient;
  // only leading axes to drop (a bias's gradient, [batch, n] → [n]): one ReduceSum without keepdims
  if (lead > 0 && axes.every((a) => a < lead)) return reduceSum(g, gradient, axes, false);
  const summed = g.emit('ReduceSum', [gradient, g.int64s(axes)], out.map((d, i) => (axes.includes(i) ? 1 : d)), { attributes: [attr.int('keepdims', 1)], rule: (dy) => [expandLike(g, dy, gradient)] });
  if (lead === 0) return summed;
  return reshape(g, summed, target.shape);
}

/** `value` expanded to the (runtime) shape of `like`. */
function expandLike(g: StepGraph, value: Sym, like: Sym): Sym {
  const expanded = g.emit('Expand', [value, staticShape(g, value, like) ?? shapeOf(g, like)], like.shape, { rule: (dy) => [unbroadcast(g, dy, value)] });
  return { ...expanded, expandedFrom: value };
}

/**
 * `value`, or the smaller value it is an expansion of where broadcasting that against `other`
 * gives `value`'s shape (which must be `other`'s): the loss's gradient, a scalar expanded to the
 * output's shape, multiplies the output's gradient as the scalar, without the Expand's pass.
 */
function unexpanded(value: Sym, other: Sym): Sym {
  const from = value.expandedFrom;
  if (!from || !sameShape(value.shape, other.shape) || !sameShape(broadcastShape(from.shape, other.shape), value.shape)) return value;
  return from;
}

function sameShape(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Holds one element (a scalar, or every dimension 1). */
function isUnit(x: Sym): boolean {
  return x.shape.every((d) => d === 1);
}

/**
 * `like`'s shape as a constant that Expand can broadcast `value` to, where `value` already holds
 * each of like's unknown dimensions (the batch as 1, broadcast away); else null. A constant shape
 * lets ONNX Runtime infer the result's shape, and its memory planner reuse buffers only between
 * values of known shape: with a Shape node per expand, an unrolled LSTM's session took minutes.
 */
function staticShape(g: StepGraph, value: Sym, like: Sym): Sym | null {
  const lead = like.shape.length - value.shape.length;
  if (lead < 0) return null;
  const target: number[] = [];
  for (let i = 0; i < like.shape.length; i++) {
    const d = like.shape[i];
    if (d !== null) target.push(d!);
    else if (i >= lead && value.shape[i - lead] === null) target.push(1);
    else return null;
  }
  return g.int64s(target);
}

export function shapeOf(g: StepGraph, x: Sym): Sym {
  return g.constant('Shape', [x], [x.shape.length]);
}

/** The batch size of `x` (its first dimension) as a float scalar. */
export function batchSize(g: StepGraph, x: Sym): Sym {
  const first = g.constant('Gather', [shapeOf(g, x), g.int64s([0])], [1], [attr.int('axis', 0)]);
  return g.constant('Cast', [g.constant('Squeeze', [first], [])], [], [attr.int('to', 1)]);
}

/** Ones of `like`'s (runtime) shape: the gradient a loss starts from. */
export function onesLike(g: StepGraph, like: Sym): Sym {
  return g.constant('Expand', [g.scalar(1), shapeOf(g, like)], like.shape);
}

/** The number of elements of `x` as a float scalar. */
export function countOf(g: StepGraph, x: Sym): Sym {
  return g.constant('Cast', [g.constant('Size', [x], [])], [], [attr.int('to', 1)]);
}

// ---------------------------------------------------------------- elementwise binary

export function add(g: StepGraph, a: Sym, b: Sym): Sym {
  return g.emit('Add', [a, b], broadcastShape(a.shape, b.shape), { rule: (dy) => [unbroadcast(g, dy, a), unbroadcast(g, dy, b)] });
}

export function sub(g: StepGraph, a: Sym, b: Sym): Sym {
  // c − x is one Sub: the scalar of x's rank (StepGraph.scalar), 23 µs on MNIST's [128, 28, 28, 1]
  // logits, where a rank-0 scalar took 1.1 ms (ORT's profiler; ONNX Runtime 1.30)
  return g.emit('Sub', [a, b], broadcastShape(a.shape, b.shape), { rule: (dy) => [unbroadcast(g, dy, a), b.varying ? unbroadcast(g, neg(g, dy), b) : null] });
}

export function mul(g: StepGraph, a: Sym, b: Sym): Sym {
  [a, b] = [unexpanded(a, b), unexpanded(b, a)];
  // a scalar on the right: ONNX Runtime broadcasts one on the left element by element (see sub)
  if (isUnit(a) && !isUnit(b)) [a, b] = [b, a];
  return g.emit('Mul', [a, b], broadcastShape(a.shape, b.shape), {
    rule: (dy) => [a.varying ? unbroadcast(g, mul(g, dy, b), a) : null, b.varying ? unbroadcast(g, mul(g, dy, a), b) : null],
  });
}

export function div(g: StepGraph, a: Sym, b: Sym): Sym {
  const out = g.emit('Div', [a, b], broadcastShape(a.shape, b.shape), {
    // d(a/b)/db = -(a/b)/b
    rule: (dy) => [a.varying ? unbroadcast(g, div(g, dy, b), a) : null, b.varying ? unbroadcast(g, neg(g, div(g, mul(g, dy, out), b)), b) : null],
  });
  return out;
}

// ---------------------------------------------------------------- elementwise unary

export function neg(g: StepGraph, x: Sym): Sym {
  return g.emit('Neg', [x], x.shape, { rule: (dy) => [neg(g, dy)] });
}

export function square(g: StepGraph, x: Sym): Sym {
  return g.emit('Mul', [x, x], x.shape, { rule: (dy) => [mul(g, dy, mul(g, x, g.scalar(2)))], base: 'square' });
}

export function exp(g: StepGraph, x: Sym): Sym {
  const out: Sym = g.emit('Exp', [x], x.shape, { rule: (dy) => [mul(g, dy, out)] });
  return out;
}

export function sqrt(g: StepGraph, x: Sym): Sym {
  const out: Sym = g.emit('Sqrt', [x], x.shape, { rule: (dy) => [div(g, mul(g, dy, g.scalar(0.5)), out)] });
  return out;
}

export function log(g: StepGraph, x: Sym): Sym {
  return g.emit('Log', [x], x.shape, { rule: (dy) => [div(g, dy, x)] });
}

export function abs(g: StepGraph, x: Sym): Sym {
  return g.emit('Abs', [x], x.shape, { rule: (dy) => [mul(g, dy, g.constant('Sign', [x], x.shape))] });
}

/**
 * 1 where `x` > 0, else 0 (no gradient): Greater, then a Cast to float. (ONNX Runtime's Sign runs
 * element by element, 4× slower than the two; Greater against a rank-0 zero was 25× slower on
 * MNIST logits [batch, 28, 28, 1] until the scalars were given the values' rank: StepGraph.scalar.)
 */
export function positive(g: StepGraph, x: Sym): Sym {
  return g.constant('Cast', [g.constant('Greater', [x, g.scalar(0)], x.shape)], x.shape, [attr.int('to', 1)]);
}

/** `value` where `condition` (bool, no gradient) holds, else 0: one Where, its gradient another. */
function keepWhere(g: StepGraph, value: Sym, condition: Sym): Sym {
  return g.emit('Where', [condition, value, g.scalar(0)], value.shape, { rule: (dy) => [null, keepWhere(g, dy, condition), null] });
}

export function relu(g: StepGraph, x: Sym): Sym {
  // relu(x) ≥ 0, so its slope is 1 where the output is not 0: the gradient kept where the output,
  // cast to bool, is true (one Cast and one Where; Sign then Mul took twice as long)
  const out: Sym = g.emit('Relu', [x], x.shape, { rule: (dy) => [keepWhere(g, dy, g.constant('Cast', [out], out.shape, [attr.int('to', 9)]))] });
  return out;
}

export function sigmoid(g: StepGraph, x: Sym): Sym {
  const out: Sym = g.emit('Sigmoid', [x], x.shape, { rule: (dy) => [mul(g, dy, mul(g, out, sub(g, g.scalar(1), out)))] });
  return out;
}

export function tanh(g: StepGraph, x: Sym): Sym {
  const out: Sym = g.emit('Tanh', [x], x.shape, { rule: (dy) => [mul(g, dy, sub(g, g.scalar(1), square(g, out)))] });
  return out;
}

export function softplus(g: StepGraph, x: Sym): Sym {
  return g.emit('Softplus', [x], x.shape, { rule: (dy) => [mul(g, dy, sigmoid(g, x))] });
}

export function leakyRelu(g: StepGraph, x: Sym, alpha: number): Sym {
  return g.emit('LeakyRelu', [x], x.shape, {
    attributes: [attr.float('alpha', alpha)],
    // slope: 1 where x > 0, alpha elsewhere = alpha + (1 - alpha)·[x > 0]
    rule: (dy) => [mul(g, dy, add(g, g.scalar(alpha), mul(g, positive(g, x), g.scalar(1 - alpha))))],
  });
}

export function elu(g: StepGraph, x: Sym): Sym {
  const out: Sym = g.emit('Elu', [x], x.shape, {
    attributes: [attr.float('alpha', 1)],
    // slope: 1 where x > 0, out + 1 elsewhere
    rule: (dy) => {
      const p = positive(g, x);
      return [mul(g, dy, add(g, p, mul(g, sub(g, g.scalar(1), p), add(g, out, g.scalar(1)))))];
    },
  });
  return out;
}

/** x·Φ(x), Φ through erf (as the tfjs runtime computes it); slope Φ(x) + x·φ(x). */
export function gelu(g: StepGraph, x: Sym): Sym {
  const cdf = g.constant('Mul', [g.constant('Add', [g.constant('Erf', [g.constant('Div', [x, g.scalar(Math.SQRT2)], x.shape)], x.shape), g.scalar(1)], x.shape), g.scalar(0.5)], x.shape);
  return g.emit('Mul', [x, cdf], x.shape, {
    base: 'gelu',
    rule: (dy) => {
      const density = g.constant('Mul', [g.constant('Exp', [g.constant('Mul', [g.constant('Mul', [x, x], x.shape), g.scalar(-0.5)], x.shape)], x.shape), g.scalar(1 / Math.sqrt(2 * Math.PI))], x.shape);
      return [mul(g, dy, add(g, cdf, mul(g, x, density))), null];
    },
  });
}

/** Softmax over the last axis; its gradient y·(dy − Σ dy·y). */
export function softmax(g: StepGraph, x: Sym): Sym {
  const out: Sym = g.emit('Softmax', [x], x.shape, {
    attributes: [attr.int('axis', -1)],
    rule: (dy) => [mul(g, out, sub(g, dy, reduceSum(g, mul(g, dy, out), [-1], true)))],
  });
  return out;
}

/** Log-softmax over the last axis; its gradient dy − softmax(x)·Σ dy. */
export function logSoftmax(g: StepGraph, x: Sym): Sym {
  const out: Sym = g.emit('LogSoftmax', [x], x.shape, {
    attributes: [attr.int('axis', -1)],
    rule: (dy) => [sub(g, dy, mul(g, exp(g, out), reduceSum(g, dy, [-1], true)))],
  });
  return out;
}

/**
 * Binary cross-entropy of logits `l` against targets `t`, summed over every element: Σ (max(l, 0)
 * − l·t) + Σ softplus(−|l|), with no overflow for any l; softplus(−|l|) as − log σ(|l|) (ONNX
 * Runtime's Softplus runs element by element, Sigmoid is vectorised; both lose exp(−|l|) below
 * 6e-8 the same way in float32). Its Log runs element by element too (3 ns an element, 0.3 ms of a
 * 4.5 ms MNIST step), so the logs are summed as logs of products: each sample's σ(|l|), all in
 * [0.5, 1], has its halves multiplied together up to LOG_FOLDS times (products of 8 values ≥ 2⁻⁸,
 * far from underflow), then one Log over an eighth of the elements. Its gradient is its own rule,
 * (σ(l) − t)·dy: three passes over the output instead of the eight its parts' rules take.
 */
export function bceWithLogitsSum(g: StepGraph, l: Sym, t: Sym): Sym {
  const c = (op: string, inputs: Sym[], shape: readonly Dim[] = l.shape) => g.constant(op, inputs, shape);
  const sumAll = (x: Sym) => g.constant('ReduceSum', [x], [], [attr.int('keepdims', 0)]);
  const linear = sumAll(c('Sub', [c('Relu', [l]), c('Mul', [l, t])]));
  let probability = c('Sigmoid', [c('Abs', [l])]);
  const rest = l.shape.slice(1);
  if (l.shape[0] === null && !l.merged && rest.every((d) => d !== null)) {
    let width = (rest as number[]).reduce((a, b) => a * b, 1);
    probability = c('Reshape', [probability, g.int64s([-1, width])], [null, width]);
    for (let fold = 0; fold < LOG_FOLDS && width % 2 === 0; fold++) {
      width /= 2;
      const half = (from: number) => c('Slice', [probability, g.int64s([from]), g.int64s([from + width]), g.int64s([1])], [null, width]);
      probability = c('Mul', [half(0), half(width)], [null, width]);
    }
  }
  const total = c('Sub', [linear, sumAll(c('Log', [probability], probability.shape))], []);
  // dy is a scalar: as [1, …, 1], which ONNX Runtime broadcasts fast (see StepGraph.scalar)
  return g.withGradient(total, [l], (dy) => [mul(g, sub(g, sigmoid(g, l), t), reshape(g, dy, l.shape.map(() => 1)))]);
}

/** How many times bceWithLogitsSum halves the values it takes the logs of. */
const LOG_FOLDS = 3;

/** Clipped to [low, high]; the gradient passes where the value was inside (bounds included, as tfjs). */
export function clip(g: StepGraph, x: Sym, low: number, high: number): Sym {
  return g.emit('Clip', [x, g.scalar(low), g.scalar(high)], x.shape, {
    rule: (dy) => {
      // 1 − [x < low] − [x > high], each as sign(relu(·)) (see positive)
      const below = positive(g, g.constant('Sub', [g.scalar(low), x], x.shape));
      const above = positive(g, g.constant('Sub', [x, g.scalar(high)], x.shape));
      return [mul(g, dy, g.constant('Sub', [g.constant('Sub', [g.scalar(1), below], x.shape), above], x.shape)), null, null];
    },
  });
}

/** The value of `x` with no gradient (straight-through estimators). */
export function stopGradient(g: StepGraph, x: Sym): Sym {
  return g.constant('Identity', [x], x.shape);
}

// ---------------------------------------------------------------- products, reductions, shapes

/**
 * op(a)·op(b) (+ bias) for 2-D a, b, where op transposes when asked (ONNX Gemm, MLAS's kernel). A
 * bias [n] goes in as Gemm's C: MLAS starts from it instead of a separate Add over the output, and
 * ONNX Runtime fuses a Gemm with C and an activation after it into one FusedGemm (a Gemm followed
 * by an Add is not fused).
 */
export function gemm(g: StepGraph, a: Sym, b: Sym, transA: boolean, transB: boolean, bias?: Sym): Sym {
  const m = transA ? a.shape[1]! : a.shape[0]!;
  const n = transB ? b.shape[0]! : b.shape[1]!;
  const t = (flag: boolean) => (flag ? 1 : 0);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== n)) throw new Error(`gemm: bias [${bias.shape.join(', ')}] is not [${n}]`);
  return g.emit('Gemm', bias ? [a, b, bias] : [a, b], [m, n], {
    attributes: [attr.int('transA', t(transA)), attr.int('transB', t(transB))],
    rule: (dy) => [
      // d op(a) = dy·op(b)ᵀ; d op(b) = op(a)ᵀ·dy, each transposed back where op transposed.
      a.varying ? (transA ? gemm(g, b, dy, transB, true) : gemm(g, dy, b, false, !transB)) : null,
      b.varying ? (transB ? gemm(g, dy, a, true, transA) : gemm(g, a, dy, !transA, false)) : null,
      // the bias broadcast over the rows: its gradient sums dy over them
      ...(bias ? [bias.varying ? sumOverBatch(g, dy) : null] : []),
    ],
  });
}

/**
 * A [batch, n] value summed over the batch, [n]: a product with a row of ones (MLAS's Gemm),
 * half the time of ONNX Runtime's ReduceSum over axis 0 (its profiler: 10 against 21 µs on
 * [128, 1000]). The ones are made once a step, from the first value asking. A merged first
 * dimension (not the batch) is summed by ReduceSum.
 */
export function sumOverBatch(g: StepGraph, x: Sym): Sym {
  const [rows, n] = x.shape;
  if (x.shape.length !== 2 || rows !== null || x.merged || n === null) return reduceSum(g, x, [0], false);
  const ones = g.memo('ones over the batch', () => g.constant('Expand', [g.scalar(1, 1), g.constant('Shape', [x], [1], [attr.int('end', 1)])], [null]));
  return g.emit('MatMul', [ones, x], [n!], { rule: (dy) => [null, expandLike(g, reshape(g, dy, [1, n!]), x)] });
}

/** Sum over `axes` (negative counts from the end), or over every axis when axes is empty. */
export function reduceSum(g: StepGraph, x: Sym, axes: readonly number[], keepdims: boolean): Sym {
  const rank = x.shape.length;
  const all = axes.length === 0 ? x.shape.map((_, i) => i) : axes.map((a) => (a < 0 ? a + rank : a));
  const kept = x.shape.map((d, i) => (all.includes(i) ? 1 : d));
  const shape = keepdims ? kept : x.shape.filter((_, i) => !all.includes(i));
  return g.emit('ReduceSum', [x, g.int64s(all)], shape, {
    attributes: [attr.int('keepdims', keepdims ? 1 : 0)],
    rule: (dy) => [expandLike(g, keepdims ? dy : reshape(g, dy, kept), x)],
  });
}

/** The mean of every element (batch included) as a scalar. */
export function meanAll(g: StepGraph, x: Sym): Sym {
  return div(g, reduceSum(g, x, [], false), countOf(g, x));
}

/** Mean over `axes` (negative counts from the end), kept as size-1 dimensions; every size known but the batch's. */
export function meanKeep(g: StepGraph, x: Sym, axes: readonly number[]): Sym {
  const rank = x.shape.length;
  const all = axes.map((a) => (a < 0 ? a + rank : a));
  const summed = reduceSum(g, x, all, true);
  const known = all.filter((a) => x.shape[a] !== null).reduce((n, a) => n * (x.shape[a] as number), 1);
  const count = all.some((a) => x.shape[a] === null) ? mul(g, batchSize(g, x), g.scalar(known)) : g.scalar(known);
  return div(g, summed, count);
}

/** Mean over the batch (axis 0) of a [batch, ...] value, keeping the rest. */
export function meanOverBatch(g: StepGraph, x: Sym): Sym {
  return div(g, reduceSum(g, x, [0], false), batchSize(g, x));
}

/** Reshapes to `shape`, whose one null dimension (the batch, or the batch merged with others) takes what is left. */
export function reshape(g: StepGraph, x: Sym, shape: readonly Dim[], merged?: boolean): Sym {
  if (shape.filter((d) => d === null).length > 1) throw new Error(`reshape to [${shape.join(', ')}]: more than one unknown dimension`);
  const target = shape.map((d) => d ?? -1);
  // the unknown dimension stays the batch where the known ones hold every other element (the
  // caller says so where it splits a merged batch back: [batch·steps, u] → [batch, steps, u])
  const known = (dims: readonly Dim[]) => dims.reduce<number>((n, d) => n * (d ?? 1), 1);
  merged ??= shape.includes(null) && (x.merged === true || known(x.shape) !== known(shape));
  // the gradient reshapes back, to a constant shape where x has one unknown dimension at most (see staticShape)
  const back = (dy: Sym) =>
    x.shape.filter((d) => d === null).length <= 1 ? reshape(g, dy, x.shape, x.merged === true) : g.emit('Reshape', [dy, shapeOf(g, x)], x.shape, { rule: (d2) => [reshape(g, d2, dy.shape, dy.merged === true)], merged: true });
  return g.emit('Reshape', [x, g.int64s(target)], shape, { rule: (dy) => [back(dy)], merged });
}

/** [batch, ...] → [batch, product of the rest]. */
export function flatten(g: StepGraph, x: Sym): Sym {
  if (x.shape.length === 2) return x;
  const width = x.shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  return reshape(g, x, [null, width]);
}
