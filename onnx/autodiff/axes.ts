// Primitives that cut a value along one axis and put pieces back together: split and concat (each
// the other's gradient), unstack and stack over the steps of a sequence, and repeating a unit axis.
// Split has several outputs and one rule for all of them (StepGraph.emitMulti): unrolling an LSTM
// over 512 steps unstacks its input projection once, and the backward pass stacks the 512 step
// gradients with one Concat, where a slice per step would pad each step's gradient back to the
// whole sequence (quadratic in the steps).
import { attr, type Dim, type StepGraph, type Sym } from './graph.js';
import { reduceSum, reshape, shapeOf } from './primitives.js';

const positive = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** Zeros shaped like `like` at run time (the gradient of an output no loss reached). */
export function zerosLike(g: StepGraph, like: Sym): Sym {
  return g.constant('Expand', [g.scalar(0), shapeOf(g, like)], like.shape);
}

/** `x` cut along `axis` into pieces of `sizes` (summing to its size there); the gradient concatenates. */
export function split(g: StepGraph, x: Sym, axis: number, sizes: readonly number[]): Sym[] {
  const a = positive(axis, x.shape.length);
  if (sizes.reduce((s, n) => s + n, 0) !== x.shape[a]) throw new Error(`split: sizes ${sizes.join('+')} do not make axis ${a} of [${x.shape.join(', ')}]`);
  if (sizes.length === 1) return [x];
  const shapes = sizes.map((n) => x.shape.map((d, i) => (i === a ? n : d)));
  const outputs: Sym[] = g.emitMulti('Split', [x, g.int64s(sizes)], shapes, {
    attributes: [attr.int('axis', a)],
    rule: (dys) => [concat(g, dys.map((dy, i) => dy ?? zerosLike(g, outputs[i]!)), a), null],
  });
  return outputs;
}

/** The pieces joined along `axis` (every other dimension equal); the gradient splits. */
export function concat(g: StepGraph, xs: readonly Sym[], axis: number): Sym {
  if (xs.length === 1) return xs[0]!;
  const a = positive(axis, xs[0]!.shape.length);
  const sizes = xs.map((x) => x.shape[a] as number);
  const shape = xs[0]!.shape.map((d, i) => (i === a ? sizes.reduce((s, n) => s + n, 0) : d));
  return g.emit('Concat', xs, shape, { attributes: [attr.int('axis', a)], rule: (dy) => split(g, dy, a, sizes) });
}

/** Every index of `axis` as its own value, that axis removed (tf.unstack). */
export function unstack(g: StepGraph, x: Sym, axis: number): Sym[] {
  const a = positive(axis, x.shape.length);
  const count = x.shape[a] as number;
  const without: Dim[] = x.shape.filter((_, i) => i !== a);
  return split(g, x, a, Array<number>(count).fill(1)).map((piece) => reshape(g, piece, without));
}

/** The values, all of one shape, stacked along a new `axis` (tf.stack). */
export function stack(g: StepGraph, xs: readonly Sym[], axis: number): Sym {
  const a = positive(axis, xs[0]!.shape.length + 1);
  const withUnit: Dim[] = [...xs[0]!.shape.slice(0, a), 1, ...xs[0]!.shape.slice(a)];
  return concat(g, xs.map((x) => reshape(g, x, withUnit)), a);
}

/** `x`, of size 1 on `axis`, repeated `times` times along it; each copy's gradient sums back. */
export function repeatAxis(g: StepGraph, x: Sym, axis: number, times: number): Sym {
  const a = positive(axis, x.shape.length);
  if (x.shape[a] !== 1) throw new Error(`repeatAxis: axis ${a} of [${x.shape.join(', ')}] is not 1`);
  const target = x.shape.map((_, i) => (i === a ? times : 1));
  return g.emit('Expand', [x, g.int64s(target)], x.shape.map((d, i) => (i === a ? times : d)), {
    rule: (dy) => [reduceSum(g, dy, [a], true), null],
  });
}
