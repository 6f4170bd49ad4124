// Plain-JS reference implementations for conformance tests: independent of tfjs, written for clarity.

export function randomArray(n: number, seed: number, scale = 1): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 4294967296) * 2 - 1) * scale;
  });
}

/** NHWC conv2d with a [kh, kw, cin, cout] kernel, TF 'same'/'valid' padding. */
export function conv2dRef(
  x: number[], [b, h, w, cin]: number[],
  k: number[], [kh, kw, , cout]: number[],
  [sh, sw]: [number, number], padding: 'same' | 'valid',
): { y: number[]; shape: number[] } {
  const oh = padding === 'same' ? Math.ceil(h! / sh) : Math.floor((h! - kh!) / sh) + 1;
  const ow = padding === 'same' ? Math.ceil(w! / sw) : Math.floor((w! - kw!) / sw) + 1;
  const padTop = padding === 'same' ? Math.floor(Math.max((oh - 1) * sh + kh! - h!, 0) / 2) : 0;
  const padLeft = padding === 'same' ? Math.floor(Math.max((ow - 1) * sw + kw! - w!, 0) / 2) : 0;
  const y = new Array<number>(b! * oh * ow * cout!).fill(0);
  for (let n = 0; n < b!; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < cout!; o++) {
          let sum = 0;
          for (let di = 0; di < kh!; di++)
            for (let dj = 0; dj < kw!; dj++) {
              const r = i * sh + di - padTop;
              const c = j * sw + dj - padLeft;
              if (r < 0 || c < 0 || r >= h! || c >= w!) continue;
              for (let ci = 0; ci < cin!; ci++) sum += x[((n * h! + r) * w! + c) * cin! + ci]! * k[((di * kw! + dj) * cin! + ci) * cout! + o]!;
            }
          y[((n * oh + i) * ow + j) * cout! + o] = sum;
        }
  return { y, shape: [b!, oh, ow, cout!] };
}

/** Max pooling with stride = pool that also returns, per window, the flat index of its first maximum. */
export function maxPoolRef(x: number[], [b, h, w, c]: number[], p: number): { y: number[]; argmax: number[]; shape: number[] } {
  const oh = Math.floor(h! / p);
  const ow = Math.floor(w! / p);
  const y: number[] = [];
  const argmax: number[] = [];
  for (let n = 0; n < b!; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c!; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let di = 0; di < p; di++)
            for (let dj = 0; dj < p; dj++) {
              const index = ((n * h! + i * p + di) * w! + j * p + dj) * c! + ch;
              if (x[index]! > best) {
                best = x[index]!;
                at = index;
              }
            }
          y.push(best);
          argmax.push(at);
        }
  return { y, argmax, shape: [b!, oh, ow, c!] };
}

export function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7).
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return Math.sign(x) * y;
}

export const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
